"""Who may do what: the one place that answers it, for views, templates and tests."""

from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, Select, inspect, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import API_TOKEN_ROLES, Role, User
from app.database import utcnow
from app.extensions import db

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.FACILITATOR})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.FACILITATOR, Role.MEMBER})

#: Action -> roles allowed. Object-level rules are in ``can`` below.
RULES: dict[str, frozenset[Role]] = {
    # Reading the workspace: dashboard, problem areas, recommendation lists, meetings.
    "view_workspace": ALL_ROLES,
    # Managing accounts: invitations, roles, deactivation.
    "manage_users": frozenset({Role.ADMIN}),
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

#: Statuses a reviewer (ministry staff) may see: from agreement onward, never drafts.
REVIEWER_VISIBLE_STATUSES = ("agreed", "submitted", "answered")
#: Recommendation statuses per role; a role not named here sees every status.
VISIBLE_STATUSES_BY_ROLE: dict[str, tuple[str, ...]] = {Role.REVIEWER: REVIEWER_VISIBLE_STATUSES}
#: How long a comment's author may still edit it.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def is_staff(user) -> bool:
    return user.role in STAFF


def is_author(user, recommendation) -> bool:
    """An accepted author (the creator or a co-author who accepted)."""
    if "authors" in inspect(recommendation).unloaded:
        # Not loaded by the caller (a service called outside a page): ask the database.
        from app.recommendations.models import RecommendationAuthor

        return (
            db.session.scalar(
                select(RecommendationAuthor.id).where(
                    RecommendationAuthor.recommendation_id == recommendation.id,
                    RecommendationAuthor.user_id == user.id,
                    RecommendationAuthor.state == "accepted",
                )
            )
            is not None
        )
    return any(a.user_id == user.id and a.state == "accepted" for a in recommendation.authors)


def can(user, action: str, obj=None, **context) -> bool:
    """Whether ``user`` may perform ``action`` (on ``obj``, where it matters)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: add it to permissions.RULES")
    if user.role not in allowed:
        return False
    check = _OBJECT_RULES.get(action)
    if check is None or obj is None:
        return True
    return check(user, obj, **context)


def _change_user(user, target) -> bool:
    # An admin cannot demote or deactivate themselves and lock everyone out.
    return target.id != user.id


def _view_recommendation(user, rec) -> bool:
    statuses = visible_statuses(user)
    return statuses is None or rec.status in statuses


def _edit_recommendation(user, rec) -> bool:
    from app.recommendations.workflow import OPEN_STATUSES

    return rec.status in OPEN_STATUSES and (is_author(user, rec) or is_staff(user))


def _invite_coauthor(user, rec) -> bool:
    from app.recommendations.workflow import OPEN_STATUSES

    # The creator invites co-authors (DESIGN: "the creator invites members as co-authors").
    return rec.status in OPEN_STATUSES and rec.created_by_id == user.id


def _transition(user, rec, target: str | None = None) -> bool:
    from app.recommendations import workflow

    if target is None:
        return any(_transition(user, rec, t.target) for t in workflow.available_from(rec.status))
    step = workflow.find(rec.status, target)
    if step is None or step.actor in workflow.SYSTEM_ACTORS:
        return False
    if step.actor == "facilitator":
        return is_staff(user)
    return is_author(user, rec) or is_staff(user)


def _amend(user, rec) -> bool:
    return rec.status == "discussion" and not is_author(user, rec)


def _decide_amendment(user, amendment) -> bool:
    rec = amendment.recommendation
    return amendment.state == "pending" and rec.status == "discussion" and is_author(user, rec)


def _comment(user, target) -> bool:
    from app.recommendations.workflow import DISCUSSABLE_STATUSES

    status = getattr(target, "status", None)  # challenges have no status: always open
    return status is None or status in DISCUSSABLE_STATUSES


def _edit_comment(user, comment, target=None) -> bool:
    """The author, within 15 minutes, while the discussion is open (``target``: the
    recommendation or challenge, when the caller has it)."""
    return (
        comment.author_id == user.id
        and comment.deleted_at is None
        and utcnow() - comment.created_at <= COMMENT_EDIT_WINDOW
        and (target is None or _comment(user, target))
    )


def _delete_comment(user, comment, target=None) -> bool:
    """The author while the discussion is open; facilitators (moderation) at any time."""
    if comment.deleted_at is not None:
        return False
    if is_staff(user):
        return True
    return comment.author_id == user.id and (target is None or _comment(user, target))


def _support(user, rec) -> bool:
    return rec.status in ("discussion", "agreed")


def _manage_meeting(user, meeting) -> bool:
    return meeting.status != "cancelled"


def _complete_action(user, action) -> bool:
    return action.owner_id == user.id or is_staff(user)


def may_see_agenda(user, meeting) -> bool:
    """A draft agenda is for the facilitators; everyone sees it once published."""
    return meeting.agenda_published_at is not None or is_staff(user)


def _link_strategy(user, rec) -> bool:
    """Evidence can be added while a recommendation is alive (not withdrawn or merged)."""
    return rec.status not in ("withdrawn", "merged")


#: From here on a ministry has (or had) the text with its evidence: links stay as sent.
_LINKS_FROZEN = ("submitted", "answered", "withdrawn", "merged")


def _unlink_strategy(user, link, rec) -> bool:
    """Whoever made the link, the recommendation's authors and facilitators, until the
    recommendation is submitted."""
    if rec.status in _LINKS_FROZEN:
        return False
    return link.created_by_id == user.id or is_staff(user) or is_author(user, rec)


def _review_strategy(user, strategy) -> bool:
    """A different person from the classifier reviews a proposed classification."""
    return strategy.status == "proposed" and strategy.classifier_id != user.id


def _edit_challenge(user, challenge) -> bool:
    return challenge.author_id == user.id or is_staff(user)


def _addressed_to(user, package) -> bool:
    """A reviewer only deals with packages addressed to their own ministry."""
    if user.role != Role.REVIEWER:
        return True
    return user.organisation_id is not None and package.organisation_id == user.organisation_id


_OBJECT_RULES = {
    "view_packages": _addressed_to,
    "package_thread": _addressed_to,
    "answer": _addressed_to,
    "change_user": _change_user,
    "view_recommendation": _view_recommendation,
    "edit_recommendation": _edit_recommendation,
    "invite_coauthor": _invite_coauthor,
    "transition": _transition,
    "amend": _amend,
    "decide_amendment": _decide_amendment,
    "comment": _comment,
    "edit_comment": _edit_comment,
    "delete_comment": _delete_comment,
    "support": _support,
    "edit_challenge": _edit_challenge,
    "manage_meeting": _manage_meeting,
    "complete_action": _complete_action,
    "review_strategy": _review_strategy,
    "link_strategy": _link_strategy,
    "unlink_strategy": _unlink_strategy,
}


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
