"""Reads of meetings shared by pages, exports and the API."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    Participant,
)
from app.recommendations.models import Recommendation


def upcoming(limit: int | None = None) -> list[Meeting]:
    query = (
        select(Meeting)
        .where(Meeting.ends_at >= utcnow(), Meeting.status != MeetingStatus.CANCELLED.value)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past(limit: int = 50) -> list[Meeting]:
    query = (
        select(Meeting)
        .where((Meeting.ends_at < utcnow()) | (Meeting.status == MeetingStatus.CANCELLED.value))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
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
                joinedload(AgendaItem.speaker_sector),
                selectinload(AgendaItem.problem_areas),
                selectinload(AgendaItem.challenges),
                selectinload(AgendaItem.recommendations).options(
                    joinedload(Recommendation.problem_area), joinedload(Recommendation.category)
                ),
            ),
            selectinload(Meeting.participants).options(
                joinedload(Participant.user),
                joinedload(Participant.organisation),
                joinedload(Participant.sector),
            ),
        )
    )
    return db.session.scalar(query)


def organisation_breakdown(meeting: Meeting) -> list[tuple[str, int]]:
    """Participants per organisation (their own, or their account's), most first."""
    counts: dict[str, int] = {}
    for person in meeting.participants:
        organisation = person.organisation or (person.user.organisation if person.user else None)
        if organisation is not None:
            counts[organisation.name] = counts.get(organisation.name, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


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
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )


def agenda_item(meeting: Meeting, item_id: int) -> AgendaItem | None:
    return db.session.scalar(
        select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)
    )


def participant(meeting: Meeting, participant_id: int) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.id == participant_id, Participant.meeting_id == meeting.id
        )
    )


def decisions_of(meeting_id: int) -> list[Decision]:
    return list(
        db.session.scalars(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .options(
                joinedload(Decision.challenge),
                joinedload(Decision.recommendation).options(
                    joinedload(Recommendation.problem_area), joinedload(Recommendation.category)
                ),
            )
            .order_by(Decision.created_at, Decision.id)
        )
    )


def actions_of(meeting_id: int) -> list[ActionItem]:
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.meeting_id == meeting_id)
            .options(joinedload(ActionItem.owner))
            .order_by(ActionItem.id)
        )
    )


def open_actions_for(user_id: int) -> list[ActionItem]:
    """The owner's open action items, soonest due first (for the dashboard)."""
    return list(
        db.session.scalars(
            select(ActionItem)
            .where(ActionItem.owner_id == user_id, ActionItem.done_at.is_(None))
            .options(joinedload(ActionItem.meeting))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
        )
    )


def action(action_id: int) -> ActionItem | None:
    return db.session.get(ActionItem, action_id)


def minutes_of(meeting_id: int):
    """(minutes or None, its revisions newest first)."""
    minutes = db.session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))
    if minutes is None:
        return None, []
    revisions = list(
        db.session.scalars(
            select(MinutesRevision)
            .where(MinutesRevision.minutes_id == minutes.id)
            .options(joinedload(MinutesRevision.author))
            .order_by(MinutesRevision.number.desc())
        )
    )
    return minutes, revisions


def invitation_of(meeting_id: int, user_id: int) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.meeting_id == meeting_id, Participant.user_id == user_id
        )
    )


def meetings_of_user(user_id: int) -> list[Meeting]:
    """Meetings the person is invited to and has not declined (for the calendar feed)."""
    return list(
        db.session.scalars(
            select(Meeting)
            .join(Participant, Participant.meeting_id == Meeting.id)
            .where(Participant.user_id == user_id, Participant.answer != "declined")
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def attendee_addresses(meeting_id: int) -> list[tuple[str, str, str]]:
    """(email, name, language) of those who attended: members and guests with an email."""
    rows = db.session.execute(
        select(Participant, User)
        .outerjoin(User, User.id == Participant.user_id)
        .where(Participant.meeting_id == meeting_id, Participant.attended.is_(True))
    ).all()
    result = []
    for person, user in rows:
        if user is not None and user.active:
            result.append((user.email, user.name, user.language))
        elif person.email:
            result.append((person.email, person.name or person.email, "pl"))
    return result
