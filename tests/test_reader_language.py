"""Every word in the reader's language: notes Warsztat writes are worded when read, the
draft minutes are in the meeting's language, a package's frozen files are in Polish, and
an invitation opens in the language it was sent in."""

import io
import re
from datetime import date

import docx
from sqlalchemy import select

from app.exports.models import PackageFile
from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.recommendations import services as recommendations
from app.recommendations.models import Revision, StatusChange
from tests import factories
from tests.exports.helpers import agreed_set, send_package
from tests.meetings.helpers import plan
from tests.recommendations.helpers import make_rec, text


def page_as(auth, person, path) -> str:
    auth.login_as(person)
    page = auth.client.get(path).get_data(as_text=True)
    auth.logout()
    return page


def test_notes_warsztat_writes_are_worded_for_each_reader(auth):
    _, facilitator, recs, _ = agreed_set()
    facilitator.language = "en"
    db.session.commit()
    send_package(auth, facilitator, area="G01")  # sent from an English screen
    auth.logout()
    rec = next(r for r in recs if r.title == "Żłobki przy parkach")
    change = db.session.scalar(
        select(StatusChange).where(
            StatusChange.recommendation_id == rec.id, StatusChange.to_status == "submitted"
        )
    )
    # Stored as a code, not in the sender's words.
    assert (change.note, change.note_code, change.note_params) == (
        "",
        "status.sent_in_package",
        {"number": 1},
    )
    polish = factories.make_user("member", language="pl")
    english = factories.make_user("member", language="en")
    assert "Wysłana w pakiecie 1." in page_as(auth, polish, f"/recommendations/{rec.id}")
    page = page_as(auth, english, f"/recommendations/{rec.id}")
    assert "Sent in package 1." in page and "Wysłana" not in page
    assert "Pierwsza wersja." in page_as(auth, polish, f"/recommendations/{rec.id}/history")
    assert "First version." in page_as(auth, english, f"/recommendations/{rec.id}/history")


def test_an_accepted_amendment_is_credited_in_the_readers_language(auth):
    author = factories.make_user("member", language="pl")
    rec = make_rec(author, status="discussion")
    amender = factories.make_user("member", name="Ewa Zielińska")
    amendment = recommendations.propose_amendment(rec, amender, text(title="Nowy tytuł"), "Krócej")
    recommendations.accept_amendment(amendment, author)
    revision = db.session.scalar(select(Revision).where(Revision.number == 2))
    assert revision.note == "" and revision.note_params == {"name": "Ewa Zielińska"}
    english = factories.make_user("member", language="en")
    history = page_as(auth, english, f"/recommendations/{rec.id}/history")
    assert "Amendment by Ewa Zielińska accepted." in history
    assert "Przyjęto poprawkę – autorstwo: Ewa Zielińska." in page_as(
        auth, author, f"/recommendations/{rec.id}/history"
    )


def _minutes_draft(auth, facilitator, meeting) -> str:
    page = page_as(auth, facilitator, f"/meetings/{meeting.id}/minutes")
    body = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    return body


def _held(meeting, facilitator, owner):
    meetings.start_meeting(meeting, facilitator)
    meetings.add_action_item(
        meeting, facilitator, title="Zebrać dane", owner=owner, due_on=date(2027, 3, 1)
    )
    meetings.finish_meeting(db.session.get(Meeting, meeting.id), facilitator)


def test_the_draft_minutes_are_in_the_meetings_language_not_the_facilitators(auth):
    facilitator = factories.make_user("facilitator", language="en")
    meeting, _ = plan(facilitator, title="Spotkanie marcowe")
    _held(meeting, facilitator, facilitator)
    draft = _minutes_draft(auth, facilitator, meeting)
    assert "## Porządek obrad i notatki" in draft and "termin: 1 mar 2027" in draft
    assert "Agenda" not in draft and "due" not in draft

    polish = factories.make_user("facilitator", language="pl")
    meeting, _ = plan(polish, title="V4 partners' call")
    row = db.session.get(Meeting, meeting.id)
    row.language = "en"
    db.session.commit()
    _held(meeting, polish, polish)
    draft = _minutes_draft(auth, polish, meeting)
    assert "## Agenda and notes" in draft and "due Mar 1, 2027" in draft


def test_the_meeting_form_sets_the_language(auth):
    auth.login("facilitator", language="en")
    response = auth.post(
        "/meetings/new",
        {
            "title": "V4 partners' call",
            "starts_at": "2027-04-01T10:00",
            "ends_at": "2027-04-01T12:00",
            "mode": "online",
            "link": "https://meet.example/v4",
            "language": "en",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    assert (
        db.session.scalar(select(Meeting.language).where(Meeting.title == "V4 partners' call"))
        == "en"
    )
    bad = auth.post(
        "/meetings/new",
        {
            "title": "Zła",
            "starts_at": "2027-04-01T10:00",
            "ends_at": "2027-04-01T12:00",
            "mode": "online",
            "language": "de",
        },
    )
    assert bad.status_code in (400, 422) and "Not a valid choice" in bad.get_data(as_text=True)


def test_a_package_sent_from_an_english_screen_has_polish_files(auth):
    _, facilitator, _, _ = agreed_set()
    facilitator.language = "en"
    db.session.commit()
    send_package(auth, facilitator, area="G01")
    stored = db.session.scalar(select(PackageFile).where(PackageFile.format == "docx"))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(stored.content)).paragraphs]
    assert "Spis treści" in paragraphs and "Table of contents" not in paragraphs


def test_an_invitation_opens_in_the_language_it_was_sent_in(app, auth, smtp_server):
    auth.login("admin")
    auth.post(
        "/admin/users/invite",
        {
            "email": "v4.partner@example.org",
            "name": "V4 Partner",
            "role": "member",
            "organisation_id": "0",
            "language": "en",
        },
    )
    message = smtp_server.messages[0]
    path = re.search(
        r"http://testserver(/auth/invitation/\S+)", message.get_body(("plain",)).get_content()
    ).group(1)
    invitee = app.test_client()  # the invitee's own browser
    page = invitee.get(path).get_data(as_text=True)
    assert '<html lang="en"' in page and "Check your name and choose a password" in page
    # A wrong password pair is refused in English too.
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = invitee.post(
        path,
        data={
            "name": "V4 Partner",
            "password": "a strong new password",
            "confirm": "x",
            "csrf_token": csrf,
        },
    ).get_data(as_text=True)
    assert '<html lang="en"' in refused
    # A visitor who chose Polish keeps it.
    chooser = app.test_client()
    chooser.get("/auth/login")
    with chooser.session_transaction() as session:
        session["lang"] = "pl"
    assert '<html lang="pl"' in chooser.get(path).get_data(as_text=True)
