"""Every change to recommendations and their discussion: one function, one transaction."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, events, search
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.follows import FollowTarget, ensure_follow
from app.permissions import can
from app.problems.models import Challenge
from app.recommendations import mentions, workflow
from app.recommendations.models import (
    TEXT_FIELDS,
    Amendment,
    AmendmentState,
    AuthorState,
    Comment,
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
    Support,
)


class RecommendationError(Exception):
    """A request that cannot be carried out; the message is for the person."""


class StaleEdit(Exception):
    """Someone saved the recommendation after this editor opened it."""

    def __init__(self, recommendation: Recommendation):
        super().__init__("stale edit")
        self.recommendation = recommendation


@dataclass
class TextFields:
    """The editable text of a recommendation (what revisions snapshot)."""

    title: str
    summary: str = ""
    body: str = ""
    addressee: str = ""
    expected_impact: str = ""

    def as_dict(self) -> dict[str, str]:
        return {field: (getattr(self, field) or "").strip() for field in TEXT_FIELDS}


# --- helpers ------------------------------------------------------------------------------


def _next_number(area_id: int, category_id: int) -> int:
    current = db.session.scalar(
        select(func.max(Recommendation.number)).where(
            Recommendation.problem_area_id == area_id, Recommendation.category_id == category_id
        )
    )
    return (current or 0) + 1


def _add_revision(
    rec: Recommendation, actor: User, note: str, amended_by: User | None = None
) -> Revision:
    number = (
        db.session.scalar(
            select(func.max(Revision.number)).where(Revision.recommendation_id == rec.id)
        )
        or 0
    ) + 1
    revision = Revision(
        recommendation_id=rec.id,
        number=number,
        recommendation_version=rec.version,
        author_id=actor.id,
        note=note.strip(),
        amended_by_id=amended_by.id if amended_by else None,
        **rec.text_snapshot(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def _author_row(rec_id: int, user_id: int) -> RecommendationAuthor | None:
    return db.session.scalar(
        select(RecommendationAuthor).where(
            RecommendationAuthor.recommendation_id == rec_id,
            RecommendationAuthor.user_id == user_id,
        )
    )


def latest_revision(rec: Recommendation) -> Revision:
    return db.session.scalar(
        select(Revision)
        .where(Revision.recommendation_id == rec.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def reindex(rec_id: int) -> None:
    """Refresh the search document: the text and every visible comment."""
    rec = db.session.get(Recommendation, rec_id)
    comments = db.session.scalars(
        select(Comment.body).where(
            Comment.recommendation_id == rec_id, Comment.deleted_at.is_(None)
        )
    )
    search.index_recommendation(
        rec_id, [rec.title, rec.summary, rec.body, rec.addressee, rec.expected_impact, *comments]
    )


def _adjust_counter(model, obj_id: int, column: str, delta: int) -> None:
    # A plain UPDATE: counters must not bump the optimistic-locking version.
    db.session.execute(
        update(model).where(model.id == obj_id).values({column: getattr(model, column) + delta})
    )


def _record_status(
    rec: Recommendation,
    actor: User | None,
    source: str | None,
    target: str,
    note: str = "",
    merged_into: Recommendation | None = None,
    meeting_id: int | None = None,
) -> StatusChange:
    change = StatusChange(
        recommendation_id=rec.id,
        from_status=source,
        to_status=target,
        actor_id=actor.id if actor else None,
        note=note.strip(),
        merged_into_id=merged_into.id if merged_into else None,
        meeting_id=meeting_id,
    )
    db.session.add(change)
    return change


# --- creating and editing -----------------------------------------------------------------


def create_recommendation(
    actor: User,
    *,
    area,
    category,
    text: TextFields,
    secondary_areas=(),
    challenges=(),
    origin_meeting=None,
    note: str = "",
) -> Recommendation:
    """Create a draft with its first revision; the creator becomes its first author."""
    for _attempt in range(3):
        try:
            with db.session.begin_nested():
                rec = Recommendation(
                    problem_area_id=area.id,
                    category_id=category.id,
                    number=_next_number(area.id, category.id),
                    created_by_id=actor.id,
                    status="draft",
                    origin_meeting_id=getattr(origin_meeting, "id", None),
                    **text.as_dict(),
                )
                rec.secondary_areas = [a for a in secondary_areas if a.id != area.id]
                rec.challenges = list(challenges)
                db.session.add(rec)
                db.session.flush()
            break
        except IntegrityError:
            continue  # another writer took the number; take the next one
    else:
        raise RecommendationError(_("The recommendation could not be numbered; try again."))
    db.session.add(
        RecommendationAuthor(
            recommendation_id=rec.id,
            user_id=actor.id,
            state=AuthorState.ACCEPTED.value,
            answered_at=utcnow(),
        )
    )
    _add_revision(rec, actor, note or _("First version."))
    _record_status(rec, actor, None, "draft")
    ensure_follow(actor, FollowTarget.RECOMMENDATION, rec.id)
    reindex(rec.id)
    audit.record(actor, "recommendation.created", rec)
    events.recommendation_created.send(rec, actor=actor)
    db.session.commit()
    return rec


def update_recommendation(
    rec: Recommendation,
    actor: User,
    *,
    expected_version: int,
    text: TextFields,
    note: str,
    secondary_areas=None,
    challenges=None,
) -> Revision | None:
    """Save an edit as a new revision. Raises StaleEdit when someone saved in between;
    returns None when nothing changed."""
    if rec.version != expected_version:
        raise StaleEdit(rec)
    new = text.as_dict()
    changed = new != rec.text_snapshot()
    if secondary_areas is not None:
        wanted = [a for a in secondary_areas if a.id != rec.problem_area_id]
        if {a.id for a in wanted} != {a.id for a in rec.secondary_areas}:
            rec.secondary_areas = wanted
            changed = True
    if challenges is not None and {c.id for c in challenges} != {c.id for c in rec.challenges}:
        rec.challenges = list(challenges)
        changed = True
    if not changed:
        return None
    for field, value in new.items():
        setattr(rec, field, value)
    rec.updated_at = utcnow()  # the version moves even when only links changed
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit(db.session.get(Recommendation, rec.id)) from None
    revision = _add_revision(rec, actor, note)
    reindex(rec.id)
    audit.record(actor, "recommendation.revised", rec, revision=revision.number)
    events.recommendation_revised.send(rec, actor=actor, revision=revision)
    db.session.commit()
    return revision


# --- authors ------------------------------------------------------------------------------


def invite_coauthor(rec: Recommendation, actor: User, invitee: User) -> RecommendationAuthor:
    if invitee.role == "reviewer" or not invitee.active:
        raise RecommendationError(_("Only active subgroup members can be co-authors."))
    existing = _author_row(rec.id, invitee.id)
    if existing is not None and existing.state != AuthorState.DECLINED:
        raise RecommendationError(_("%(name)s is already an author or invited.", name=invitee.name))
    if existing is None:
        existing = RecommendationAuthor(recommendation_id=rec.id, user_id=invitee.id)
        db.session.add(existing)
    existing.state = AuthorState.INVITED.value
    existing.invited_by_id = actor.id
    existing.answered_at = None
    db.session.flush()
    audit.record(actor, "recommendation.coauthor_invited", rec, user=invitee.id)
    events.coauthor_invited.send(existing, actor=actor, recommendation=rec)
    db.session.commit()
    return existing


def answer_coauthor_invitation(rec: Recommendation, actor: User, accept: bool) -> None:
    row = _author_row(rec.id, actor.id)
    if row is not None and row.state != AuthorState.INVITED:
        row = None
    if row is None:
        raise RecommendationError(_("There is no open invitation for you here."))
    if rec.status not in workflow.OPEN_STATUSES:
        raise RecommendationError(_("This recommendation is no longer being drafted."))
    row.state = (AuthorState.ACCEPTED if accept else AuthorState.DECLINED).value
    row.answered_at = utcnow()
    if accept:
        ensure_follow(actor, FollowTarget.RECOMMENDATION, rec.id)
    audit.record(
        actor,
        "recommendation.coauthor_accepted" if accept else "recommendation.coauthor_declined",
        rec,
    )
    db.session.commit()


# --- workflow -----------------------------------------------------------------------------


def change_status(
    rec: Recommendation,
    actor: User,
    target: str,
    *,
    note: str = "",
    merged_into: Recommendation | None = None,
    meeting_id: int | None = None,
) -> StatusChange:
    """Move the recommendation one step, if the workflow has that step and actor may take it."""
    step = workflow.find(rec.status, target)
    if step is None or not can(actor, "transition", rec, target=target):
        raise RecommendationError(_("This change of status is not possible now."))
    if step.note_required and not note.strip():
        raise RecommendationError(_("Say why: the authors will read it."))
    if target == "merged":
        if merged_into is None or merged_into.id == rec.id:
            raise RecommendationError(_("Choose another recommendation to merge into."))
        if merged_into.status in ("merged", "withdrawn"):
            raise RecommendationError(
                _("A withdrawn or merged recommendation cannot take others in.")
            )
        rec.merged_into_id = merged_into.id
    source = rec.status
    rec.status = target
    change = _record_status(rec, actor, source, target, note, merged_into, meeting_id)
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise RecommendationError(
            _(
                "Someone changed this recommendation at the same moment. "
                "Reload the page and try again."
            )
        ) from None
    audit.record(actor, "recommendation.status_changed", rec, old=source, new=target)
    events.status_changed.send(rec, actor=actor, change=change)
    db.session.commit()
    return change


# --- amendments ---------------------------------------------------------------------------


def propose_amendment(
    rec: Recommendation, actor: User, text: TextFields, justification: str
) -> Amendment:
    proposed = text.as_dict()
    if proposed == rec.text_snapshot():
        raise RecommendationError(_("The amendment changes nothing yet."))
    amendment = Amendment(
        recommendation_id=rec.id,
        author_id=actor.id,
        base_revision_id=latest_revision(rec).id,
        justification=justification.strip(),
        **proposed,
    )
    db.session.add(amendment)
    db.session.flush()
    ensure_follow(actor, FollowTarget.RECOMMENDATION, rec.id)
    audit.record(actor, "amendment.proposed", amendment, recommendation=rec.id)
    events.amendment_proposed.send(amendment, actor=actor, recommendation=rec)
    db.session.commit()
    return amendment


def _claim_amendment(
    amendment: Amendment, state: AmendmentState, actor: User, reason: str = ""
) -> None:
    """Decide a pending amendment with one conditional UPDATE, so an accept and a reject
    arriving together cannot both win."""
    decided = db.session.execute(
        update(Amendment)
        .where(Amendment.id == amendment.id, Amendment.state == AmendmentState.PENDING.value)
        .values(state=state.value, decided_by_id=actor.id, decided_at=utcnow(), reason=reason)
    ).rowcount
    if not decided:
        db.session.rollback()
        raise RecommendationError(_("This amendment has already been decided."))
    db.session.refresh(amendment)


def accept_amendment(amendment: Amendment, actor: User) -> Revision:
    """Apply the fields the amendment changed; the new revision credits the amender.
    Refused when the authors have since changed the same field differently."""
    rec = db.session.get(Recommendation, amendment.recommendation_id)
    base = db.session.get(Revision, amendment.base_revision_id).text_snapshot()
    proposed = amendment.text_snapshot()
    current = rec.text_snapshot()
    clashes = [
        f
        for f in TEXT_FIELDS
        if proposed[f] != base[f] and current[f] != base[f] and current[f] != proposed[f]
    ]
    if clashes:
        raise RecommendationError(
            _(
                "The text has changed since this amendment was written, in "
                "the same places. Ask its author to propose it again."
            )
        )
    _claim_amendment(amendment, AmendmentState.ACCEPTED, actor)
    for field in TEXT_FIELDS:
        if proposed[field] != base[field]:
            setattr(rec, field, proposed[field])
    rec.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise RecommendationError(
            _("Someone saved the recommendation at the same moment. Try again.")
        ) from None
    amender = db.session.get(User, amendment.author_id)
    revision = _add_revision(
        rec, actor, _("Amendment by %(name)s accepted.", name=amender.name), amended_by=amender
    )
    amendment.resulting_revision_id = revision.id
    reindex(rec.id)
    audit.record(actor, "amendment.accepted", amendment, revision=revision.number)
    events.amendment_decided.send(amendment, actor=actor, recommendation=rec)
    db.session.commit()
    return revision


def reject_amendment(amendment: Amendment, actor: User, reason: str) -> None:
    if not reason.strip():
        raise RecommendationError(_("Say why the amendment is rejected: its author will read it."))
    rec = db.session.get(Recommendation, amendment.recommendation_id)
    _claim_amendment(amendment, AmendmentState.REJECTED, actor, reason.strip())
    audit.record(actor, "amendment.rejected", amendment)
    events.amendment_decided.send(amendment, actor=actor, recommendation=rec)
    db.session.commit()


# --- discussion ---------------------------------------------------------------------------


def _ambiguity_message(ambiguous: dict) -> str:
    """Which handles to write instead of a name several people have."""
    parts = []
    for name, people in ambiguous.items():
        choices = ", ".join(
            f"@{u.handle} ({u.organisation.name})" if u.organisation else f"@{u.handle}"
            for u in people
        )
        parts.append(
            _(
                "Several people are called “%(name)s”; write the handle of the one you mean: "
                "%(choices)s.",
                name=name,
                choices=choices,
            )
        )
    return " ".join(parts)


def add_comment(
    target, actor: User, body: str, *, stance: str | None = None, parent_id: int | None = None
) -> Comment:
    """Post a comment (or a reply) on a recommendation or a challenge."""
    is_rec = isinstance(target, Recommendation)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        same_target = parent is not None and (
            parent.recommendation_id == target.id if is_rec else parent.challenge_id == target.id
        )
        if not same_target:
            raise RecommendationError(
                _("The comment you are replying to is not in this discussion.")
            )
        if parent.deleted_at is not None:
            raise RecommendationError(_("You cannot reply to a deleted comment."))
    named = mentions.resolve(body)
    if named.ambiguous:
        raise RecommendationError(_ambiguity_message(named.ambiguous))
    comment = Comment(
        author_id=actor.id,
        body=body.strip(),
        stance=stance or None,
        parent_id=parent.id if parent else None,
        recommendation_id=target.id if is_rec else None,
        challenge_id=None if is_rec else target.id,
    )
    db.session.add(comment)
    db.session.flush()
    _adjust_counter(type(target), target.id, "comment_count", +1)
    follow_type = FollowTarget.RECOMMENDATION if is_rec else FollowTarget.CHALLENGE
    ensure_follow(actor, follow_type, target.id)
    if is_rec:
        reindex(target.id)
    mentioned = [u for u in named.people if u.id != actor.id]
    audit.record(actor, "comment.posted", comment)
    events.comment_posted.send(comment, actor=actor, target=target, mentioned=mentioned)
    db.session.commit()
    return comment


def edit_comment(comment: Comment, actor: User, body: str) -> None:
    if not can(actor, "edit_comment", comment):
        raise RecommendationError(_("Comments can be edited by their author for 15 minutes."))
    comment.body = body.strip()
    comment.edited_at = utcnow()
    if comment.recommendation_id:
        reindex(comment.recommendation_id)
    audit.record(actor, "comment.edited", comment)
    db.session.commit()


def delete_comment(comment: Comment, actor: User) -> None:
    """Soft delete: the text goes, the place in the thread stays for the replies."""
    # One conditional UPDATE: of two deletes at once only one counts.
    deleted = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(body="", deleted_at=utcnow())
    ).rowcount
    if not deleted:
        db.session.rollback()
        return
    db.session.refresh(comment)
    if comment.recommendation_id:
        _adjust_counter(Recommendation, comment.recommendation_id, "comment_count", -1)
        reindex(comment.recommendation_id)
    else:
        _adjust_counter(Challenge, comment.challenge_id, "comment_count", -1)
    audit.record(actor, "comment.deleted", comment)
    db.session.commit()


# --- support ------------------------------------------------------------------------------


def set_support(rec: Recommendation, actor: User, support: bool) -> None:
    """Support (once per member) or withdraw one's support."""
    existing = db.session.scalar(
        select(Support).where(Support.recommendation_id == rec.id, Support.user_id == actor.id)
    )
    if support and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(Support(recommendation_id=rec.id, user_id=actor.id))
        except IntegrityError:
            return  # a double click: the first one counted
        _adjust_counter(Recommendation, rec.id, "support_count", +1)
        audit.record(actor, "recommendation.supported", rec)
    elif not support and existing is not None:
        removed = db.session.execute(delete(Support).where(Support.id == existing.id)).rowcount
        if not removed:
            db.session.rollback()
            return  # withdrawn twice at once: the first one counted
        _adjust_counter(Recommendation, rec.id, "support_count", -1)
        audit.record(actor, "recommendation.support_withdrawn", rec)
    db.session.commit()
