"""Amendments: proposed by non-authors, decided by authors, credited in the history."""

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.recommendations import services
from app.recommendations.models import Amendment, Recommendation, Revision
from tests import factories
from tests.recommendations.helpers import make_rec, text


def amend_form(rec, **changes):
    data = {
        "title": rec.title,
        "summary": rec.summary,
        "body": rec.body,
        "addressee": "",
        "expected_impact": "",
        "justification": "Doprecyzowanie.",
    }
    data.update(changes)
    return data


def test_member_proposes_and_author_accepts_with_credit(app, client, auth):
    author = factories.make_user("member", name="Autorka")
    rec = make_rec(author, status="discussion", body="Wspieramy powroty absolwentów.")
    amender = auth.login("member", name="Poprawiający")
    response = auth.post(
        f"/recommendations/{rec.id}/amendments/new",
        amend_form(rec, body="Wspieramy powroty absolwentów i seniorów."),
    )
    assert response.status_code == 303
    amendment = db.session.scalar(select(Amendment).where(Amendment.recommendation_id == rec.id))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "i seniorów</ins>" in page
    # The authors are told.
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == author.id, Notification.kind == "amendment.proposed"
        )
    )

    auth.logout()
    auth.login_as(author)
    accept = auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/accept")
    assert accept.status_code == 303
    saved = db.session.get(Recommendation, rec.id)
    assert saved.body == "Wspieramy powroty absolwentów i seniorów."
    revision = db.session.scalar(
        select(Revision)
        .where(Revision.recommendation_id == rec.id)
        .order_by(Revision.number.desc())
        .limit(1)
    )
    assert (revision.amended_by_id, revision.author_id) == (amender.id, author.id)
    assert db.session.get(Amendment, amendment.id).state == "accepted"
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == amender.id, Notification.kind == "amendment.accepted"
        )
    )
    history = client.get(f"/recommendations/{rec.id}/history").get_data(as_text=True)
    assert "Poprawiający" in history


def test_rejection_needs_a_reason_which_the_amender_gets(client, auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    amender = factories.make_user("member")
    amendment = services.propose_amendment(rec, amender, text(title="Inny tytuł"), "Lepiej.")
    empty = auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/reject", {"reason": ""})
    assert empty.status_code == 400
    assert db.session.get(Amendment, amendment.id).state == "pending"
    done = auth.post(
        f"/recommendations/{rec.id}/amendments/{amendment.id}/reject",
        {"reason": "Tytuł musi wskazywać grupę docelową."},
    )
    assert done.status_code == 303
    assert db.session.get(Amendment, amendment.id).state == "rejected"
    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == amender.id, Notification.kind == "amendment.rejected"
        )
    )
    assert note.data["reason"] == "Tytuł musi wskazywać grupę docelową."
    assert db.session.get(Recommendation, rec.id).title == "Fundusz powrotów"


def test_authors_cannot_amend_and_drafts_cannot_be_amended(client, auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    assert client.get(f"/recommendations/{rec.id}/amendments/new").status_code == 403
    draft = make_rec(factories.make_user("member"))
    assert client.get(f"/recommendations/{draft.id}/amendments/new").status_code == 403


def test_an_amendment_that_changes_nothing_is_an_inline_error(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    response = auth.post(f"/recommendations/{rec.id}/amendments/new", amend_form(rec))
    assert response.status_code == 400
    assert db.session.scalar(select(Amendment)) is None


def test_non_authors_cannot_decide(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    amendment = services.propose_amendment(
        rec, factories.make_user("member"), text(title="Nowy"), "x"
    )
    auth.login("member")
    assert (
        auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/accept").status_code == 403
    )
    assert db.session.get(Amendment, amendment.id).state == "pending"


def test_accepting_an_outdated_amendment_on_the_same_field_is_refused(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    amendment = services.propose_amendment(
        rec, factories.make_user("member"), text(title="Tytuł poprawki"), "x"
    )
    fresh = db.session.get(Recommendation, rec.id)
    services.update_recommendation(
        fresh,
        author,
        expected_version=fresh.version,
        text=text(title="Tytuł autorki"),
        note="zmiana",
    )
    response = auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/accept")
    assert response.status_code == 303
    assert db.session.get(Recommendation, rec.id).title == "Tytuł autorki"
    assert db.session.get(Amendment, amendment.id).state == "pending"


def test_amendment_to_another_field_applies_over_later_edits(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    amendment = services.propose_amendment(
        rec, factories.make_user("member"), text(summary="Lepsze streszczenie."), "x"
    )
    fresh = db.session.get(Recommendation, rec.id)
    services.update_recommendation(
        fresh,
        author,
        expected_version=fresh.version,
        text=text(title="Tytuł autorki"),
        note="zmiana",
    )
    auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/accept")
    saved = db.session.get(Recommendation, rec.id)
    assert (saved.title, saved.summary) == ("Tytuł autorki", "Lepsze streszczenie.")
