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
    response = auth.post(f"/recommendations/{rec.id}/coauthors", {"person": f"@{partner.handle}"})
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
    auth.post(f"/recommendations/{rec.id}/coauthors", {"person": f"@{partner.handle}"})
    again = auth.post(
        f"/recommendations/{rec.id}/coauthors",
        {"person": f"@{partner.handle}"},
        follow_redirects=True,
    )
    assert "należy już do autorów" in again.get_data(as_text=True)
    from app.recommendations import services

    services.answer_coauthor_invitation(db.session.get(Recommendation, rec.id), partner, False)
    assert (
        auth.post(
            f"/recommendations/{rec.id}/coauthors", {"person": f"@{partner.handle}"}
        ).status_code
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
        auth.post(
            f"/recommendations/{rec.id}/coauthors", {"person": f"@{creator.handle}"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login_as(creator)
    response = auth.post(
        f"/recommendations/{rec.id}/coauthors",
        {"person": f"@{reviewer.handle}"},
        follow_redirects=True,
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


def test_the_invitation_form_is_a_search_field_for_the_creator_alone(app, auth):
    creator = factories.make_user("member", name="Twórczyni")
    rec = make_rec(creator)
    for n in range(5):
        factories.make_user("member", name=f"Osoba Numer{n}")
    other = app.test_client()
    Auth(other).login_as(factories.make_user("member"))
    page = other.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f'action="/recommendations/{rec.id}/coauthors"' not in page
    auth.login_as(creator)
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    form = page[page.index(f'action="/recommendations/{rec.id}/coauthors"') :]
    form = form[: form.index("</form>")]
    # Nobody is listed in the page: people are offered while a name is typed.
    assert "Numer" not in form and "<option" not in form
    assert 'name="person"' in form and 'data-mention-source="/comments/people"' in form


def test_a_coauthor_is_named_by_handle_or_by_a_name_only_one_person_has(auth):
    creator = auth.login("member", name="Twórczyni")
    rec = make_rec(creator)
    ola = factories.make_user("member", name="Ola Łęcka")
    twins = [factories.make_user("member", name="Jan Kowalski") for _ in range(2)]
    page = auth.post(
        f"/recommendations/{rec.id}/coauthors", {"person": "ola lecka"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Ola Łęcka" in page
    assert db.session.scalar(
        select(RecommendationAuthor).where(RecommendationAuthor.user_id == ola.id)
    )
    # A name two people have: the handles to choose from, and nobody is invited.
    page = auth.post(
        f"/recommendations/{rec.id}/coauthors", {"person": "Jan Kowalski"}, follow_redirects=True
    ).get_data(as_text=True)
    assert all(f"@{t.handle}" in page for t in twins)
    page = auth.post(
        f"/recommendations/{rec.id}/coauthors", {"person": "Nikt Taki"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Nikt Taki" in page
    assert auth.post(f"/recommendations/{rec.id}/coauthors", {"person": " "}).status_code == 303
    invited = db.session.scalars(
        select(RecommendationAuthor.user_id).where(RecommendationAuthor.state == "invited")
    ).all()
    assert invited == [ola.id]


def test_someone_invited_to_warsztat_who_has_not_joined_can_be_invited_to_co_author(auth):
    from app.auth import services as accounts

    creator = auth.login("member")
    rec = make_rec(creator)
    newcomer = accounts.create_user("nowa@example.org", "Nowa Osoba", "member")
    assert newcomer.password_hash is None
    auth.post(f"/recommendations/{rec.id}/coauthors", {"person": f"@{newcomer.handle}"})
    assert db.session.scalar(
        select(RecommendationAuthor).where(RecommendationAuthor.user_id == newcomer.id)
    )
