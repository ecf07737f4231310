"""The agenda: items with their speakers and links, their order."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import audit
from app.attachments import services as attachment_services
from app.database import next_number, utcnow
from app.extensions import db
from app.meetings import searching
from app.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    agenda_item_challenges,
    agenda_item_problem_areas,
    agenda_item_recommendations,
)
from app.meetings.planning import MeetingError


@dataclass
class AgendaFields:
    title: str
    kind: str
    part: int = 1
    planned_minutes: int = 0
    speaker_user_id: int | None = None
    speaker_name: str = ""
    speaker_organisation_id: int | None = None
    speaker_sector_code: str | None = None
    problem_area_ids: tuple[int, ...] = ()
    challenge_ids: tuple[int, ...] = ()
    recommendation_ids: tuple[int, ...] = ()


# --- agenda -------------------------------------------------------------------------------


def _set_links(item: AgendaItem, fields: AgendaFields) -> None:
    for table, column, ids in (
        (agenda_item_problem_areas, "problem_area_id", fields.problem_area_ids),
        (agenda_item_challenges, "challenge_id", fields.challenge_ids),
        (agenda_item_recommendations, "recommendation_id", fields.recommendation_ids),
    ):
        db.session.execute(delete(table).where(table.c.agenda_item_id == item.id))
        if ids:
            db.session.execute(
                table.insert(),
                [{"agenda_item_id": item.id, column: value} for value in dict.fromkeys(ids)],
            )


def _check_speaker(fields: AgendaFields) -> None:
    if fields.speaker_user_id and fields.speaker_name.strip():
        raise MeetingError(_("Choose a member as the speaker or name a guest, not both."))
    if not fields.speaker_name.strip() and (
        fields.speaker_organisation_id or fields.speaker_sector_code
    ):
        raise MeetingError(_("A guest speaker needs a name."))


def _agenda_values(fields: AgendaFields) -> dict:
    guest = bool(fields.speaker_name.strip())
    return {
        "title": fields.title.strip(),
        "kind": fields.kind,
        "part": fields.part,
        "planned_minutes": fields.planned_minutes,
        "speaker_user_id": fields.speaker_user_id or None,
        "speaker_name": fields.speaker_name.strip() or None,
        "speaker_organisation_id": fields.speaker_organisation_id if guest else None,
        "speaker_sector_code": fields.speaker_sector_code if guest else None,
    }


def has_started(meeting: Meeting) -> bool:
    """Run in live mode, or simply past its start time (not every meeting is run live)."""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    return meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= utcnow()


def _check_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        raise MeetingError(
            _("The agenda of a meeting that took place or was cancelled stays as it is.")
        )


def add_agenda_item(meeting: Meeting, actor, fields: AgendaFields) -> AgendaItem:
    _check_open(meeting)
    _check_speaker(fields)
    position = next_number(AgendaItem.position, AgendaItem.meeting_id == meeting.id)
    item = AgendaItem(meeting_id=meeting.id, position=position, **_agenda_values(fields))
    db.session.add(item)
    db.session.flush()
    _set_links(item, fields)
    audit.record(actor, "agenda.item_added", item)
    searching.reindex(meeting.id)
    db.session.commit()
    return item


def update_agenda_item(item: AgendaItem, actor, fields: AgendaFields) -> None:
    _check_speaker(fields)
    for name, value in _agenda_values(fields).items():
        setattr(item, name, value)
    _set_links(item, fields)
    audit.record(actor, "agenda.item_edited", item)
    searching.reindex(item.meeting_id)
    db.session.commit()


def remove_agenda_item(item: AgendaItem, actor) -> None:
    if item.actual_start is not None:
        raise MeetingError(_("An item that has already been taken up stays on the agenda."))
    meeting_id, position = item.meeting_id, item.position
    audit.record(actor, "agenda.item_removed", item, title=item.title)
    # Its materials stay with the meeting, where they can still be found and removed.
    attachment_services.hand_over(item, db.session.get(Meeting, meeting_id), actor)
    db.session.delete(item)
    db.session.flush()
    # Close the gap one row at a time (the unique position is checked per statement).
    later = db.session.scalars(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting_id, AgendaItem.position > position)
        .order_by(AgendaItem.position)
    ).all()
    for row in later:
        row.position -= 1
        db.session.flush()
    searching.reindex(meeting_id)
    db.session.commit()


def move_agenda_item(item: AgendaItem, actor, direction: int) -> None:
    """Swap an item with its neighbour above (-1) or below (+1)."""
    neighbour = db.session.scalar(
        select(AgendaItem).where(
            AgendaItem.meeting_id == item.meeting_id,
            AgendaItem.position == item.position + direction,
        )
    )
    if neighbour is None:
        return
    mine, theirs = item.position, neighbour.position
    item.position = -mine  # out of the way, so the unique position never clashes
    db.session.flush()
    neighbour.position = mine
    db.session.flush()
    item.position = theirs
    audit.record(actor, "agenda.item_moved", item, position=theirs)
    db.session.commit()
