"""Administration: accounts, roles and invitations."""
