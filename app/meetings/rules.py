"""How the rest of the app treats meetings: who may do what to a meeting and its
action items (``can``), who sees and adds the materials of a meeting and of its agenda
items, and which meetings a new recommendation may come from."""

from flask import url_for
from sqlalchemy import select

from app import pending
from app.attachments import owners
from app.database import utcnow
from app.extensions import db
from app.meetings import queries, searching
from app.meetings.models import ActionItem, AgendaItem, Meeting, MeetingStatus, Participant
from app.permissions import can, is_staff, register_object_rules
from app.recommendations import origins


def _manage_meeting(user, meeting) -> bool:
    return meeting.status != "cancelled"


def _complete_action(user, action) -> bool:
    return action.owner_id == user.id or is_staff(user)


def may_see_agenda(user, meeting) -> bool:
    """A draft agenda is for the facilitators; everyone sees it once published."""
    return meeting.agenda_published_at is not None or is_staff(user)


def _meeting_of(item: AgendaItem) -> Meeting:
    return db.session.get(Meeting, item.meeting_id)


def _attach_to_item(user, item) -> bool:
    """Facilitators, and the member who speaks to the item (their slides)."""
    meeting = _meeting_of(item)
    return meeting.status != "cancelled" and (is_staff(user) or item.speaker_user_id == user.id)


register_object_rules({"manage_meeting": _manage_meeting, "complete_action": _complete_action})
owners.register(
    owners.Owner(
        kind="meeting",
        model=Meeting,
        may_see=lambda user, _meeting: can(user, "view_meeting"),
        may_attach=lambda user, meeting: is_staff(user) and _manage_meeting(user, meeting),
        page=lambda meeting: url_for("meetings.detail", meeting_id=meeting.id),
        name=lambda meeting: meeting.title,
        reindex=searching.reindex,
    )
)
owners.register(
    owners.Owner(
        kind="agenda-item",
        model=AgendaItem,
        may_see=lambda user, item: may_see_agenda(user, _meeting_of(item)),
        may_attach=_attach_to_item,
        page=lambda item: url_for("meetings.detail", meeting_id=item.meeting_id),
        name=lambda item: item.title,
        reindex=searching.reindex_item,
    )
)
origins.register(queries.recent_and_upcoming)


def _invitations_open(requests: list[pending.Request]) -> set:
    """An invitation waits for an answer while the meeting is still planned and ahead;
    once answered, held or cancelled there is nothing left to do."""
    waiting = set(
        db.session.execute(
            select(Participant.meeting_id, Participant.user_id)
            .join(Meeting, Meeting.id == Participant.meeting_id)
            .where(
                Participant.meeting_id.in_({r.target_id for r in requests}),
                Participant.user_id.in_({r.user_id for r in requests}),
                Participant.answer == "pending",
                Meeting.status == MeetingStatus.PLANNED.value,
                Meeting.starts_at > utcnow(),
            )
        ).all()
    )
    return {r.key for r in requests if (r.target_id, r.user_id) in waiting}


def _actions_open(requests: list[pending.Request]) -> set:
    """An action item waits until it is marked done. Notifications written before they
    carried the item's id are matched by meeting, owner and title."""
    rows = db.session.execute(
        select(ActionItem.id, ActionItem.meeting_id, ActionItem.owner_id, ActionItem.title).where(
            ActionItem.meeting_id.in_({r.target_id for r in requests}),
            ActionItem.owner_id.in_({r.user_id for r in requests}),
            ActionItem.done_at.is_(None),
        )
    ).all()
    by_id = {(row.id, row.owner_id) for row in rows}
    by_title = {(row.meeting_id, row.owner_id, row.title) for row in rows}
    return {
        r.key
        for r in requests
        if (r.get("action_id"), r.user_id) in by_id
        or (r.get("action_id") is None and (r.target_id, r.user_id, r.get("title")) in by_title)
    }


pending.register("meeting.invited", _invitations_open)
pending.register("action.assigned", _actions_open)
