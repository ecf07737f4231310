"""Login, invitations, password reset and the user's own account settings."""
