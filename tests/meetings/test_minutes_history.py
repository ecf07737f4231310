"""Old versions of the minutes can be opened and any two compared, like a
recommendation's revisions; drafts stay with the facilitators."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.meetings import services
from app.meetings.models import Minutes, MinutesRevision
from tests.meetings.test_minutes import held_meeting


def _versions(meeting, facilitator):
    services.save_minutes(meeting, facilitator, "Obecni: pięć osób.\n\nUstalono termin ankiety.")
    services.save_minutes(
        meeting, facilitator, "Obecni: sześć osób.\n\nUstalono termin ankiety.", expected_version=1
    )
    services.publish_minutes(meeting, facilitator)
    # The correction comes later than the publication (timestamps within one test are
    # otherwise too close to order).
    services.save_minutes(
        meeting,
        facilitator,
        "Obecni: sześć osób.\n\nUstalono termin ankiety na 15 maja.",
        reason="Brakowało daty.",
        expected_version=2,
    )
    minutes = db.session.scalar(select(Minutes))
    correction = db.session.scalar(select(MinutesRevision).where(MinutesRevision.number == 3))
    correction.created_at = minutes.published_at + timedelta(minutes=5)
    db.session.commit()


def test_facilitators_open_and_compare_any_two_versions(auth):
    meeting, facilitator, _member, _absent = held_meeting()
    _versions(meeting, facilitator)
    facilitator.language = "en"
    db.session.commit()
    auth.login_as(facilitator)
    url = f"/meetings/{meeting.id}/minutes/history"
    page = auth.client.get(url).get_data(as_text=True)
    # Newest against the one before, by default, word by word.
    assert "Version 2 compared with version 3" in page
    assert "ankiety<ins> na 15 maja</ins>." in page
    first = auth.client.get(url, query_string={"from": 1, "to": 3}).get_data(as_text=True)
    assert "<del>pięć</del>" in first and "<ins>sześć</ins>" in first
    old = auth.client.get(url, query_string={"version": 1}).get_data(as_text=True)
    assert "Obecni: pięć osób." in old
    assert "Brakowało daty." in page
    assert auth.client.get(url, query_string={"version": 9}).status_code == 200  # ignored


def test_members_see_the_published_text_and_its_corrections_only(auth):
    meeting, facilitator, member, _absent = held_meeting()
    _versions(meeting, facilitator)
    auth.login_as(member)
    url = f"/meetings/{meeting.id}/minutes/history"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Brakowało daty." in page
    assert auth.client.get(url, query_string={"version": 2}).status_code == 200
    draft = auth.client.get(url, query_string={"version": 1}).get_data(as_text=True)
    assert "pięć osób" not in draft  # the draft before publication stays hidden


def test_no_versions_for_members_before_publication(auth):
    meeting, facilitator, member, _absent = held_meeting()
    services.save_minutes(meeting, facilitator, "Szkic.")
    auth.login_as(member)
    assert auth.client.get(f"/meetings/{meeting.id}/minutes/history").status_code == 404
    auth.logout()
    auth.login_as(facilitator)
    assert auth.client.get(f"/meetings/{meeting.id}/minutes/history").status_code == 200
