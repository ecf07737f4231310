"""Minutes: compiled from the live record, revised, published by mail, then locked."""

from sqlalchemy import select

from app.extensions import db
from app.mailqueue import OutgoingMail, deliver_due
from app.meetings import services
from app.meetings.models import Minutes, MinutesRevision, Participant
from tests import factories
from tests.meetings.helpers import plan


def held_meeting():
    meeting, facilitator = plan()
    member = factories.make_user("member", name="Obecna Członkini")
    absent = factories.make_user("member", name="Nieobecny Członek")
    services.invite_member(meeting, facilitator, member, "participant")
    services.invite_member(meeting, facilitator, absent, "participant")
    services.add_guest(
        meeting,
        facilitator,
        name="Gość z mailem",
        organisation_id=None,
        sector_code="science",
        role="speaker",
        email="gosc@example.org",
    )
    present = {
        p.id
        for p in db.session.scalars(select(Participant).where(Participant.meeting_id == meeting.id))
        if p.user_id != absent.id
    }
    services.record_attendance(meeting, facilitator, present)
    services.start_meeting(meeting, facilitator)
    item = services.current_item(meeting.id)
    services.save_notes(item, facilitator, "Notatka z pierwszego punktu.")
    services.record_decision(
        meeting, facilitator, text="Przygotować stanowisko.", kind="note", item=item
    )
    services.add_action_item(
        meeting, facilitator, title="Rozesłać ankietę", owner=member, due_on=None
    )
    services.finish_meeting(meeting, facilitator)
    return meeting, facilitator, member, absent


def test_minutes_are_compiled_from_notes_decisions_and_actions(client, auth):
    meeting, facilitator, member, _ = held_meeting()
    auth.login_as(facilitator)
    page = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    for text in (
        "Notatka z pierwszego punktu.",
        "Przygotować stanowisko.",
        "Rozesłać ankietę",
        "Obecna Członkini",
        "Gość z mailem",
    ):
        assert text in page, text
    assert "Nieobecny Członek" not in page


def test_saving_publishing_mailing_and_locking(app, client, auth, smtp_server):
    meeting, facilitator, member, absent = held_meeting()
    auth.login_as(facilitator)
    saved = auth.post(
        f"/meetings/{meeting.id}/minutes",
        {"body": "# Protokół\n\nUstalenia spotkania.", "base_version": "0"},
    )
    assert saved.status_code == 303
    # Draft minutes are for facilitators only.
    auth.logout()
    auth.login_as(member)
    assert "Ustalenia spotkania." not in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )
    auth.logout()
    auth.login_as(facilitator)
    assert auth.post(f"/meetings/{meeting.id}/minutes/publish").status_code == 303
    assert db.session.scalar(select(Minutes)).published_at is not None
    deliver_due()
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == sorted([member.email, "gosc@example.org", facilitator.email])
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Ustalenia spotkania." in body
    deliver_due()  # nothing twice
    assert len(smtp_server.messages) == 3

    # Locked: a correction needs a reason, and becomes a new version that is mailed again.
    version = db.session.scalar(select(Minutes)).version
    refused = auth.post(
        f"/meetings/{meeting.id}/minutes",
        {"body": "Poprawione.", "reason": "", "base_version": str(version)},
    )
    assert refused.status_code == 400
    assert (
        db.session.scalar(select(MinutesRevision).order_by(MinutesRevision.number.desc())).body
        == "# Protokół\n\nUstalenia spotkania."
    )
    fixed = auth.post(
        f"/meetings/{meeting.id}/minutes",
        {"body": "Poprawione.", "reason": "Literówka w nazwisku.", "base_version": str(version)},
    )
    assert fixed.status_code == 303
    deliver_due()
    assert len(smtp_server.messages) == 6
    auth.logout()
    auth.login_as(member)
    assert "Poprawione." in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_two_editors_of_the_minutes_do_not_overwrite_each_other(auth):
    meeting, facilitator, _, _ = held_meeting()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/minutes", {"body": "Wersja A", "base_version": "0"})
    stale = auth.post(f"/meetings/{meeting.id}/minutes", {"body": "Wersja B", "base_version": "0"})
    assert stale.status_code == 409
    assert "Wersja B" in stale.get_data(as_text=True)
    latest = db.session.scalar(select(MinutesRevision).order_by(MinutesRevision.number.desc()))
    assert latest.body == "Wersja A"


def test_publishing_empty_minutes_is_refused(auth):
    meeting, facilitator, _, _ = held_meeting()
    auth.login_as(facilitator)
    response = auth.post(f"/meetings/{meeting.id}/minutes/publish", follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalar(select(Minutes)) is None
    assert db.session.scalar(select(OutgoingMail)) is None
