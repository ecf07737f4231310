"""Live facilitation: moving through the agenda, notes, decisions (which can create a
challenge or a draft, or agree a recommendation) and action items."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from app import audit, events
from app.database import one_transaction, utcnow
from app.extensions import db
from app.meetings.agenda import has_started
from app.meetings.models import (
    ActionItem,
    AgendaItem,
    Decision,
    DecisionKind,
    Meeting,
    MeetingStatus,
)
from app.meetings.planning import MeetingError
from app.problems import services as challenge_services
from app.recommendations import services as recommendation_services

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
    if kind == DecisionKind.CHALLENGE and area is None:
        raise MeetingError(_("Choose the problem area of the new challenge."))
    if kind == DecisionKind.RECOMMENDATION and (area is None or category is None):
        raise MeetingError(_("Choose the problem area and category of the new recommendation."))
    if kind == DecisionKind.AGREEMENT and recommendation is None:
        raise MeetingError(_("Choose the recommendation that was agreed."))
    if kind not in set(DecisionKind):
        raise MeetingError(_("Unknown kind of decision."))
    # The decision and what it creates or changes are one write: all of it or nothing.
    with one_transaction():
        decision = Decision(
            meeting_id=meeting.id,
            agenda_item_id=item.id if item else None,
            kind=kind,
            text=text,
            created_by_id=actor.id,
        )
        try:
            if kind == DecisionKind.CHALLENGE:
                challenge = challenge_services.create_challenge(
                    actor, area, title=text[:300], description="", origin_meeting_id=meeting.id
                )
                decision.challenge_id = challenge.id
            elif kind == DecisionKind.RECOMMENDATION:
                rec = recommendation_services.create_recommendation(
                    actor,
                    area=area,
                    category=category,
                    origin_meeting=meeting,
                    text=recommendation_services.TextFields(title=text[:300], summary=text),
                )
                decision.recommendation_id = rec.id
            elif kind == DecisionKind.AGREEMENT:
                recommendation_services.change_status(
                    recommendation, actor, "agreed", note=text, meeting_id=meeting.id
                )
                decision.recommendation_id = recommendation.id
        except recommendation_services.RecommendationError as exc:
            raise MeetingError(str(exc)) from exc
        db.session.add(decision)
        db.session.flush()
        audit.record(actor, "meeting.decision_recorded", decision, kind=kind)
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
