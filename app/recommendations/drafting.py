"""Writing recommendations: creating and editing them (every save a revision), their
co-authors, and amendments proposed by others. One function, one transaction."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import audit, events, search, system_notes
from app.attachments import text as materials_text
from app.auth.models import User
from app.database import commit, flush_or_raise, next_number, utcnow
from app.extensions import db
from app.follows import FollowTarget, ensure_follow
from app.recommendations import workflow
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
    return next_number(
        Recommendation.number,
        Recommendation.problem_area_id == area_id,
        Recommendation.category_id == category_id,
    )


#: Notes Warsztat writes on a revision, worded for each reader (``app.system_notes``).
FIRST_VERSION = "revision.first"
AMENDMENT_ACCEPTED = "revision.amendment_accepted"
system_notes.register(FIRST_VERSION, lambda: _("First version."))
system_notes.register(
    AMENDMENT_ACCEPTED, lambda name="": _("Amendment by %(name)s accepted.", name=name)
)


def add_revision(
    rec: Recommendation,
    actor: User,
    note: str = "",
    amended_by: User | None = None,
    *,
    code: str | None = None,
    params: dict | None = None,
) -> Revision:
    """A numbered copy of the text as it is now, with the editor's ``note`` or a note
    Warsztat writes (``code`` and ``params``)."""
    number = next_number(Revision.number, Revision.recommendation_id == rec.id)
    revision = Revision(
        recommendation_id=rec.id,
        number=number,
        recommendation_version=rec.version,
        author_id=actor.id,
        note=note.strip(),
        note_code=code,
        note_params=params or {},
        amended_by_id=amended_by.id if amended_by else None,
        **rec.text_snapshot(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def author_row(rec_id: int, user_id: int) -> RecommendationAuthor | None:
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
    """Refresh the search document: the text, every visible comment, and the text of
    its materials once they are seen by everyone who sees it (after the draft)."""
    rec = db.session.get(Recommendation, rec_id)
    comments = db.session.scalars(
        select(Comment.body).where(
            Comment.recommendation_id == rec_id, Comment.deleted_at.is_(None)
        )
    )
    materials = [] if rec.status == "draft" else materials_text.texts_of("recommendation", [rec_id])
    search.index_recommendation(
        rec_id,
        [
            rec.title,
            rec.summary,
            rec.body,
            rec.addressee,
            rec.expected_impact,
            *comments,
            *materials,
        ],
    )


def adjust_counter(model, obj_id: int, column: str, delta: int) -> None:
    # A plain UPDATE: counters must not bump the optimistic-locking version.
    db.session.execute(
        update(model).where(model.id == obj_id).values({column: getattr(model, column) + delta})
    )


def record_status(
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
    if note.strip():
        add_revision(rec, actor, note)
    else:
        add_revision(rec, actor, code=FIRST_VERSION)
    record_status(rec, actor, None, "draft")
    ensure_follow(actor, FollowTarget.RECOMMENDATION, rec.id)
    reindex(rec.id)
    audit.record(actor, "recommendation.created", rec)
    events.recommendation_created.send(rec, actor=actor)
    commit()
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
    flush_or_raise(lambda: StaleEdit(db.session.get(Recommendation, rec.id)))
    revision = add_revision(rec, actor, note)
    reindex(rec.id)
    audit.record(actor, "recommendation.revised", rec, revision=revision.number)
    events.recommendation_revised.send(rec, actor=actor, revision=revision)
    commit()
    return revision


# --- authors ------------------------------------------------------------------------------


def invite_coauthor(rec: Recommendation, actor: User, invitee: User) -> RecommendationAuthor:
    if invitee.role == "reviewer" or not invitee.active:
        raise RecommendationError(_("Only active subgroup members can be co-authors."))
    existing = author_row(rec.id, invitee.id)
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
    commit()
    return existing


def answer_coauthor_invitation(rec: Recommendation, actor: User, accept: bool) -> None:
    row = author_row(rec.id, actor.id)
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
    commit()


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
    commit()
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
    flush_or_raise(
        lambda: RecommendationError(
            _("Someone saved the recommendation at the same moment. Try again.")
        )
    )
    amender = db.session.get(User, amendment.author_id)
    revision = add_revision(
        rec, actor, amended_by=amender, code=AMENDMENT_ACCEPTED, params={"name": amender.name}
    )
    amendment.resulting_revision_id = revision.id
    reindex(rec.id)
    audit.record(actor, "amendment.accepted", amendment, revision=revision.number)
    events.amendment_decided.send(amendment, actor=actor, recommendation=rec)
    commit()
    return revision


def reject_amendment(amendment: Amendment, actor: User, reason: str) -> None:
    if not reason.strip():
        raise RecommendationError(_("Say why the amendment is rejected: its author will read it."))
    rec = db.session.get(Recommendation, amendment.recommendation_id)
    _claim_amendment(amendment, AmendmentState.REJECTED, actor, reason.strip())
    audit.record(actor, "amendment.rejected", amendment)
    events.amendment_decided.send(amendment, actor=actor, recommendation=rec)
    commit()
