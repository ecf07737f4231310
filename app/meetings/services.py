"""The meetings feature's changes, one function and one transaction each, gathered
under one name for callers (``services.create_meeting``). They live in planning,
agenda, participants, live and minutes_services."""

from app.meetings.agenda import (  # noqa: F401
    AgendaFields,
    add_agenda_item,
    has_started,
    move_agenda_item,
    remove_agenda_item,
    update_agenda_item,
)
from app.meetings.live import (  # noqa: F401
    add_action_item,
    current_item,
    finish_meeting,
    next_item,
    record_decision,
    save_notes,
    set_action_done,
    start_meeting,
    take_up_item,
)
from app.meetings.minutes_services import (  # noqa: F401
    publish_minutes,
    save_minutes,
)

# The objects these functions take and return, for callers that name them.
from app.meetings.models import ActionItem, AgendaItem, Meeting, Participant  # noqa: F401
from app.meetings.participants import (  # noqa: F401
    add_guest,
    answer_invitation,
    invite_member,
    record_attendance,
    remove_participant,
)
from app.meetings.planning import (  # noqa: F401
    MeetingError,
    MeetingFields,
    StaleMeeting,
    cancel_meeting,
    create_meeting,
    publish_agenda,
    update_meeting,
)
