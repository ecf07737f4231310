"""iCalendar: a meeting's file and each person's private, revocable feed (RFC 5545)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.meetings import services
from tests import factories
from tests.meetings.helpers import plan

WARSAW = ZoneInfo("Europe/Warsaw")


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.data)


def test_meeting_file_parses_with_warsaw_time_zone(client, auth):
    meeting, facilitator = plan(title="Spotkanie w Łodzi")
    auth.login("member")
    calendar = parse(client.get(f"/meetings/{meeting.id}.ics"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Spotkanie w Łodzi"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start == meeting.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Warsaw"]
    assert str(event["UID"]) == f"meeting-{meeting.id}@warsztat"


def test_times_either_side_of_the_dst_change_are_right(client, auth):
    facilitator = factories.make_user("facilitator")
    winter = datetime(2027, 3, 27, 10, 0, tzinfo=WARSAW)  # the day before summer time
    summer = datetime(2027, 3, 29, 10, 0, tzinfo=WARSAW)
    ids = []
    for start in (winter, summer):
        meeting = services.create_meeting(
            facilitator,
            1,
            services.MeetingFields(
                title="DST",
                starts_at=start.astimezone(UTC),
                ends_at=(start + timedelta(hours=1)).astimezone(UTC),
                mode="online",
            ),
        )
        ids.append(meeting.id)
    auth.login_as(facilitator)
    starts = []
    for meeting_id in ids:
        event = parse(client.get(f"/meetings/{meeting_id}.ics")).walk("VEVENT")[0]
        local = event.decoded("DTSTART")
        starts.append((local.hour, local.utcoffset()))
    assert starts == [(10, timedelta(hours=1)), (10, timedelta(hours=2))]


def test_private_feed_lists_my_meetings_and_can_be_revoked(app, client, auth):
    mine, facilitator = plan(title="Moje spotkanie")
    other, _ = plan(title="Cudze spotkanie")
    me = factories.make_user("member")
    services.invite_member(mine, facilitator, me, "participant")
    auth.login_as(me)
    assert auth.post("/account/calendar", {"action": "renew"}).status_code == 303
    token = db.session.get(User, me.id).calendar_token
    assert token and len(token) >= 40
    anonymous = app.test_client()
    calendar = parse(anonymous.get(f"/calendar/{token}.ics"))
    titles = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert titles == ["Moje spotkanie"]
    account = client.get("/account/").get_data(as_text=True)
    assert f"/calendar/{token}.ics" in account
    auth.post("/account/calendar", {"action": "renew"})
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404
    new_token = db.session.get(User, me.id).calendar_token
    auth.post("/account/calendar", {"action": "revoke"})
    assert anonymous.get(f"/calendar/{new_token}.ics").status_code == 404


def test_cancelled_meetings_say_so_in_the_feed(client, auth):
    meeting, facilitator = plan()
    services.cancel_meeting(meeting, facilitator, "Brak kworum.")
    auth.login_as(facilitator)
    event = parse(client.get(f"/meetings/{meeting.id}.ics")).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert db.session.scalar(select(User).where(User.calendar_token.is_not(None))) is None
