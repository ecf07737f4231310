"""Reads of meetings shared by pages, exports and the API."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.database import utcnow
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingStatus, Participant


def upcoming(limit: int | None = None) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.ends_at >= utcnow(), Meeting.status != MeetingStatus.CANCELLED.value)
        .order_by(Meeting.starts_at)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past(limit: int = 50) -> list[Meeting]:
    query = (
        select(Meeting)
        .where((Meeting.ends_at < utcnow()) | (Meeting.status == MeetingStatus.CANCELLED.value))
        .order_by(Meeting.starts_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def participant_counts(meetings: list[Meeting]) -> dict[int, int]:
    if not meetings:
        return {}
    query = (
        select(Participant.meeting_id, func.count())
        .where(Participant.meeting_id.in_([m.id for m in meetings]))
        .group_by(Participant.meeting_id)
    )
    return dict(db.session.execute(query).all())


def meeting_with_details(meeting_id: int) -> Meeting | None:
    """A meeting with its agenda (speakers, areas) and participants loaded up front."""
    query = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.agenda_items).options(
                joinedload(AgendaItem.speaker_user),
                joinedload(AgendaItem.speaker_organisation),
                selectinload(AgendaItem.problem_areas),
            ),
            selectinload(Meeting.participants).options(
                joinedload(Participant.user),
                joinedload(Participant.organisation),
                joinedload(Participant.sector),
            ),
        )
    )
    return db.session.scalar(query)


def sector_breakdown(meeting: Meeting) -> list[tuple[object, int]]:
    """Participants per sector (a participant's own sector, else their organisation's)."""
    counts: dict[str, int] = {}
    sectors: dict[str, object] = {}
    for participant in meeting.participants:
        sector = (
            participant.sector
            or (participant.organisation.sector if participant.organisation else None)
            or (
                participant.user.organisation.sector
                if participant.user and participant.user.organisation
                else None
            )
        )
        if sector is None:
            continue
        counts[sector.code] = counts.get(sector.code, 0) + 1
        sectors[sector.code] = sector
    ordered = sorted(sectors.values(), key=lambda s: s.position)
    return [(sector, counts[sector.code]) for sector in ordered]


def recent_and_upcoming(limit: int = 30) -> list[Meeting]:
    """Meetings a recommendation or challenge may come from (newest first)."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.status != MeetingStatus.CANCELLED.value)
            .order_by(Meeting.starts_at.desc())
            .limit(limit)
        )
    )
