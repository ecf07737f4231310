"""Who may do what: the one place that answers it, for views, templates and tests."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.FACILITATOR})

#: Action -> roles allowed. Object-level rules are in ``can`` below.
RULES: dict[str, frozenset[Role]] = {
    # Reading the workspace: dashboard, problem areas, recommendation lists, meetings.
    "view_workspace": ALL_ROLES,
    # Managing accounts: invitations, roles, deactivation.
    "manage_users": frozenset({Role.ADMIN}),
    # Changing another account's role or active flag (never one's own).
    "change_user": frozenset({Role.ADMIN}),
}

#: Statuses a reviewer (ministry staff) may see: from agreement onward, never drafts.
REVIEWER_VISIBLE_STATUSES = ("agreed", "submitted", "answered")


def can(user, action: str, obj=None) -> bool:
    """Whether ``user`` may perform ``action`` (on ``obj``, where it matters)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: add it to permissions.RULES")
    if user.role not in allowed:
        return False
    # An admin cannot demote or deactivate themselves and lock everyone out.
    return not (action == "change_user" and getattr(obj, "id", None) == user.id)


def visible_statuses(user) -> tuple[str, ...] | None:
    """Recommendation statuses ``user`` may see; None means all of them."""
    if user.role == Role.REVIEWER:
        return REVIEWER_VISIBLE_STATUSES
    return None


def require(action: str):
    """View decorator: log in first, then 403 unless ``can(current_user, action)``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
