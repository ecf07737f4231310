"""Set-up for meeting tests."""

from datetime import timedelta

from app.database import utcnow
from app.meetings import services
from tests import factories


def plan(
    facilitator=None,
    *,
    title="Spotkanie podzespołu",
    days=7,
    hours=2,
    published=True,
    items=(("Wprowadzenie", "presentation", 20), ("Dyskusja", "discussion", 40)),
):
    facilitator = facilitator or factories.make_user("facilitator")
    start = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
    meeting = services.create_meeting(
        facilitator,
        1,
        services.MeetingFields(
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            mode="online",
            link="https://meet.example/abc",
        ),
    )
    for name, kind, minutes in items:
        services.add_agenda_item(
            meeting,
            facilitator,
            services.AgendaFields(title=name, kind=kind, planned_minutes=minutes),
        )
    if published:
        services.publish_agenda(meeting, facilitator)
    return meeting, facilitator


def form(meeting=None, **changes):
    data = {
        "title": "Nowe spotkanie",
        "starts_at": "2027-03-10T10:00",
        "ends_at": "2027-03-10T12:00",
        "mode": "online",
        "place": "",
        "link": "https://meet.example/x",
        "description": "Opis.",
    }
    if meeting is not None:
        data["base_version"] = str(meeting.version)
    data.update(changes)
    return data
