"""Holes found in review: what must stay closed."""

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.follows import set_following
from app.recommendations import services
from app.recommendations.models import Amendment, Comment, Recommendation
from tests import factories
from tests.recommendations.helpers import make_rec, text


def test_reviewers_hear_nothing_of_drafts_or_discussions(auth):
    reviewer = factories.make_user("reviewer", name="Rewizor Ministerialny")
    set_following(reviewer, "problem_area", factories.area("G03").id, True)
    author = factories.make_user("member")
    rec = make_rec(author)
    services.add_comment(rec, author, "Pytanie do @Rewizor Ministerialny.")
    assert (
        db.session.scalar(select(Notification).where(Notification.user_id == reviewer.id)) is None
    )
    # Once agreed it is theirs to see, and they may hear of it.
    services.change_status(rec, author, "discussion")
    services.change_status(rec, factories.make_user("facilitator"), "agreed")
    set_following(reviewer, "recommendation", rec.id, True)
    services.change_status(rec, factories.make_user("facilitator"), "discussion", note="Do poprawy")
    assert (
        db.session.scalar(
            select(Notification).where(
                Notification.user_id == reviewer.id, Notification.kind == "recommendation.status"
            )
        )
        is None
    )


def test_merged_drafts_are_not_listed_to_reviewers(client, auth):
    author = factories.make_user("member")
    facilitator = factories.make_user("facilitator")
    target = make_rec(author, title="Cel uzgodniony", status="agreed", facilitator=facilitator)
    source = make_rec(author, title="Tajne źródło", status="discussion")
    services.change_status(source, facilitator, "merged", merged_into=target)
    auth.login("reviewer")
    page = client.get(f"/recommendations/{target.id}").get_data(as_text=True)
    assert "Cel uzgodniony" in page and "Tajne źródło" not in page


def test_a_blank_stance_is_an_inline_error_not_a_crash(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    response = auth.post(
        f"/recommendations/{rec.id}/comments",
        {"body": "x", "stance": " "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422


def test_deleting_twice_counts_once(auth):
    author = factories.make_user("member")
    rec = make_rec(author, status="discussion")
    comment = services.add_comment(rec, author, "Raz.")
    services.delete_comment(comment, author)
    services.delete_comment(db.session.get(Comment, comment.id), author)
    assert db.session.get(Recommendation, rec.id).comment_count == 0


def test_only_the_creator_invites_co_authors(auth):
    creator = factories.make_user("member")
    rec = make_rec(creator)
    partner = factories.make_user("member")
    services.invite_coauthor(rec, creator, partner)
    services.answer_coauthor_invitation(db.session.get(Recommendation, rec.id), partner, True)
    auth.login_as(partner)
    newcomer = factories.make_user("member")
    assert (
        auth.post(
            f"/recommendations/{rec.id}/coauthors", {"person": f"@{newcomer.handle}"}
        ).status_code
        == 403
    )


def test_invitations_cannot_be_accepted_after_withdrawal(auth):
    creator = factories.make_user("member")
    rec = make_rec(creator, status="discussion")
    partner = factories.make_user("member")
    services.invite_coauthor(rec, creator, partner)
    services.change_status(rec, creator, "withdrawn")
    auth.login_as(partner)
    auth.post(f"/recommendations/{rec.id}/coauthors/answer", {"answer": "accept"})
    from app.recommendations.rules import is_author

    assert not is_author(partner, db.session.get(Recommendation, rec.id))


def test_comments_on_withdrawn_recommendations_stay_as_they_are(auth):
    author = factories.make_user("member")
    rec = make_rec(author, status="discussion")
    me = factories.make_user("member")
    comment = services.add_comment(rec, me, "Mój głos.")
    services.change_status(rec, author, "withdrawn")
    auth.login_as(me)
    assert auth.post(f"/comments/{comment.id}/edit", {"body": "Zmiana"}).status_code == 403
    assert auth.post(f"/comments/{comment.id}/delete").status_code == 403


def test_an_amendment_is_decided_once(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    amendment = services.propose_amendment(
        rec, factories.make_user("member"), text(title="Nowy tytuł"), "x"
    )
    services.reject_amendment(db.session.get(Amendment, amendment.id), author, "Nie.")
    response = auth.post(f"/recommendations/{rec.id}/amendments/{amendment.id}/accept")
    assert response.status_code == 403  # no longer pending
    assert db.session.get(Recommendation, rec.id).title == "Fundusz powrotów"


def test_a_failed_reply_stays_a_reply(auth):
    author = factories.make_user("member")
    rec = make_rec(author, status="discussion")
    parent = services.add_comment(rec, author, "Pytanie?")
    auth.login("member")
    response = auth.post(
        f"/recommendations/{rec.id}/comments",
        {"body": "x" * 10_001, "parent_id": str(parent.id)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    fragment = response.get_data(as_text=True)
    form = fragment[fragment.index('class="comment-form"') :]
    assert f'name="parent_id" value="{parent.id}"' in form


def test_a_failed_edit_says_why(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    comment = services.add_comment(rec, author, "Pierwotny.")
    response = auth.post(
        f"/comments/{comment.id}/edit", {"body": ""}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).body == "Pierwotny."
