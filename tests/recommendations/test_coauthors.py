"""Co-authors: invited by an author, accepted by the invitee, then editing directly."""

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.recommendations.models import Recommendation, RecommendationAuthor
from tests import factories
from tests.conftest import Auth
from tests.recommendations.helpers import edit_form, make_rec


def test_invited_member_accepts_and_edits_directly(app, client, auth):
    creator = auth.login("member", name="Twórczyni")
    rec = make_rec(creator)
    partner = factories.make_user("member", name="Partner", organisation="krk UrbanHub")
    response = auth.post(f"/recommendations/{rec.id}/coauthors", {"user_id": str(partner.id)})
    assert response.status_code == 303
    row = db.session.scalar(
        select(RecommendationAuthor).where(RecommendationAuthor.user_id == partner.id)
    )
    assert row.state == "invited"
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == partner.id, Notification.kind == "coauthor.invited"
        )
    )

    partner_client = app.test_client()
    partner_auth = Auth(partner_client)
    partner_auth.login_as(partner)
    assert partner_client.get(f"/recommendations/{rec.id}/edit").status_code == 403
    page = partner_client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'name="answer" value="accept"' in page
    partner_auth.post(f"/recommendations/{rec.id}/coauthors/answer", {"answer": "accept"})
    assert db.session.get(RecommendationAuthor, row.id).state == "accepted"
    saved = partner_auth.post(
        f"/recommendations/{rec.id}/edit", edit_form(rec, body="Wspólny tekst.", note="Od partnera")
    )
    assert saved.status_code == 303
    assert db.session.get(Recommendation, rec.id).body == "Wspólny tekst."
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    authors = page[page.index('id="authors"') : page.index('id="support"')]
    assert "Partner" in authors and "krk UrbanHub" in authors and "Otoczenie biznesu" in authors


def test_declining_and_reinviting(auth):
    creator = auth.login("member")
    rec = make_rec(creator)
    partner = factories.make_user("member")
    auth.post(f"/recommendations/{rec.id}/coauthors", {"user_id": str(partner.id)})
    again = auth.post(
        f"/recommendations/{rec.id}/coauthors", {"user_id": str(partner.id)}, follow_redirects=True
    )
    assert "Wybierz osobę z listy" in again.get_data(as_text=True)  # no longer offered
    from app.recommendations import services

    services.answer_coauthor_invitation(db.session.get(Recommendation, rec.id), partner, False)
    assert (
        auth.post(f"/recommendations/{rec.id}/coauthors", {"user_id": str(partner.id)}).status_code
        == 303
    )
    row = db.session.scalar(
        select(RecommendationAuthor).where(RecommendationAuthor.user_id == partner.id)
    )
    assert row.state == "invited"


def test_only_authors_invite_and_reviewers_cannot_be_invited(auth):
    creator = factories.make_user("member")
    rec = make_rec(creator)
    reviewer = factories.make_user("reviewer")
    auth.login("member")
    assert (
        auth.post(f"/recommendations/{rec.id}/coauthors", {"user_id": str(creator.id)}).status_code
        == 403
    )
    auth.logout()
    auth.login_as(creator)
    response = auth.post(
        f"/recommendations/{rec.id}/coauthors", {"user_id": str(reviewer.id)}, follow_redirects=True
    )
    assert (
        db.session.scalar(
            select(RecommendationAuthor).where(RecommendationAuthor.user_id == reviewer.id)
        )
        is None
    )
    assert response.status_code == 200


def test_answering_without_an_invitation_is_refused(auth):
    rec = make_rec(factories.make_user("member"))
    auth.login("member")
    response = auth.post(
        f"/recommendations/{rec.id}/coauthors/answer", {"answer": "accept"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert (
        db.session.scalar(
            select(RecommendationAuthor).where(
                RecommendationAuthor.recommendation_id == rec.id,
                RecommendationAuthor.state == "accepted",
            )
        ).user_id
        != auth.user.id
    )


def test_the_invitation_form_is_built_for_the_creator_alone(app, auth, monkeypatch):
    from app.auth import queries as account_queries

    creator = factories.make_user("member", name="Twórczyni")
    rec = make_rec(creator)
    listed = []
    real = account_queries.active_contributors
    monkeypatch.setattr(account_queries, "active_contributors", lambda: listed.append(1) or real())
    other = app.test_client()
    Auth(other).login_as(factories.make_user("member"))
    page = other.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f'action="/recommendations/{rec.id}/coauthors"' not in page
    assert listed == []  # every member is listed only for the one who may invite
    auth.login_as(creator)
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f'action="/recommendations/{rec.id}/coauthors"' in page
    assert listed == [1]
