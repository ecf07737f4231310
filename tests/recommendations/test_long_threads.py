"""Long discussions: comment HTML stored when saved, the newest comments shown with
their replies and the earlier ones a batch at a time, links that reach any comment."""

import re

from sqlalchemy import select, update

from app.digests.models import Notification
from app.extensions import db
from app.recommendations import services, thread
from app.recommendations.models import Comment
from app.text import RENDER_VERSION
from tests import factories
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def shown_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


def long_thread(top: int = 40):
    """A recommendation with ``top`` top-level comments, the first and the last answered."""
    rec = make_rec(factories.make_user("member"), status="discussion")
    writer = factories.make_user("member", name="Piotr Pisarz")
    roots = [services.add_comment(rec, writer, f"Głos numer {n}.") for n in range(top)]
    first_reply = services.add_comment(rec, writer, "Odpowiedź na pierwszy.", parent_id=roots[0].id)
    deep = services.add_comment(rec, writer, "Odpowiedź głębiej.", parent_id=first_reply.id)
    last_reply = services.add_comment(rec, writer, "Odpowiedź na ostatni.", parent_id=roots[-1].id)
    return rec, roots, first_reply, deep, last_reply


def test_a_saved_comment_keeps_its_html_and_the_page_shows_what_was_stored(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    named = factories.make_user("member", name="Zofia Wspomniana")
    comment = services.add_comment(rec, factories.make_user("member"), f"**Tak**, @{named.handle}")
    assert comment.html_version == RENDER_VERSION
    assert "<strong>Tak</strong>" in comment.body_html
    assert f'href="/people/{named.handle}"' in comment.body_html
    # The page prints the stored HTML; it does not parse the Markdown again.
    db.session.execute(
        update(Comment).where(Comment.id == comment.id).values(body_html="<p>Zapisane.</p>")
    )
    db.session.commit()
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "<p>Zapisane.</p>" in page and "<strong>Tak</strong>" not in page


def test_an_edit_renders_again_and_a_deletion_empties_the_html():
    rec = make_rec(factories.make_user("member"), status="discussion")
    writer = factories.make_user("member")
    comment = services.add_comment(rec, writer, "Pierwsza wersja.")
    services.edit_comment(comment, writer, "Druga *wersja*.")
    assert "<em>wersja</em>" in db.session.get(Comment, comment.id).body_html
    services.delete_comment(comment, writer)
    assert db.session.get(Comment, comment.id).body_html == ""


def test_html_from_another_renderer_version_is_rendered_when_shown_and_by_the_command(auth, app):
    rec = make_rec(factories.make_user("member"), status="discussion")
    named = factories.make_user("member", name="Adam Wspomniany")
    comment = services.add_comment(
        rec, factories.make_user("member"), f"Zob. @{named.handle} *teraz*"
    )
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(body_html="<p>stare</p>", html_version=RENDER_VERSION - 1)
    )
    db.session.commit()
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "<em>teraz</em>" in page and "<p>stare</p>" not in page
    assert f'href="/people/{named.handle}"' in page

    result = app.test_cli_runner().invoke(args=["comments", "render"])
    assert result.exit_code == 0, result.output
    assert "1 comments rendered" in result.output
    db.session.expire_all()
    stored = db.session.get(Comment, comment.id)
    assert stored.html_version == RENDER_VERSION and "<em>teraz</em>" in stored.body_html
    again = app.test_cli_runner().invoke(args=["comments", "render"])
    assert "0 comments rendered" in again.output


def test_a_long_thread_shows_the_newest_comments_with_their_replies(auth):
    rec, roots, first_reply, deep, last_reply = long_thread(40)
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    shown = shown_ids(page)
    newest = [c.id for c in roots[-thread.PAGE :]]
    assert [i for i in shown if i in {c.id for c in roots}] == newest
    assert last_reply.id in shown and first_reply.id not in shown
    assert "Show 10 earlier comments" in page or "Pokaż 10 wcześniejszych komentarzy" in page
    # Without scripts the link opens the whole thread.
    everything = auth.client.get(f"/recommendations/{rec.id}?comments=all").get_data(as_text=True)
    assert len(shown_ids(everything)) == 43 and 'class="thread-earlier"' not in everything


def test_show_earlier_brings_the_next_batch_in_place_of_the_link(auth):
    rec, roots, first_reply, deep, last_reply = long_thread(40)
    auth.login("member")
    oldest_shown = roots[-thread.PAGE]
    response = auth.client.get(
        f"/recommendations/{rec.id}/comments?before={oldest_shown.id}", headers=HTMX
    )
    assert response.status_code == 200
    batch = response.get_data(as_text=True)
    assert "<html" not in batch and 'id="discussion"' not in batch
    assert shown_ids(batch) == [roots[0].id, first_reply.id, deep.id, *[c.id for c in roots[1:10]]]
    assert 'class="thread-earlier"' not in batch  # nothing before these
    # Keyboard focus goes to the first comment brought in, and it is announced.
    assert f'id="comment-{roots[0].id}" tabindex="-1" data-autofocus' in batch
    assert "data-announce=" in batch


def test_a_link_to_an_earlier_comment_widens_the_window_to_its_thread(auth):
    rec, roots, first_reply, deep, last_reply = long_thread(40)
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}?comment={deep.id}").get_data(as_text=True)
    shown = shown_ids(page)
    assert deep.id in shown and roots[0].id in shown and len(shown) == 43
    # A comment of another discussion widens nothing.
    other = make_rec(factories.make_user("member"), status="discussion", title="Inna")
    stranger = services.add_comment(other, factories.make_user("member"), "Obcy.")
    page = auth.client.get(f"/recommendations/{rec.id}?comment={stranger.id}").get_data(
        as_text=True
    )
    assert len([i for i in shown_ids(page) if i in {c.id for c in roots}]) == thread.PAGE


def test_a_reply_notification_links_through_the_window():
    rec, roots, *_ = long_thread(35)
    someone = factories.make_user("member")
    reply = services.add_comment(rec, someone, "Odpowiadam najstarszemu.", parent_id=roots[0].id)
    note = db.session.scalar(
        select(Notification)
        .where(Notification.kind == "comment.reply")
        .order_by(Notification.id.desc())
    )
    assert note.url == f"/recommendations/{rec.id}?comment={reply.id}#comment-{reply.id}"


def test_posting_a_reply_to_an_old_comment_keeps_it_in_view(auth):
    rec, roots, *_ = long_thread(40)
    auth.login("member")
    response = auth.post(
        f"/recommendations/{rec.id}/comments",
        {"body": "Wracam do początku.", "parent_id": str(roots[1].id)},
        headers=HTMX,
    )
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    reply = db.session.scalar(select(Comment).where(Comment.parent_id == roots[1].id))
    assert f'id="comment-{reply.id}" tabindex="-1" data-autofocus' in fragment


def form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the first form posting to ``action``, as a browser sends them."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', html, re.S)
    assert form, action
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def test_the_reply_edit_and_delete_forms_of_every_comment_carry_a_valid_token(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member", name="Ola Odpowiadająca")
    root = services.add_comment(rec, factories.make_user("member"), "Pytanie do wszystkich.")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    reply = form_fields(page, f"/recommendations/{rec.id}/comments")
    assert reply["csrf_token"] and reply["parent_id"] == str(root.id)
    response = auth.client.post(
        f"/recommendations/{rec.id}/comments", data={**reply, "body": "Odpowiadam."}, headers=HTMX
    )
    assert response.status_code == 200
    mine = db.session.scalar(select(Comment).where(Comment.parent_id == root.id))
    fragment = response.get_data(as_text=True)
    edit = form_fields(fragment, f"/comments/{mine.id}/edit")
    assert (
        auth.client.post(
            f"/comments/{mine.id}/edit", data={**edit, "body": "Poprawiam."}, headers=HTMX
        ).status_code
        == 200
    )
    assert db.session.get(Comment, mine.id).body == "Poprawiam."
    delete = form_fields(fragment, f"/comments/{mine.id}/delete")
    assert (
        auth.client.post(f"/comments/{mine.id}/delete", data=delete, headers=HTMX).status_code
        == 200
    )
    assert db.session.get(Comment, mine.id).deleted_at is not None


def test_ids_no_comment_can_have_are_ignored_not_an_error(auth):
    rec, roots, *_ = long_thread(35)
    auth.login("member")
    huge = str(10**20)
    page = auth.client.get(f"/recommendations/{rec.id}?comment={huge}")
    assert page.status_code == 200
    batch = auth.client.get(f"/recommendations/{rec.id}/comments?before={huge}", headers=HTMX)
    assert batch.status_code == 200
    refused = auth.post(
        f"/recommendations/{rec.id}/comments",
        {"body": "Odpowiedź.", "parent_id": huge},
        headers=HTMX,
    )
    assert refused.status_code == 422


def test_a_refused_reply_to_an_old_comment_keeps_that_comment_on_the_page(auth):
    rec, roots, *_ = long_thread(40)
    auth.login("member")
    response = auth.post(
        f"/recommendations/{rec.id}/comments",
        {"body": "x" * 10_001, "parent_id": str(roots[0].id)},
        headers=HTMX,
    )
    assert response.status_code == 422
    assert f'id="comment-{roots[0].id}"' in response.get_data(as_text=True)


def test_stored_html_is_sanitised_again_as_it_is_read(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    comment = services.add_comment(rec, factories.make_user("member"), "Tekst.")
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(body_html='<p onclick="x()">Tekst.</p><script>alert(1)</script>')
    )
    db.session.commit()
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "<p>Tekst.</p>" in page and "alert(1)" not in page and "onclick" not in page


def test_the_earlier_link_says_how_many_it_brings_a_batch_at_a_time(auth):
    rec, roots, *_ = long_thread(thread.PAGE * 2 + 5)
    auth.login("member", language="en")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f"Show {thread.PAGE} earlier comments" in page
    first = roots[-thread.PAGE]
    batch = auth.client.get(
        f"/recommendations/{rec.id}/comments?before={first.id}", headers=HTMX
    ).get_data(as_text=True)
    assert "Show 5 earlier comments" in batch
    assert len([i for i in shown_ids(batch) if i in {c.id for c in roots}]) == thread.PAGE
