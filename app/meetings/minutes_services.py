"""Minutes: saved as versions, published to those who attended, then locked."""

from flask_babel import gettext as _
from sqlalchemy import select, update

from app import audit, events
from app.database import next_number, utcnow
from app.extensions import db
from app.meetings.agenda import has_started
from app.meetings.models import (
    Meeting,
    Minutes,
    MinutesRevision,
)
from app.meetings.planning import MeetingError, StaleMeeting

# --- minutes ------------------------------------------------------------------------------


def save_minutes(
    meeting: Meeting, actor, body: str, *, reason: str = "", expected_version: int | None = None
) -> MinutesRevision:
    """Save a new text of the minutes. After publication a reason is required."""
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id, version=0)
        db.session.add(minutes)
        db.session.flush()
        expected_version = 0
    if minutes.published_at is not None and not reason.strip():
        raise MeetingError(_("The minutes are published: say why you correct them."))
    if not body.strip():
        raise MeetingError(_("The minutes cannot be empty."))
    number = next_number(MinutesRevision.number, MinutesRevision.minutes_id == minutes.id)
    revision = MinutesRevision(
        minutes_id=minutes.id,
        number=number,
        body=body.strip(),
        reason=reason.strip(),
        author_id=actor.id,
    )
    db.session.add(revision)
    # One conditional UPDATE: only the editor who saw the current version moves it on.
    moved = db.session.execute(
        update(Minutes)
        .where(
            Minutes.id == minutes.id,
            Minutes.version == (minutes.version if expected_version is None else expected_version),
        )
        .values(version=Minutes.version + 1)
    ).rowcount
    if not moved:
        db.session.rollback()
        raise StaleMeeting(
            _(
                "Someone saved the minutes in the meantime. Your text is kept "
                "below; compare it with the current one and save again."
            )
        )
    db.session.flush()
    audit.record(actor, "minutes.saved", minutes, revision=number)
    if minutes.published_at is not None:
        events.minutes_published.send(meeting, actor=actor, revision=revision, correction=True)
    db.session.commit()
    return revision


def publish_minutes(meeting: Meeting, actor) -> None:
    if not has_started(meeting):
        raise MeetingError(_("Minutes are published after the meeting has taken place."))
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting.id))
    if minutes is None:
        raise MeetingError(_("Write the minutes before publishing them."))
    if minutes.published_at is not None:
        raise MeetingError(_("The minutes are already published."))
    latest = db.session.scalar(
        select(MinutesRevision)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.number.desc())
        .limit(1)
    )
    minutes.published_at = utcnow()
    minutes.published_by_id = actor.id
    audit.record(actor, "minutes.published", minutes)
    events.minutes_published.send(meeting, actor=actor, revision=latest, correction=False)
    db.session.commit()
