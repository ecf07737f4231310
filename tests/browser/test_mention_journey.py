"""A member mentions one of two people with the same name, by keyboard, from the list
the comment box offers: the handle goes in, and only that person is told."""

from playwright.sync_api import expect
from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec


def test_a_member_picks_one_of_two_namesakes_from_the_mention_list(page, live_server):
    with live_server.app.app_context():
        first = factories.make_user(
            "member",
            name="Tomasz Zając",
            email="tomasz.zajac@krakow.pl",
            organisation="krk UrbanHub",
        )
        second = factories.make_user("member", name="Tomasz Zając", email="tz@example.org")
        first_id, second_id = first.id, second.id
        rec_id = make_rec(factories.make_user("member"), status="discussion").id
    email = live_server.make_user("member")

    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")
    page.goto(f"/recommendations/{rec_id}")

    box = page.get_by_label("Twój komentarz")
    box.click()
    box.press_sequentially("Proszę o dane, @zaj")
    options = page.get_by_role("listbox", name="Osoby do wspomnienia").get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.nth(0)).to_contain_text("@tomasz.zajac · krk UrbanHub")
    expect(options.nth(1)).to_contain_text("@tz")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # takes the person; does not send the form
    expect(box).to_have_value("Proszę o dane, @tz ")
    expect(page.get_by_role("listbox")).to_have_count(0)
    box.press_sequentially("do piątku.")
    page.get_by_role("button", name="Dodaj komentarz").click()
    expect(page.locator("#discussion")).to_contain_text("Proszę o dane, @tz do piątku.")

    with live_server.app.app_context():
        told = set(
            db.session.scalars(
                select(Notification.user_id).where(Notification.kind == "comment.mention")
            )
        )
    assert second_id in told and first_id not in told
