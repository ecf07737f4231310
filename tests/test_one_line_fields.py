"""One-line fields refuse line and paragraph separators and control characters at the
form; mail headers are set through one function that cannot fail on them, so a title
that got in some other way (an import, an older version) never kills a meeting's mail."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.database import utcnow
from app.digests.reminders import queue_meeting_reminders
from app.extensions import db
from app.mail import build_message, header_text
from app.mailqueue import deliver_due
from app.meetings import services as meeting_services
from app.meetings.models import Meeting
from app.recommendations.models import Recommendation
from tests import factories
from tests.meetings.helpers import form, plan

BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x01", "\t", "\r\n"]


@pytest.mark.parametrize("bad", BREAKS, ids=[hex(ord(b[0])) for b in BREAKS])
def test_a_meeting_title_with_a_line_break_is_an_inline_error(auth, bad):
    auth.login("facilitator")
    count = db.session.scalar(select(func.count(Meeting.id)))
    response = auth.post("/meetings/new", form(title=f"Spotkanie{bad}robocze"))
    assert response.status_code == 400
    assert "w jednym wierszu" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meeting.id))) == count


def test_a_recommendation_title_with_a_separator_is_refused_but_its_body_keeps_lines(auth):
    from tests.recommendations.test_drafting import new_form

    auth.login("member")
    body = "Pierwszy akapit.\n\nDrugi akapit."
    response = auth.post("/recommendations/new", new_form(title="Tytuł\u2028dalej", body=body))
    assert response.status_code == 400
    assert "w jednym wierszu" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Recommendation.id))) == 0
    assert auth.post("/recommendations/new", new_form(body=body)).status_code == 303


@pytest.mark.parametrize("bad", BREAKS, ids=[hex(ord(b[0])) for b in BREAKS])
def test_a_header_never_breaks_its_message(app, bad):
    message = build_message(
        "ala@example.org",
        f"Spotkanie{bad}robocze",
        "Treść.",
        headers={"List-Id": f"Warsztat{bad}lista"},
    )
    raw = message.as_bytes()  # the email package refuses a broken header here
    assert message["Subject"] == "Spotkanie robocze"
    assert b"Spotkanie robocze" in raw


def test_header_text_keeps_ordinary_text():
    assert header_text("Posiedzenie podzespołu – G02") == "Posiedzenie podzespołu – G02"
    assert header_text("  dwa   odstępy ") == "dwa odstępy"


def test_a_meeting_titled_with_u2028_still_gets_its_reminders(smtp_server):
    """The outside tester's case: every reminder failed after one attempt."""
    meeting, facilitator = plan(days=0)
    meeting.title = "Spotkanie\u2028robocze"  # as if it had come in before the form refused it
    meeting.starts_at = utcnow() + timedelta(hours=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    db.session.commit()
    member = factories.make_user("member")
    meeting_services.invite_member(meeting, facilitator, member, "participant")
    assert queue_meeting_reminders() == 2
    assert deliver_due()["sent"] == 2
    assert {m["To"] for m in smtp_server.messages} == {member.email, facilitator.email}
    assert all("Spotkanie robocze" in m["Subject"] for m in smtp_server.messages)
