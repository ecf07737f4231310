"""Planning a meeting: its details, moving and cancelling it, publishing its agenda.
One function, one transaction."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app import audit, events
from app.database import flush_or_raise, utcnow
from app.extensions import db
from app.meetings import searching
from app.meetings.models import (
    InvitationAnswer,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantRole,
)


class MeetingError(Exception):
    """A request about a meeting that cannot be carried out; the message is for the person."""


class StaleMeeting(MeetingError):
    """Someone changed the meeting (or its minutes) since the form was opened."""


@dataclass
class MeetingFields:
    title: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    place: str = ""
    link: str = ""
    description: str = ""
    language: str = "pl"


# --- planning -----------------------------------------------------------------------------


def _check_times(fields: MeetingFields) -> None:
    if fields.ends_at <= fields.starts_at:
        raise MeetingError(_("The meeting must end after it starts."))


def create_meeting(actor, subgroup_id: int, fields: MeetingFields) -> Meeting:
    """Plan a meeting; its creator becomes its first facilitator."""
    _check_times(fields)
    meeting = Meeting(
        subgroup_id=subgroup_id,
        created_by_id=actor.id,
        status=MeetingStatus.PLANNED.value,
        **_meeting_values(fields),
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(
        Participant(
            meeting_id=meeting.id,
            user_id=actor.id,
            role=ParticipantRole.FACILITATOR.value,
            answer=InvitationAnswer.ACCEPTED.value,
            answered_at=utcnow(),
        )
    )
    audit.record(actor, "meeting.created", meeting)
    searching.reindex(meeting.id)
    events.meeting_scheduled.send(meeting, actor=actor)
    db.session.commit()
    return meeting


def _meeting_values(fields: MeetingFields) -> dict:
    return {
        "title": fields.title.strip(),
        "starts_at": fields.starts_at,
        "ends_at": fields.ends_at,
        "mode": fields.mode,
        "place": fields.place.strip() or None,
        "link": fields.link.strip() or None,
        "description": fields.description.strip(),
        "language": fields.language,
    }


def update_meeting(meeting: Meeting, actor, fields: MeetingFields, expected_version: int) -> bool:
    """Save the meeting's details; returns whether its time moved (reminders follow it)."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError(_("A cancelled meeting cannot be changed."))
    moved = (fields.starts_at, fields.ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved and meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(_("A meeting that has started or taken place cannot be moved."))
    if meeting.version != expected_version:
        raise StaleMeeting(_("Someone changed this meeting in the meantime. Reload the page."))
    _check_times(fields)
    for name, value in _meeting_values(fields).items():
        setattr(meeting, name, value)
    flush_or_raise(
        lambda: StaleMeeting(_("Someone changed this meeting in the meantime. Reload the page."))
    )
    audit.record(actor, "meeting.edited", meeting, moved=moved)
    searching.reindex(meeting.id)
    events.meeting_changed.send(meeting, actor=actor, moved=moved)
    db.session.commit()
    return moved


def cancel_meeting(meeting: Meeting, actor, reason: str) -> None:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED, MeetingStatus.IN_PROGRESS):
        raise MeetingError(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise MeetingError(_("Say why the meeting is cancelled: the invitees will read it."))
    meeting.status = MeetingStatus.CANCELLED.value
    meeting.cancel_reason = reason.strip()
    audit.record(actor, "meeting.cancelled", meeting)
    events.meeting_changed.send(meeting, actor=actor, moved=False)
    db.session.commit()


def publish_agenda(meeting: Meeting, actor) -> None:
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = utcnow()
        audit.record(actor, "meeting.agenda_published", meeting)
        searching.reindex(meeting.id)
        db.session.commit()
