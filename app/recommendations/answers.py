"""Official ministry answers: staged by reviewers, then published together.

Publishing moves a submitted recommendation to ``answered`` and tells its
followers; until then the staged text is seen only by the ministry's reviewers
and the facilitators."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, events
from app.database import flush_or_raise, utcnow
from app.extensions import db
from app.recommendations.models import VERDICTS, MinistryAnswer, Recommendation, StatusChange
from app.recommendations.services import RecommendationError


class StaleAnswer(RecommendationError):
    """Another reviewer of the same ministry saved the answer in between."""


#: Statuses in which a ministry may answer (a re-opened recommendation waits for the next package).
ANSWERABLE = ("submitted", "answered")


def answer_of(rec_id: int, organisation_id: int) -> MinistryAnswer | None:
    return db.session.scalar(
        select(MinistryAnswer).where(
            MinistryAnswer.recommendation_id == rec_id,
            MinistryAnswer.organisation_id == organisation_id,
        )
    )


def stage(
    rec: Recommendation,
    actor,
    *,
    verdict: str,
    reasoning: str,
    package_id: int | None,
    version: int | None,
) -> MinistryAnswer:
    """Stage (or re-stage) the actor's ministry's answer; nothing is public yet.

    ``version`` is the answer's version the reviewer's form was opened at (None for a
    new answer); another reviewer's change in between is refused, not overwritten."""
    if actor.organisation_id is None:
        raise RecommendationError(_("Your account has no ministry; ask an administrator."))
    if rec.status not in ANSWERABLE:
        raise RecommendationError(_("This recommendation is not waiting for an answer."))
    if verdict not in VERDICTS:
        raise RecommendationError(_("Choose the answer."))
    reasoning = reasoning.strip()
    if not reasoning:
        raise RecommendationError(_("Give the reasoning: the subgroup will read it."))
    answer = answer_of(rec.id, actor.organisation_id)
    if answer is None:
        if version is not None:
            raise StaleAnswer(_stale_message())
        answer = MinistryAnswer(recommendation_id=rec.id, organisation_id=actor.organisation_id)
        db.session.add(answer)
    elif version != answer.version:
        raise StaleAnswer(_stale_message())
    answer.staged_verdict = verdict
    answer.staged_reasoning = reasoning
    answer.staged_by_id = actor.id
    answer.staged_at = utcnow()
    answer.package_id = package_id or answer.package_id
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        # Another reviewer saved first (or made the first answer at the same moment).
        db.session.rollback()
        raise StaleAnswer(_stale_message()) from None
    audit.record(actor, "answer.staged", answer, verdict=verdict, recommendation=rec.id)
    db.session.commit()
    return answer


def _stale_message() -> str:
    return _(
        "Another reviewer changed this answer in the meantime. "
        "Reload the page to see their text, then try again."
    )


def staged_for(organisation_id: int, rec_ids) -> list[MinistryAnswer]:
    return list(
        db.session.scalars(
            select(MinistryAnswer)
            .where(
                MinistryAnswer.organisation_id == organisation_id,
                MinistryAnswer.recommendation_id.in_(list(rec_ids)),
                MinistryAnswer.staged_verdict.is_not(None),
            )
            .order_by(MinistryAnswer.id)
        )
    )


def publish(actor, rec_ids) -> int:
    """Publish every staged answer of the actor's ministry among ``rec_ids``, together.

    Returns how many were published. One transaction: all of them or none."""
    answers = staged_for(actor.organisation_id, rec_ids)
    if not answers:
        raise RecommendationError(_("There are no staged answers to publish."))
    recs = {
        rec.id: rec
        for rec in db.session.scalars(
            select(Recommendation).where(
                Recommendation.id.in_([a.recommendation_id for a in answers])
            )
        )
    }
    now = utcnow()
    for answer in answers:
        rec = recs[answer.recommendation_id]
        if rec.status not in ANSWERABLE:
            continue  # re-opened since the answer was staged: it stays staged
        answer.verdict = answer.staged_verdict
        answer.reasoning = answer.staged_reasoning
        answer.published_by_id = actor.id
        answer.published_at = now
        answer.staged_verdict = None
        answer.staged_reasoning = ""
        if rec.status == "submitted":
            rec.status = "answered"
            db.session.add(
                StatusChange(
                    recommendation_id=rec.id,
                    from_status="submitted",
                    to_status="answered",
                    actor_id=actor.id,
                )
            )
        audit.record(
            actor, "answer.published", answer, verdict=answer.verdict, recommendation=rec.id
        )
        events.answer_published.send(answer, actor=actor, recommendation=rec)
    flush_or_raise(lambda: StaleAnswer(_stale_message()))
    published = sum(1 for a in answers if a.published_at == now)
    if not published:
        db.session.rollback()
        raise RecommendationError(_("There are no staged answers to publish."))
    db.session.commit()
    return published


def published_for(rec_ids) -> dict[int, list[MinistryAnswer]]:
    """Published answers (with their ministry) by recommendation id, oldest first."""
    grouped: dict[int, list[MinistryAnswer]] = {}
    for answer in db.session.scalars(
        select(MinistryAnswer)
        .where(
            MinistryAnswer.recommendation_id.in_(list(rec_ids)),
            MinistryAnswer.published_at.is_not(None),
        )
        .options(joinedload(MinistryAnswer.organisation))
        .order_by(MinistryAnswer.published_at, MinistryAnswer.id)
    ):
        grouped.setdefault(answer.recommendation_id, []).append(answer)
    return grouped


def published_answers(rec_id: int) -> list[MinistryAnswer]:
    return published_for([rec_id]).get(rec_id, [])
