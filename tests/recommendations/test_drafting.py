"""Drafting: creating, numbering, editing with revisions, history and diffs."""

import re

from sqlalchemy import func, select

from app.audit import AuditEvent
from app.extensions import db
from app.follows import Follow
from app.recommendations.models import (
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
)
from tests import factories
from tests.recommendations.helpers import edit_form, make_rec


def new_form(**changes):
    data = {
        "title": "Centra kompetencji cyfrowych",
        "summary": "Wsparcie MŚP.",
        "body": "## Dlaczego\n\n- szkolenia\n- doradztwo",
        "addressee": "MFiPR",
        "expected_impact": "Więcej firm online.",
        "problem_area": str(factories.area("G06").id),
        "category": str(factories.category("R3").id),
        "origin_meeting": "0",
        "note": "",
    }
    data.update(changes)
    return data


def test_member_drafts_a_recommendation_with_first_revision_and_number(client, auth):
    member = auth.login("member", organisation="krk UrbanHub")
    response = auth.post("/recommendations/new", new_form())
    assert response.status_code == 303
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.title == "Centra kompetencji cyfrowych")
    )
    assert (rec.status, rec.number) == ("draft", 1)
    assert (
        db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.recommendation_id == rec.id)
        )
        == 1
    )
    author = db.session.scalar(
        select(RecommendationAuthor).where(RecommendationAuthor.recommendation_id == rec.id)
    )
    assert (author.user_id, author.state) == (member.id, "accepted")
    assert (
        db.session.scalar(
            select(Follow).where(Follow.user_id == member.id, Follow.target_id == rec.id)
        )
        is not None
    )
    assert (
        db.session.scalar(
            select(StatusChange.to_status).where(StatusChange.recommendation_id == rec.id)
        )
        == "draft"
    )
    assert (
        db.session.scalar(
            select(AuditEvent.action).where(
                AuditEvent.object_id == rec.id, AuditEvent.object_type == "recommendations"
            )
        )
        == "recommendation.created"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "G06/R3/1" in page
    assert "<h3>Dlaczego</h3>" in page  # user headings never compete with the page's h1/h2
    assert "krk UrbanHub" in page


def test_numbers_are_sequential_within_area_and_category(auth):
    member = auth.login("member")
    first = make_rec(member, area="G02", category="R1")
    second = make_rec(member, area="G02", category="R1")
    other = make_rec(member, area="G02", category="R4")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    page = auth.client.get(f"/recommendations/{second.id}").get_data(as_text=True)
    assert "G02/R1/2" in page


def test_invalid_draft_shows_inline_errors_and_saves_nothing(auth):
    auth.login("member")
    before = db.session.scalar(select(func.count()).select_from(Recommendation))
    for changes in (
        {"title": ""},
        {"title": "x" * 301},
        {"summary": ""},
        {"problem_area": "999999"},
        {"category": "abc"},
        {"body": "x" * 50_001},
    ):
        response = auth.post("/recommendations/new", new_form(**changes))
        assert response.status_code == 400, changes
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Recommendation)) == before


def test_user_markdown_cannot_carry_scripts_or_htmx(client, auth):
    member = auth.login("member")
    rec = make_rec(
        member,
        body='<script>alert(1)</script>\n\n<div hx-get="/admin/users" '
        'hx-trigger="load">x</div>\n\n[klik](javascript:alert(1))\n\n'
        "<img src=x onerror=alert(1)>",
    )
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    body = page[page.index('class="markdown rec-text"') : page.index('class="facts summary-list"')]
    assert "<script" not in body and "<div hx-" not in body and "<img" not in body
    assert not re.search(r"<[^>]+\s(hx-[\w-]+|on\w+)=", body)
    assert 'href="javascript:' not in body


def test_reviewers_cannot_draft(client, auth):
    auth.login("reviewer")
    assert client.get("/recommendations/new").status_code == 403


def test_author_edit_creates_a_revision_with_note(client, auth):
    member = auth.login("member")
    rec = make_rec(member)
    response = auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(rec, title="Fundusz powrotów do Łodzi", note="Dodano miasto."),
    )
    assert response.status_code == 303
    revisions = db.session.scalars(
        select(Revision).where(Revision.recommendation_id == rec.id).order_by(Revision.number)
    ).all()
    assert [r.number for r in revisions] == [1, 2]
    assert (revisions[1].title, revisions[1].note, revisions[1].author_id) == (
        "Fundusz powrotów do Łodzi",
        "Dodano miasto.",
        member.id,
    )


def test_saving_without_changes_makes_no_revision(auth):
    member = auth.login("member")
    rec = make_rec(member)
    auth.post(f"/recommendations/{rec.id}/edit", edit_form(rec))
    assert (
        db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.recommendation_id == rec.id)
        )
        == 1
    )


def test_history_lists_revisions_and_compares_words_with_diacritics(client, auth):
    member = auth.login("member")
    rec = make_rec(member, body="Miasto Łódź wspiera powroty.")
    auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(rec, body="Miasto Łódź i Kraków wspierają powroty.", note="Kraków"),
    )
    auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(
            db.session.get(Recommendation, rec.id),
            summary="Nowe streszczenie.",
            note="Streszczenie",
        ),
    )
    page = client.get(f"/recommendations/{rec.id}/history?from=1&to=2").get_data(as_text=True)
    assert "Kraków" in page and "Streszczenie" in page
    assert "<del>wspiera</del><ins>i Kraków wspierają</ins>" in page
    assert "Łódź" in page
    # Any two versions, in either order; nonsense falls back to the latest pair.
    assert client.get(f"/recommendations/{rec.id}/history?from=3&to=1").status_code == 200
    assert client.get(f"/recommendations/{rec.id}/history?from=x&to=99").status_code == 200


def test_non_author_member_cannot_edit(client, auth):
    owner = factories.make_user("member")
    rec = make_rec(owner)
    auth.login("member")
    assert client.get(f"/recommendations/{rec.id}/edit").status_code == 403
    assert (
        auth.post(f"/recommendations/{rec.id}/edit", edit_form(rec, title="Hijack")).status_code
        == 403
    )
    assert db.session.get(Recommendation, rec.id).title == "Fundusz powrotów"


def test_agreed_text_is_frozen_until_sent_back(client, auth):
    owner = auth.login("member")
    rec = make_rec(owner, status="agreed")
    assert client.get(f"/recommendations/{rec.id}/edit").status_code == 403


def test_unknown_recommendation_is_404(client, auth):
    auth.login("member")
    assert client.get("/recommendations/424242").status_code == 404
    assert client.get("/recommendations/424242/history").status_code == 404
