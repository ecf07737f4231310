"""Who may do what: the one place that answers it, for views, templates and tests."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, Select, or_
from sqlalchemy.orm import aliased

from app.auth.models import API_TOKEN_ROLES, Role, User

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.FACILITATOR})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.FACILITATOR, Role.MEMBER})

#: Action -> roles allowed. Object-level rules are in ``can`` below.
RULES: dict[str, frozenset[Role]] = {
    # Reading the workspace: dashboard, problem areas, recommendation lists, meetings.
    "view_workspace": ALL_ROLES,
    # Managing accounts: invitations, roles, deactivation.
    "manage_users": frozenset({Role.ADMIN}),
    # The list of organisations (partners' records): add, correct, merge, delete.
    "manage_organisations": frozenset({Role.ADMIN, Role.FACILITATOR}),
    # The living style guide (/styleguide), for those who build and check the pages.
    "view_styleguide": frozenset({Role.ADMIN}),
    # Changing another account's role or active flag (never one's own).
    "change_user": frozenset({Role.ADMIN}),
    # Challenges and recommendations.
    "create_challenge": CONTRIBUTORS,
    "edit_challenge": CONTRIBUTORS,
    "create_recommendation": CONTRIBUTORS,
    "view_recommendation": ALL_ROLES,
    "edit_recommendation": CONTRIBUTORS,
    "invite_coauthor": CONTRIBUTORS,
    "transition": CONTRIBUTORS,
    "amend": CONTRIBUTORS,
    "decide_amendment": CONTRIBUTORS,
    "comment": CONTRIBUTORS,
    "edit_comment": CONTRIBUTORS,
    "delete_comment": CONTRIBUTORS,
    "support": CONTRIBUTORS,
    "follow": ALL_ROLES,
    # Meetings: everyone reads; facilitators plan and run them.
    "view_meeting": ALL_ROLES,
    "manage_meeting": STAFF,
    "answer_meeting_invitation": ALL_ROLES,
    "complete_action": ALL_ROLES,
    "calendar_feed": ALL_ROLES,
    # The V4 strategy portal: everyone reads; contributors record and classify;
    # facilitators review other people's classifications.
    "view_strategies": ALL_ROLES,
    "edit_strategy": CONTRIBUTORS,
    "classify_strategy": CONTRIBUTORS,
    "review_strategy": STAFF,
    "link_strategy": CONTRIBUTORS,
    "unlink_strategy": CONTRIBUTORS,
    "import_strategies": STAFF,
    "view_notifications": ALL_ROLES,
    # Materials (attachments): seen with the object they belong to; added, replaced and
    # removed by those the object's feature names (authors, facilitators, speakers).
    "view_attachment": ALL_ROLES,
    "attach": CONTRIBUTORS,
    "replace_attachment": CONTRIBUTORS,
    "remove_attachment": CONTRIBUTORS,
    # Ministry review: exports for everyone (scoped to what they see); facilitators send
    # packages; the addressee ministry's reviewers answer; reviewers and facilitators
    # talk in the package's reviewers' thread.
    "export": ALL_ROLES,
    "view_packages": ALL_ROLES,
    "send_package": STAFF,
    "package_thread": frozenset({Role.ADMIN, Role.FACILITATOR, Role.REVIEWER}),
    "answer": frozenset({Role.REVIEWER}),
    "api_tokens": API_TOKEN_ROLES,
}

#: Actions decided per object; the feature that owns the object registers the rule.
PER_OBJECT = frozenset(
    {
        "change_user",
        "view_recommendation",
        "edit_recommendation",
        "invite_coauthor",
        "transition",
        "amend",
        "decide_amendment",
        "comment",
        "edit_comment",
        "delete_comment",
        "support",
        "edit_challenge",
        "manage_meeting",
        "complete_action",
        "review_strategy",
        "link_strategy",
        "unlink_strategy",
        "view_packages",
        "package_thread",
        "answer",
        "view_attachment",
        "attach",
        "replace_attachment",
        "remove_attachment",
    }
)

#: Statuses a reviewer (ministry staff) may see: from agreement onward, never drafts.
REVIEWER_VISIBLE_STATUSES = ("agreed", "submitted", "answered")
#: Recommendation statuses per role; a role not named here sees every status.
VISIBLE_STATUSES_BY_ROLE: dict[str, tuple[str, ...]] = {Role.REVIEWER: REVIEWER_VISIBLE_STATUSES}
#: How long a comment's author may still edit it.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def is_staff(user) -> bool:
    return user.role in STAFF


def can(user, action: str, obj=None, **context) -> bool:
    """Whether ``user`` may perform ``action`` (on ``obj``, where it matters)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: add it to permissions.RULES")
    if user.role not in allowed:
        return False
    if obj is None or action not in PER_OBJECT:
        return True
    return _OBJECT_RULES[action](user, obj, **context)


def _change_user(user, target) -> bool:
    # An admin cannot demote or deactivate themselves and lock everyone out.
    return target.id != user.id


#: Action -> the rule for one object, registered by the feature that owns the object
#: (``register_object_rules``); an action not named here is decided by role alone.
_OBJECT_RULES: dict[str, Callable[..., bool]] = {"change_user": _change_user}


def register_object_rules(rules: dict[str, Callable[..., bool]]) -> None:
    """A feature says, at import time, how its objects are decided: action -> rule
    ``(user, obj, **context) -> bool``. The action must be in ``RULES`` already."""
    for action, rule in rules.items():
        if action not in RULES or action not in PER_OBJECT:
            raise KeyError(f"{action!r}: add it to permissions.RULES and PER_OBJECT")
        _OBJECT_RULES[action] = rule


def check_object_rules() -> None:
    """Every per-object action has its rule (called by the factory once features load):
    a missing one would otherwise surface as a KeyError on some page."""
    missing = sorted(PER_OBJECT - set(_OBJECT_RULES))
    if missing:
        raise RuntimeError(f"no object rule registered for: {', '.join(missing)}")


def visible_statuses(user) -> tuple[str, ...] | None:
    """Recommendation statuses ``user`` may see; None means all of them."""
    return VISIBLE_STATUSES_BY_ROLE.get(user.role)


# --- what lists may show ------------------------------------------------------------------
#
# Follows and notifications point at objects by (target type, id). Whether their owner
# may still see the object is asked here, in SQL, so that every list (the account page,
# the notification list and bell, the digests) applies the same rule when it is read,
# not only when the row was written: an object can move out of someone's sight later.

#: A rule takes the viewer (an aliased ``User`` in the query) and the target id column,
#: and gives the SQL condition under which that viewer may see the target.
TargetRule = Callable[[type[User], ColumnElement], ColumnElement[bool]]
_TARGET_RULES: dict[str, TargetRule] = {}


def register_target_rule(target_type: str, rule: TargetRule) -> None:
    """The feature that owns a kind of object says who may see one (at import time)."""
    _TARGET_RULES[target_type] = rule


def only_shown_targets(
    statement: Select, owner_id: ColumnElement, target_type: ColumnElement, target_id: ColumnElement
) -> Select:
    """``statement`` narrowed to rows whose target their owner may see now.

    ``owner_id`` is the column naming the person the row is for (``Follow.user_id``);
    their account is joined, so one query serves a list for many people at once."""
    viewer = aliased(User, name="viewer")
    statement = statement.join(viewer, viewer.id == owner_id)
    for kind, rule in _TARGET_RULES.items():
        statement = statement.where(or_(target_type != kind, rule(viewer, target_id)))
    return statement


def object_or_404(obj, need: str | None = None):
    """An object for a page: 404 if there is none, 403 if ``need`` is given and the
    current user may not do it to this one."""
    if obj is None:
        abort(404)
    if need and not can(current_user, need, obj):
        abort(403)
    return obj


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
