"""How the rest of the app treats recommendations: who may do what to one, its
amendments, comments and evidence links (``can``); who sees one in lists of follows
and notifications; how a follow of one is listed.

Registered with ``app.permissions`` and ``app.follows`` when this module is imported,
so ``can()`` stays the one question everywhere."""

from flask import url_for
from sqlalchemy import and_, inspect, or_, select, true

from app import pending
from app.attachments import owners
from app.database import utcnow
from app.extensions import db
from app.follows import Followable, FollowTarget, register_followable
from app.permissions import (
    COMMENT_EDIT_WINDOW,
    VISIBLE_STATUSES_BY_ROLE,
    is_staff,
    register_object_rules,
    register_target_rule,
    visible_statuses,
)
from app.recommendations import drafting, evidence, workflow
from app.recommendations.models import Amendment, Recommendation, RecommendationAuthor
from app.strategies import citations

#: From here on a ministry has (or had) the text with its evidence: links stay as sent.
LINKS_FROZEN = ("submitted", "answered", "withdrawn", "merged")


def is_author(user, recommendation) -> bool:
    """An accepted author (the creator or a co-author who accepted)."""
    if "authors" in inspect(recommendation).unloaded:
        # Not loaded by the caller (a service called outside a page): ask the database.
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


def _view_recommendation(user, rec) -> bool:
    statuses = visible_statuses(user)
    return statuses is None or rec.status in statuses


def _edit_recommendation(user, rec) -> bool:
    return rec.status in workflow.OPEN_STATUSES and (is_author(user, rec) or is_staff(user))


def _invite_coauthor(user, rec) -> bool:
    # The creator invites co-authors (DESIGN: "the creator invites members as co-authors").
    return rec.status in workflow.OPEN_STATUSES and rec.created_by_id == user.id


def _transition(user, rec, target: str | None = None) -> bool:
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
    status = getattr(target, "status", None)  # challenges have no status: always open
    return status is None or status in workflow.DISCUSSABLE_STATUSES


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


def _link_strategy(user, rec) -> bool:
    """Evidence can be added while a recommendation is alive (not withdrawn or merged)."""
    return rec.status not in ("withdrawn", "merged")


def _unlink_strategy(user, link, rec) -> bool:
    """Whoever made the link, the recommendation's authors and facilitators, until the
    recommendation is submitted."""
    if rec.status in LINKS_FROZEN:
        return False
    return link.created_by_id == user.id or is_staff(user) or is_author(user, rec)


register_object_rules(
    {
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
        "link_strategy": _link_strategy,
        "unlink_strategy": _unlink_strategy,
    }
)


def _see_materials(user, rec) -> bool:
    """A draft's materials are its authors' and the facilitators' until it is opened
    for discussion; after that they are seen with the recommendation."""
    if not _view_recommendation(user, rec):
        return False
    return rec.status != "draft" or is_staff(user) or is_author(user, rec)


owners.register(
    owners.Owner(
        kind="recommendation",
        model=Recommendation,
        may_see=_see_materials,
        may_attach=_edit_recommendation,
        page=lambda rec: url_for("recommendations.detail", rec_id=rec.id),
        name=lambda rec: rec.title,
        reindex=drafting.reindex,
    )
)


def shown_to(viewer, target_id):
    """SQL condition: ``viewer`` may see the recommendation ``target_id`` (its status is
    one their role sees). The same rule as ``permissions.visible_statuses``."""
    conditions = [
        or_(
            viewer.role != role,
            target_id.in_(select(Recommendation.id).where(Recommendation.status.in_(statuses))),
        )
        for role, statuses in VISIBLE_STATUSES_BY_ROLE.items()
    ]
    return and_(true(), *conditions)


register_target_rule(FollowTarget.RECOMMENDATION, shown_to)
register_followable(
    FollowTarget.RECOMMENDATION,
    Followable(
        Recommendation,
        lambda _language: Recommendation.title,
        lambda: Recommendation.id,
        "/recommendations/",
    ),
)
citations.register(evidence.links_of_strategy)


def _invitations_open(requests: list[pending.Request]) -> set:
    """A co-author invitation waits while the invitee has neither accepted nor declined
    and the recommendation can still be written."""
    waiting = set(
        db.session.execute(
            select(RecommendationAuthor.recommendation_id, RecommendationAuthor.user_id)
            .join(Recommendation, Recommendation.id == RecommendationAuthor.recommendation_id)
            .where(
                RecommendationAuthor.recommendation_id.in_({r.target_id for r in requests}),
                RecommendationAuthor.user_id.in_({r.user_id for r in requests}),
                RecommendationAuthor.state == "invited",
                Recommendation.status.in_(workflow.OPEN_STATUSES),
            )
        ).all()
    )
    return {r.key for r in requests if (r.target_id, r.user_id) in waiting}


def _amendments_open(requests: list[pending.Request]) -> set:
    """A proposed amendment waits while it is undecided, its recommendation is in
    discussion and the reader is still one of its authors (who decide it)."""
    undecided = set(
        db.session.execute(
            select(Amendment.id, RecommendationAuthor.user_id)
            .join(Recommendation, Recommendation.id == Amendment.recommendation_id)
            .join(RecommendationAuthor, RecommendationAuthor.recommendation_id == Recommendation.id)
            .where(
                Amendment.id.in_({r.get("amendment_id") for r in requests}),
                Amendment.state == "pending",
                Recommendation.status == "discussion",
                RecommendationAuthor.state == "accepted",
                RecommendationAuthor.user_id.in_({r.user_id for r in requests}),
            )
        ).all()
    )
    return {r.key for r in requests if (r.get("amendment_id"), r.user_id) in undecided}


pending.register("coauthor.invited", _invitations_open)
pending.register("amendment.proposed", _amendments_open)
