"""After every htmx swap the keyboard focus lands somewhere sensible and the change is
read out: following, supporting and commenting, done with the keyboard only."""

import re

from playwright.sync_api import expect

from app.auth.models import User
from app.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec


def a_recommendation(live_server, author_email):
    with live_server.app.app_context():
        author = db.session.query(User).filter_by(email=author_email).one()
        return make_rec(author, title="Kolej aglomeracyjna", status="discussion").id


def test_follow_support_and_comment_keep_the_keyboard_in_place(browsers, live_server):
    author = live_server.make_user("member", name="Autorka")
    reader = live_server.make_user("member", name="Czytelnik")
    rec_id = a_recommendation(live_server, author)
    tab = browsers.person(reader, DEFAULT_PASSWORD)
    tab.goto(f"/recommendations/{rec_id}")

    follow = tab.get_by_role("button", name="Obserwuj")
    follow.focus()
    tab.keyboard.press("Enter")
    following = tab.get_by_role("button", name="Obserwujesz")
    expect(following).to_be_focused()
    expect(tab.locator("#htmx-status")).to_have_text("Obserwujesz to teraz.")

    tab.get_by_role("button", name="Popieram").focus()
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("button", name="Wycofuję poparcie")).to_be_focused()
    expect(tab.locator("#htmx-status")).to_have_text("Twoje poparcie zostało zapisane.")

    new_comment = tab.get_by_role("textbox", name="Twój komentarz")
    new_comment.fill("Warto dodać dane o dojazdach.")
    tab.get_by_role("button", name="Dodaj komentarz").focus()
    tab.keyboard.press("Enter")
    posted = tab.locator("article.comment", has_text="Warto dodać dane o dojazdach.")
    expect(posted).to_be_focused()
    expect(tab.locator("#htmx-status")).to_have_text("Twój komentarz został dodany.")

    # A comment refused for a reason: the focus goes to the field to correct.
    tab.get_by_role("button", name="Dodaj komentarz").focus()
    tab.keyboard.press("Enter")
    expect(new_comment).to_be_focused()
    expect(new_comment).to_have_attribute("aria-invalid", "true")


def test_earlier_comments_come_in_place_with_the_keyboard_and_old_links_reach_them(
    browsers, live_server
):
    from app.recommendations import services, thread

    author = live_server.make_user("member", name="Autorka")
    reader = live_server.make_user("member", name="Czytelnik")
    rec_id = a_recommendation(live_server, author)
    with live_server.app.app_context():
        from app.recommendations.models import Recommendation

        writer = db.session.query(User).filter_by(email=author).one()
        rec = db.session.get(Recommendation, rec_id)
        roots = [
            services.add_comment(rec, writer, f"Głos numer {n}.").id for n in range(thread.PAGE + 5)
        ]
        old_reply = services.add_comment(rec, writer, "Odpowiedź dawna.", parent_id=roots[2]).id
    tab = browsers.person(reader, DEFAULT_PASSWORD)
    tab.goto(f"/recommendations/{rec_id}")
    expect(tab.locator("article.comment")).to_have_count(thread.PAGE)
    earlier = tab.get_by_role("link", name="Pokaż 5 wcześniejszych komentarzy")
    earlier.focus()
    tab.keyboard.press("Enter")
    first = tab.locator(f"#comment-{roots[0]}")
    expect(first).to_be_focused()
    expect(tab.locator("#htmx-status")).to_have_text("Pokazano 5 wcześniejszych komentarzy.")
    expect(tab.locator("article.comment")).to_have_count(thread.PAGE + 6)
    # The comments stay in the thread's order: the batch took the link's place.
    ids = tab.locator("#discussion > article.comment").evaluate_all(
        "nodes => nodes.map(n => Number(n.id.slice(8)))"
    )
    assert ids == roots

    # A link made before the window existed (only the anchor) still reaches the comment.
    tab.goto("/")
    tab.goto(f"/recommendations/{rec_id}#comment-{old_reply}")
    expect(tab).to_have_url(re.compile(rf"\?comment={old_reply}#comment-{old_reply}$"))
    expect(tab.locator(f"#comment-{old_reply}")).to_be_visible()
