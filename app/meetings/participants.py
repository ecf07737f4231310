"""Participants: members invited in a role, guests, answers and attendance."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import audit, events
from app.database import utcnow
from app.extensions import db
from app.meetings.models import (
    Meeting,
    MeetingStatus,
    Participant,
)
from app.meetings.planning import MeetingError

# --- participants -------------------------------------------------------------------------


def invite_member(meeting: Meeting, actor, user, role: str) -> Participant:
    if not user.active:
        raise MeetingError(_("This account is not active."))
    participant = Participant(meeting_id=meeting.id, user_id=user.id, role=role)
    try:
        with db.session.begin_nested():
            db.session.add(participant)
    except IntegrityError:
        raise MeetingError(_("%(name)s is already invited.", name=user.name)) from None
    audit.record(actor, "meeting.member_invited", meeting, user=user.id, role=role)
    events.meeting_invited.send(meeting, actor=actor, participant=participant)
    db.session.commit()
    return participant


def add_guest(
    meeting: Meeting,
    actor,
    *,
    name: str,
    organisation_id: int | None,
    sector_code: str | None,
    role: str,
    email: str = "",
) -> Participant:
    if not name.strip():
        raise MeetingError(_("A guest needs a name."))
    participant = Participant(
        meeting_id=meeting.id,
        name=name.strip(),
        organisation_id=organisation_id,
        sector_code=sector_code,
        role=role,
        email=email.strip().lower() or None,
    )
    db.session.add(participant)
    db.session.flush()
    audit.record(actor, "meeting.guest_added", meeting, name=participant.name)
    db.session.commit()
    return participant


def remove_participant(participant: Participant, actor) -> None:
    audit.record(actor, "meeting.participant_removed", participant)
    db.session.delete(participant)
    db.session.commit()


def answer_invitation(meeting: Meeting, user, answer: str) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(_("This meeting no longer takes answers."))
    participant = db.session.scalar(
        select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.user_id == user.id
        )
    )
    if participant is None:
        raise MeetingError(_("You are not invited to this meeting."))
    participant.answer = answer
    participant.answered_at = utcnow()
    audit.record(user, "meeting.invitation_answered", meeting, answer=answer)
    db.session.commit()


def record_attendance(meeting: Meeting, actor, present_ids: set[int]) -> None:
    for participant in db.session.scalars(
        select(Participant).where(Participant.meeting_id == meeting.id)
    ):
        participant.attended = participant.id in present_ids
    audit.record(actor, "meeting.attendance_recorded", meeting, present=len(present_ids))
    db.session.commit()
