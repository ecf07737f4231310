"""Named events that features send and listeners (audit, notifications) receive."""

from blinker import Namespace

signals = Namespace()

#: sent with ``user`` after an account is created (by invitation or CLI).
user_created = signals.signal("user-created")
#: sent with ``user`` and ``actor`` after a role change.
user_role_changed = signals.signal("user-role-changed")
#: sent with ``user`` after the user changed their password.
password_changed = signals.signal("password-changed")
