"""Planning meetings: details, agenda, participants, answers, attendance, cancellation."""

from datetime import UTC, datetime

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Participant
from tests import factories
from tests.meetings.helpers import form, plan


def test_facilitator_plans_a_meeting_in_warsaw_time(client, auth):
    me = auth.login("facilitator")
    response = auth.post("/meetings/new", form())
    assert response.status_code == 303
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Nowe spotkanie"))
    assert meeting.starts_at == datetime(2027, 3, 10, 9, 0, tzinfo=UTC)  # CET = UTC+1
    organiser = db.session.scalar(select(Participant).where(Participant.meeting_id == meeting.id))
    assert (organiser.user_id, organiser.role, organiser.answer) == (
        me.id,
        "facilitator",
        "accepted",
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "10:00" in page and "12:00" in page


def test_summer_time_is_converted_too(auth):
    auth.login("facilitator")
    auth.post(
        "/meetings/new",
        form(title="Letnie", starts_at="2027-07-01T10:00", ends_at="2027-07-01T11:00"),
    )
    meeting = db.session.scalar(select(Meeting).where(Meeting.title == "Letnie"))
    assert meeting.starts_at == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)  # CEST = UTC+2


def test_bad_meeting_details_are_inline_errors(auth):
    auth.login("facilitator")
    before = db.session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))
    for changes in (
        {"ends_at": "2027-03-10T09:00"},
        {"title": ""},
        {"starts_at": "jutro"},
        {"mode": "in_person", "place": ""},
        {"link": "javascript:alert(1)"},
        {"mode": "telepathy"},
    ):
        response = auth.post("/meetings/new", form(**changes))
        assert response.status_code == 400, changes
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1)) == before


def test_members_cannot_plan(client, auth):
    auth.login("member")
    assert client.get("/meetings/new").status_code == 403


def test_edit_with_a_stale_version_is_refused(auth):
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    version = meeting.version
    assert (
        auth.post(f"/meetings/{meeting.id}/edit", form(meeting, title="Pierwsza")).status_code
        == 303
    )
    stale = auth.post(
        f"/meetings/{meeting.id}/edit", {**form(title="Druga"), "base_version": str(version)}
    )
    assert stale.status_code == 409
    assert db.session.get(Meeting, meeting.id).title == "Pierwsza"


def test_draft_agenda_is_hidden_from_members_until_published(client, auth):
    meeting, facilitator = plan(published=False, items=(("Tajny punkt", "discussion", 10),))
    auth.login("member")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Tajny punkt" not in page
    assert client.get(f"/meetings/{meeting.id}/live").status_code == 404
    auth.logout()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/agenda/publish")
    auth.logout()
    auth.login("member")
    assert "Tajny punkt" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_agenda_items_with_speakers_links_and_computed_times(client, auth):
    meeting, facilitator = plan(items=())
    auth.login_as(facilitator)
    org = db.session.scalar(
        select(factories.Organisation).where(factories.Organisation.name == "BLOXHUB")
    )
    challenge = factories.make_challenge("G03", title="Odpływ talentów")
    response = auth.post(
        f"/meetings/{meeting.id}/agenda/new",
        {
            "title": "Kopenhaga jako studium przypadku",
            "kind": "expert_talk",
            "part": "1",
            "planned_minutes": "30",
            "speaker_user_id": "0",
            "speaker_name": "Anna Gość",
            "speaker_organisation_id": str(org.id),
            "speaker_sector_code": "business_environment",
            "problem_area_ids": [str(factories.area("G03").id)],
            "challenge_ids": [str(challenge.id)],
        },
    )
    assert response.status_code == 303
    auth.post(
        f"/meetings/{meeting.id}/agenda/new",
        {
            "title": "Dyskusja",
            "kind": "discussion",
            "part": "1",
            "planned_minutes": "45",
            "speaker_user_id": "0",
            "speaker_organisation_id": "0",
            "speaker_sector_code": "",
        },
    )
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Anna Gość" in page and "BLOXHUB" in page and "Odpływ talentów" in page
    start = meeting.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Warsaw"))
    second = start.replace(minute=(start.minute + 30) % 60) if start.minute < 30 else None
    if second is not None:
        assert second.strftime("%H:%M") in page


def test_bad_agenda_items_are_refused(auth):
    meeting, facilitator = plan(items=())
    auth.login_as(facilitator)
    base = {
        "title": "Punkt",
        "kind": "discussion",
        "part": "1",
        "planned_minutes": "10",
        "speaker_user_id": "0",
        "speaker_organisation_id": "0",
        "speaker_sector_code": "",
    }
    for changes in (
        {"planned_minutes": "-5"},
        {"kind": "nap"},
        {"title": ""},
        {"speaker_organisation_id": "1"},  # a guest organisation but no name
        {"speaker_user_id": "999999"},
    ):
        response = auth.post(f"/meetings/{meeting.id}/agenda/new", {**base, **changes})
        assert response.status_code == 400, changes
    assert db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)) is None


def test_agenda_longer_than_the_meeting_is_flagged(client, auth):
    meeting, facilitator = plan(hours=1, items=(("Długi punkt", "discussion", 90),))
    auth.login_as(facilitator)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "trwa dłużej niż samo spotkanie" in page


def test_reordering_with_htmx(auth):
    meeting, facilitator = plan(
        items=(
            ("Pierwszy", "discussion", 10),
            ("Drugi", "discussion", 10),
            ("Trzeci", "discussion", 10),
        )
    )
    auth.login_as(facilitator)
    third = db.session.scalar(select(AgendaItem).where(AgendaItem.title == "Trzeci"))
    response = auth.post(
        f"/meetings/{meeting.id}/agenda/{third.id}/move",
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    order = db.session.scalars(
        select(AgendaItem.title)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    ).all()
    assert order == ["Pierwszy", "Trzeci", "Drugi"]
    assert (
        auth.post(
            f"/meetings/{meeting.id}/agenda/{third.id}/move", {"direction": "sideways"}
        ).status_code
        == 400
    )


def test_invitations_answers_and_attendance(client, auth):
    meeting, facilitator = plan()
    member = factories.make_user("member", organisation="krk UrbanHub")
    auth.login_as(facilitator)
    assert (
        auth.post(
            f"/meetings/{meeting.id}/participants",
            {"user_id": str(member.id), "role": "participant"},
        ).status_code
        == 303
    )
    again = auth.post(
        f"/meetings/{meeting.id}/participants",
        {"user_id": str(member.id), "role": "participant"},
        follow_redirects=True,
    )
    assert again.status_code == 200
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == member.id, Notification.kind == "meeting.invited"
        )
    )
    assert (
        auth.post(
            f"/meetings/{meeting.id}/guests",
            {
                "guest-name": "",
                "guest-organisation_id": "0",
                "guest-sector_code": "",
                "guest-role": "observer",
            },
            follow_redirects=True,
        ).status_code
        == 200
    )
    auth.post(
        f"/meetings/{meeting.id}/guests",
        {
            "guest-name": "Obserwator MFiPR",
            "guest-organisation_id": "0",
            "guest-sector_code": "ministry",
            "guest-role": "observer",
        },
    )
    guests = db.session.scalars(
        select(Participant).where(
            Participant.meeting_id == meeting.id, Participant.user_id.is_(None)
        )
    ).all()
    assert [g.name for g in guests] == ["Obserwator MFiPR"]

    auth.logout()
    auth.login_as(member)
    assert auth.post(f"/meetings/{meeting.id}/answer", {"answer": "accepted"}).status_code == 303
    row = db.session.scalar(select(Participant).where(Participant.user_id == member.id))
    assert row.answer == "accepted"
    assert auth.post(f"/meetings/{meeting.id}/answer", {"answer": "maybe"}).status_code == 400

    auth.logout()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/attendance", {"present": [str(row.id), "999999", "x"]})
    assert db.session.get(Participant, row.id).attended is True
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    breakdown = page[page.index("sector-breakdown") :]
    assert "Ministerstwo" in breakdown and "krk UrbanHub" in page


def test_uninvited_members_cannot_answer(auth):
    meeting, _ = plan()
    auth.login("member")
    response = auth.post(
        f"/meetings/{meeting.id}/answer", {"answer": "accepted"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert db.session.scalar(select(Participant).where(Participant.user_id == auth.user.id)) is None


def test_cancelling_needs_a_reason_and_freezes_the_meeting(client, auth):
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/cancel", {"reason": ""})
    assert db.session.get(Meeting, meeting.id).status == "planned"
    auth.post(f"/meetings/{meeting.id}/cancel", {"reason": "Brak kworum."})
    assert db.session.get(Meeting, meeting.id).status == "cancelled"
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403
    assert "Brak kworum." in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_seeded_meeting_is_held_with_parts_speakers_and_observers(client, auth):
    auth.login("member")
    meeting = db.session.scalar(select(Meeting).where(Meeting.status == "held"))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Odbyte" in page or "Held" in page
    assert "Janusz Kahl" in page and "Część 2" in page
    assert "Obserwator" in page


def test_agenda_times_and_part_headings_follow_the_running_order(client, auth):
    meeting, facilitator = plan(items=())
    for title, part in (("Pierwszy", 1), ("Drugi", 2), ("Trzeci", 1)):
        services_add = __import__("app.meetings.services", fromlist=["x"])
        services_add.add_agenda_item(
            meeting,
            facilitator,
            services_add.AgendaFields(
                title=title, kind="discussion", part=part, planned_minutes=30
            ),
        )
    auth.login_as(facilitator)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    agenda = page[page.index('id="agenda-body"') :]
    assert agenda.index("Pierwszy") < agenda.index("Drugi") < agenda.index("Trzeci")
    assert agenda.count("Część 1") == 2 and agenda.count("Część 2") == 1
