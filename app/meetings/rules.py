"""How the rest of the app treats meetings: who may do what to a meeting and its
action items (``can``), and which meetings a new recommendation may come from."""

from app.meetings import queries
from app.permissions import is_staff, register_object_rules
from app.recommendations import origins


def _manage_meeting(user, meeting) -> bool:
    return meeting.status != "cancelled"


def _complete_action(user, action) -> bool:
    return action.owner_id == user.id or is_staff(user)


def may_see_agenda(user, meeting) -> bool:
    """A draft agenda is for the facilitators; everyone sees it once published."""
    return meeting.agenda_published_at is not None or is_staff(user)


register_object_rules({"manage_meeting": _manage_meeting, "complete_action": _complete_action})
origins.register(queries.recent_and_upcoming)
