"""Every change to meetings: planning, the agenda, participants, live mode, decisions,
action items and minutes. One function, one transaction."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, events
from app.database import utcnow
from app.extensions import db
from app.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    DecisionKind,
    InvitationAnswer,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesRevision,
    Participant,
    ParticipantRole,
    agenda_item_challenges,
    agenda_item_problem_areas,
    agenda_item_recommendations,
)
from app.problems import services as challenge_services
from app.recommendations import services as recommendation_services


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
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise StaleMeeting(
            _("Someone changed this meeting in the meantime. Reload the page.")
        ) from None
    audit.record(actor, "meeting.edited", meeting, moved=moved)
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
        db.session.commit()


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
    position = (
        db.session.scalar(
            select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
        )
        or 0
    ) + 1
    item = AgendaItem(meeting_id=meeting.id, position=position, **_agenda_values(fields))
    db.session.add(item)
    db.session.flush()
    _set_links(item, fields)
    audit.record(actor, "agenda.item_added", item)
    db.session.commit()
    return item


def update_agenda_item(item: AgendaItem, actor, fields: AgendaFields) -> None:
    _check_speaker(fields)
    for name, value in _agenda_values(fields).items():
        setattr(item, name, value)
    _set_links(item, fields)
    audit.record(actor, "agenda.item_edited", item)
    db.session.commit()


def remove_agenda_item(item: AgendaItem, actor) -> None:
    if item.actual_start is not None:
        raise MeetingError(_("An item that has already been taken up stays on the agenda."))
    meeting_id, position = item.meeting_id, item.position
    audit.record(actor, "agenda.item_removed", item, title=item.title)
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


# --- live mode ----------------------------------------------------------------------------


def current_item(meeting_id: int) -> AgendaItem | None:
    """The item under way: started and not yet ended."""
    return db.session.scalar(
        select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting_id,
            AgendaItem.actual_start.is_not(None),
            AgendaItem.actual_end.is_(None),
        )
        .order_by(AgendaItem.position)
        .limit(1)
    )


def start_meeting(meeting: Meeting, actor) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(_("Only a planned meeting can be started."))
    now = utcnow()
    meeting.status = MeetingStatus.IN_PROGRESS.value
    meeting.started_at = now
    first = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
        .limit(1)
    )
    if first is not None:
        first.actual_start = now
    audit.record(actor, "meeting.started", meeting)
    db.session.commit()


def take_up_item(meeting: Meeting, actor, item: AgendaItem | None) -> None:
    """End the item under way and start ``item`` (None: just end the current one)."""
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise MeetingError(_("The meeting is not under way."))
    now = utcnow()
    running = current_item(meeting.id)
    if running is not None and (item is None or running.id != item.id):
        running.actual_end = now
    if item is not None and (running is None or running.id != item.id):
        item.actual_start = item.actual_start or now
        item.actual_end = None
    audit.record(actor, "meeting.item_taken_up", meeting, item=item.id if item else None)
    db.session.commit()


def next_item(meeting: Meeting, actor) -> AgendaItem | None:
    running = current_item(meeting.id)
    after = running.position if running else 0
    following = db.session.scalar(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.position > after)
        .order_by(AgendaItem.position)
        .limit(1)
    )
    take_up_item(meeting, actor, following)
    return following


def finish_meeting(meeting: Meeting, actor) -> None:
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise MeetingError(_("The meeting is not under way."))
    now = utcnow()
    db.session.execute(
        update(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.actual_start.is_not(None),
            AgendaItem.actual_end.is_(None),
        )
        .values(actual_end=now)
    )
    meeting.status = MeetingStatus.HELD.value
    meeting.ended_at = now
    audit.record(actor, "meeting.finished", meeting)
    events.meeting_changed.send(meeting, actor=actor, moved=False)
    db.session.commit()


def save_notes(item: AgendaItem, actor, notes: str) -> None:
    item.notes = notes.strip()
    audit.record(actor, "agenda.notes_saved", item)
    db.session.commit()


# --- decisions and action items -----------------------------------------------------------


def record_decision(
    meeting: Meeting,
    actor,
    *,
    text: str,
    kind: str,
    item: AgendaItem | None = None,
    area=None,
    category=None,
    recommendation=None,
) -> Decision:
    """Record a decision; it may create a challenge or a recommendation draft, or move a
    recommendation to agreed, each linked back to this meeting."""
    text = text.strip()
    if not has_started(meeting):
        raise MeetingError(_("Decisions are recorded once the meeting has started."))
    if not text:
        raise MeetingError(_("Write down what was decided."))
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        kind=kind,
        text=text,
        created_by_id=actor.id,
    )
    try:
        if kind == DecisionKind.CHALLENGE:
            if area is None:
                raise MeetingError(_("Choose the problem area of the new challenge."))
            challenge = challenge_services.create_challenge(
                actor, area, title=text[:300], description="", origin_meeting_id=meeting.id
            )
            decision.challenge_id = challenge.id
        elif kind == DecisionKind.RECOMMENDATION:
            if area is None or category is None:
                raise MeetingError(
                    _("Choose the problem area and category of the new recommendation.")
                )
            rec = recommendation_services.create_recommendation(
                actor,
                area=area,
                category=category,
                origin_meeting=meeting,
                text=recommendation_services.TextFields(title=text[:300], summary=text),
            )
            decision.recommendation_id = rec.id
        elif kind == DecisionKind.AGREEMENT:
            if recommendation is None:
                raise MeetingError(_("Choose the recommendation that was agreed."))
            recommendation_services.change_status(
                recommendation, actor, "agreed", note=text, meeting_id=meeting.id
            )
            decision.recommendation_id = recommendation.id
        elif kind != DecisionKind.NOTE:
            raise MeetingError(_("Unknown kind of decision."))
    except recommendation_services.RecommendationError as exc:
        raise MeetingError(str(exc)) from exc
    db.session.add(decision)
    db.session.flush()
    audit.record(actor, "meeting.decision_recorded", decision, kind=kind)
    db.session.commit()
    return decision


def add_action_item(
    meeting: Meeting,
    actor,
    *,
    title: str,
    owner,
    due_on: date | None,
    item: AgendaItem | None = None,
) -> ActionItem:
    if not title.strip():
        raise MeetingError(_("Say what is to be done."))
    if owner is None or not owner.active:
        raise MeetingError(_("Choose an active member as the owner."))
    action = ActionItem(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        title=title.strip(),
        owner_id=owner.id,
        due_on=due_on,
        created_by_id=actor.id,
    )
    db.session.add(action)
    db.session.flush()
    audit.record(actor, "meeting.action_added", action, owner=owner.id)
    events.action_assigned.send(action, actor=actor)
    db.session.commit()
    return action


def set_action_done(action: ActionItem, actor, done: bool) -> None:
    action.done_at = utcnow() if done else None
    audit.record(actor, "meeting.action_done" if done else "meeting.action_reopened", action)
    db.session.commit()


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
    number = (
        db.session.scalar(
            select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
        )
        or 0
    ) + 1
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
