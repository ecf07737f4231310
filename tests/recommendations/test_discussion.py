"""Discussion: threaded comments over htmx, stances, edits, soft delete, mentions."""

from datetime import timedelta

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.recommendations import services
from app.recommendations.models import Comment, Recommendation
from tests import factories
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def post(auth, rec, **data):
    return auth.post(f"/recommendations/{rec.id}/comments", data, headers=HTMX)


def test_comment_and_reply_over_htmx_update_the_thread(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member", name="Ewa Komentująca")
    response = post(auth, rec, body="Popieram, ale **z zastrzeżeniem**.", stance="for")
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="discussion"' in fragment
    assert "<strong>z zastrzeżeniem</strong>" in fragment
    comment = db.session.scalar(select(Comment).where(Comment.recommendation_id == rec.id))
    reply = post(auth, rec, body="Odpowiedź w wątku.", parent_id=str(comment.id))
    assert reply.status_code == 200
    saved = db.session.scalar(select(Comment).where(Comment.parent_id == comment.id))
    assert saved.body == "Odpowiedź w wątku."
    assert db.session.get(Recommendation, rec.id).comment_count == 2


def test_stance_counts(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    for stance in ("for", "for", "against", "neutral"):
        services.add_comment(rec, factories.make_user("member"), "Głos.", stance=stance)
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    counts = page[page.index('class="stance-counts"') :][:400]
    assert "<strong>2</strong>" in counts and counts.count("<strong>1</strong>") == 2


def test_empty_or_oversized_comment_gets_an_inline_error(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    for body in ("", "   ", "x" * 10_001):
        response = post(auth, rec, body=body)
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment)) is None


def test_bad_stance_and_foreign_or_deleted_parents_are_refused(auth):
    author = factories.make_user("member")
    rec = make_rec(author, status="discussion")
    other = make_rec(author, status="discussion", title="Inna")
    foreign = services.add_comment(other, author, "Gdzie indziej.")
    deleted = services.add_comment(rec, author, "Usunięty.")
    services.delete_comment(deleted, author)
    auth.login("member")
    assert post(auth, rec, body="x", stance="maybe").status_code == 422
    assert post(auth, rec, body="x", parent_id=str(foreign.id)).status_code == 422
    assert post(auth, rec, body="x", parent_id=str(deleted.id)).status_code == 422
    assert post(auth, rec, body="x", parent_id="999999").status_code == 422
    assert post(auth, rec, body="x", parent_id="abc").status_code == 422
    assert db.session.scalar(select(Comment).where(Comment.body == "x")) is None


def test_author_edits_own_comment_only_within_15_minutes(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    me = auth.login("member")
    comment = services.add_comment(rec, me, "Pierwsza wersja.")
    ok = auth.post(f"/comments/{comment.id}/edit", {"body": "Poprawiona."}, headers=HTMX)
    assert ok.status_code == 200
    assert db.session.get(Comment, comment.id).body == "Poprawiona."
    comment = db.session.get(Comment, comment.id)
    comment.created_at = comment.created_at - timedelta(minutes=16)
    db.session.commit()
    late = auth.post(f"/comments/{comment.id}/edit", {"body": "Za późno."}, headers=HTMX)
    assert late.status_code == 403
    assert db.session.get(Comment, comment.id).body == "Poprawiona."


def test_others_cannot_edit_or_delete_my_comment(app, auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    mine = services.add_comment(rec, factories.make_user("member"), "Mój.")
    auth.login("member")
    assert auth.post(f"/comments/{mine.id}/edit", {"body": "Cudzy."}).status_code == 403
    assert auth.post(f"/comments/{mine.id}/delete").status_code == 403
    assert db.session.get(Comment, mine.id).body == "Mój."


def test_soft_delete_keeps_replies_in_the_thread(client, auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    me = auth.login("member")
    parent = services.add_comment(rec, me, "Rodzic.")
    services.add_comment(rec, factories.make_user("member"), "Dziecko.", parent_id=parent.id)
    response = auth.post(f"/comments/{parent.id}/delete", headers=HTMX)
    assert response.status_code == 200
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Rodzic." not in page and "Dziecko." in page
    assert "Komentarz usunięty" in page or "Comment deleted" in page
    assert db.session.get(Recommendation, rec.id).comment_count == 1


def test_facilitator_can_remove_any_comment(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    comment = services.add_comment(rec, factories.make_user("member"), "Nie na temat.")
    auth.login("facilitator")
    assert auth.post(f"/comments/{comment.id}/delete").status_code == 303
    assert db.session.get(Comment, comment.id).deleted_at is not None


def test_mentions_notify_the_named_member(auth):
    named = factories.make_user("member", name="Zofia Łęcka", email="zofia@example.org")
    login = factories.make_user("member", name="Jan Nowak", email="jan.nowak@example.org")
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    post(auth, rec, body="Pytanie do @Zofia Łęcka oraz @jan.nowak, a @nikt nie istnieje.")
    notified = set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "comment.mention")
        )
    )
    assert notified == {named.id, login.id}


def test_replies_notify_the_parent_author(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    asker = factories.make_user("member")
    question = services.add_comment(rec, asker, "Pytanie?")
    auth.login("member")
    post(auth, rec, body="Odpowiedź.", parent_id=str(question.id))
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == asker.id, Notification.kind == "comment.reply"
        )
    )


def test_reviewers_do_not_join_member_discussions(auth):
    rec = make_rec(factories.make_user("member"), status="agreed")
    auth.login("reviewer")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'class="comment-form"' not in page
    assert post(auth, rec, body="Uwaga ministerstwa.").status_code == 403


def test_withdrawn_recommendations_take_no_new_comments(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    services.change_status(rec, author, "withdrawn")
    assert post(auth, rec, body="Za późno.").status_code == 403


def test_after_posting_the_form_comes_back_empty(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    fragment = post(auth, rec, body="Jednorazowy tekst.").get_data(as_text=True)
    form = fragment[fragment.index('class="comment-form"') :]
    assert "Jednorazowy tekst." not in form
