"""Challenges: formulate, edit, discuss, and see the recommendations answering them."""

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.follows import set_following
from app.problems.models import Challenge
from app.recommendations import services
from app.recommendations.services import TextFields
from tests import factories


def test_member_formulates_a_challenge_and_area_followers_hear_of_it(client, auth):
    follower = factories.make_user("member")
    set_following(follower, "problem_area", factories.area("G03").id, True)
    auth.login("member")
    response = auth.post(
        "/problems/G03/challenges/new",
        {"title": "Brak mieszkań dla młodych", "description": "Czynsze."},
    )
    assert response.status_code == 303
    challenge = db.session.scalar(
        select(Challenge).where(Challenge.title == "Brak mieszkań dla młodych")
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Brak mieszkań dla młodych" in page and "G03" in page
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == follower.id,
            Notification.kind == "challenge.new",
            Notification.target_id == challenge.id,
        )
    )
    assert "Brak mieszkań dla młodych" in client.get("/problems/G03").get_data(as_text=True)


def test_empty_challenge_is_an_inline_error(auth):
    auth.login("member")
    response = auth.post("/problems/G03/challenges/new", {"title": "", "description": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert auth.post("/problems/G99/challenges/new", {"title": "x"}).status_code == 404


def test_author_edits_and_others_cannot(client, auth):
    author = auth.login("member")
    challenge = factories.make_challenge("G03", author=author)
    response = auth.post(
        f"/challenges/{challenge.id}/edit",
        {"title": "Nowe brzmienie", "description": "Opis", "base_version": str(challenge.version)},
    )
    assert response.status_code == 303
    assert db.session.get(Challenge, challenge.id).title == "Nowe brzmienie"
    auth.logout()
    auth.login("member")
    assert client.get(f"/challenges/{challenge.id}/edit").status_code == 403


def test_challenge_lists_the_recommendations_that_answer_it(client, auth):
    author = factories.make_user("member")
    challenge = factories.make_challenge("G03", title="Odpływ talentów")
    services.create_recommendation(
        author,
        area=factories.area("G03"),
        category=factories.category("R3"),
        text=TextFields(title="Program powrotów", summary="S"),
        challenges=[challenge],
    )
    auth.login("member")
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Program powrotów" in page and "G03/R3/" in page


def test_challenge_discussion_over_htmx(auth):
    challenge = factories.make_challenge("G03")
    auth.login("member")
    response = auth.post(
        f"/challenges/{challenge.id}/comments", {"body": "Ważne!"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Ważne!" in response.get_data(as_text=True)
    assert db.session.get(Challenge, challenge.id).comment_count == 1


def test_reviewers_read_challenges_but_do_not_comment(client, auth):
    challenge = factories.make_challenge("G03")
    auth.login("reviewer")
    assert client.get(f"/challenges/{challenge.id}").status_code == 200
    assert auth.post(f"/challenges/{challenge.id}/comments", {"body": "x"}).status_code == 403
