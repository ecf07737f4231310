"""Holes found in review of the meetings feature: what must stay closed."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.database import utcnow
from app.digests.reminders import queue_meeting_reminders
from app.extensions import db
from app.mailqueue import CANCELLED, FAILED, OutgoingMail, deliver_due, enqueue
from app.meetings import services
from app.meetings.models import Meeting
from tests import factories
from tests.meetings.helpers import form, plan
from tests.recommendations.helpers import make_rec


def test_no_decisions_before_a_meeting_starts(auth):
    meeting, facilitator = plan(days=5)
    with pytest.raises(services.MeetingError):
        services.record_decision(meeting, facilitator, text="Za wcześnie", kind="note")


def test_a_held_meeting_cannot_be_moved(auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    services.finish_meeting(meeting, facilitator)
    fields = services.MeetingFields(
        title=meeting.title,
        mode="online",
        starts_at=meeting.starts_at + timedelta(days=300),
        ends_at=meeting.ends_at + timedelta(days=300),
    )
    with pytest.raises(services.MeetingError):
        services.update_meeting(
            db.session.get(Meeting, meeting.id),
            facilitator,
            fields,
            expected_version=db.session.get(Meeting, meeting.id).version,
        )


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Zła\r\nBcc: ktoś@example.org"},
        {"starts_at": "0001-01-01T00:00"},
        {"starts_at": "9999-12-31T22:00", "ends_at": "9999-12-31T23:00"},
        {"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"},  # lost to DST
    ],
)
def test_odd_meeting_details_are_inline_errors(auth, changes):
    auth.login("facilitator")
    response = auth.post("/meetings/new", form(**changes))
    assert response.status_code == 400, changes


def test_reviewers_do_not_see_drafts_through_meeting_pages(client, auth):
    meeting, facilitator = plan()
    draft = make_rec(factories.make_user("member"), title="Tajny szkic rekomendacji")
    item = (
        services.current_item(meeting.id)
        or db.session.scalars(
            select(services.AgendaItem).where(services.AgendaItem.meeting_id == meeting.id)
        ).first()
    )
    services.update_agenda_item(
        item,
        facilitator,
        services.AgendaFields(
            title=item.title, kind=item.kind, planned_minutes=10, recommendation_ids=(draft.id,)
        ),
    )
    auth.login("reviewer")
    assert "Tajny szkic rekomendacji" not in client.get(f"/meetings/{meeting.id}").get_data(
        as_text=True
    )


def test_a_mail_that_cannot_be_built_is_marked_failed_not_stuck(app, monkeypatch):
    # Header values can no longer break a message (app.mail.header_text), so the
    # builder itself is made to fail here.
    from app import mail

    def broken(*args, **kwargs):
        raise ValueError("the message cannot be built")

    monkeypatch.setattr(mail, "build_message", broken)
    enqueue("test:broken", kind="test", to="a@example.org", subject="Zły nagłówek", text="T")
    db.session.commit()
    counts = deliver_due()
    assert counts["failed"] == 1
    assert db.session.scalar(select(OutgoingMail)).status == FAILED


def test_a_reminder_is_cancelled_when_the_invitee_declines(smtp_server):
    meeting, facilitator = plan(days=0)
    meeting.starts_at = utcnow() + timedelta(hours=5)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    db.session.commit()
    member = factories.make_user("member")
    services.invite_member(meeting, facilitator, member, "participant")
    queue_meeting_reminders()
    services.answer_invitation(db.session.get(Meeting, meeting.id), member, "declined")
    queue_meeting_reminders()
    mine = db.session.scalar(select(OutgoingMail).where(OutgoingMail.recipient == member.email))
    assert mine.status == CANCELLED
    deliver_due()
    assert [m["To"] for m in smtp_server.messages] == [facilitator.email]


def test_a_refused_live_step_says_why_in_the_fragment(auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    services.finish_meeting(meeting, facilitator)
    auth.login_as(facilitator)
    response = auth.post(f"/meetings/{meeting.id}/live/next", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'class="flash flash-error"' in response.get_data(as_text=True)


def test_reviewers_do_not_read_a_draft_started_by_a_live_decision(client, auth):
    meeting, facilitator = plan(days=0)
    services.start_meeting(meeting, facilitator)
    services.record_decision(
        meeting,
        facilitator,
        text="Tajna rekomendacja z posiedzenia",
        kind="recommendation",
        area=factories.area("G02"),
        category=factories.category("R3"),
    )
    auth.login("member")
    assert "Tajna rekomendacja z posiedzenia" in client.get(f"/meetings/{meeting.id}").text
    auth.logout()
    auth.login("reviewer")
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/live"):
        page = client.get(url).get_data(as_text=True)
        assert "Tajna rekomendacja z posiedzenia" not in page, url
        assert "szkic rekomendacji" in page, url
