"""A member follows, hears about a comment through the bell, sets up the digest, mutes
what they follow, and unsubscribes from a mailed link without logging in."""

import re

from playwright.sync_api import expect

from tests import factories
from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec


def test_bell_settings_mute_and_unsubscribe(browsers, live_server, page):
    from app.auth.models import User
    from app.digests.digest import unsubscribe_token
    from app.extensions import db
    from app.recommendations import services

    email = live_server.make_user("member", name="Ewa Dzwonek")
    with live_server.app.app_context():
        me = db.session.scalar(db.select(User).where(User.email == email))
        rec = make_rec(me, status="discussion", title="Centra usług wspólnych")
        rec_id = rec.id
        services.add_comment(rec, factories.make_user("member", name="Jan Komentarz"), "Popieram.")
        token = unsubscribe_token(me)

    tab = browsers.person(email, DEFAULT_PASSWORD)
    bell = tab.get_by_role("link", name="Powiadomienia – nieprzeczytane: 1")
    bell.click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Powiadomienia")
    tab.get_by_role("link", name=re.compile("Jan Komentarz")).click()
    expect(tab).to_have_url(re.compile(rf"/recommendations/{rec_id}"))
    expect(tab.get_by_role("link", name="Powiadomienia – nieprzeczytane: 0")).to_be_visible()

    tab.goto("/account/")
    tab.get_by_label("E-mail z podsumowaniem").select_option("daily")
    tab.get_by_label("Godzina wysyłki (czas warszawski)").select_option("7")
    tab.get_by_role("button", name="Zapisz ustawienia").click()
    expect(tab.get_by_text("Ustawienia zostały zapisane.")).to_be_visible()
    expect(tab.get_by_label("Godzina wysyłki (czas warszawski)")).to_have_value("7")

    following = tab.get_by_role("region", name="Co obserwujesz")
    following.get_by_role("button", name="Wycisz: Centra usług wspólnych").click()
    expect(
        tab.get_by_role("region", name="Co obserwujesz").get_by_text("wyciszone")
    ).to_be_visible()

    # The link from a digest works in a browser that is not logged in.
    page.goto(f"/account/unsubscribe/{token}")
    page.get_by_role("button", name="Wypisz mnie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nie będziesz już otrzymywać podsumowań e-mail"
    )
    tab.goto("/account/")
    expect(tab.get_by_label("E-mail z podsumowaniem")).to_have_value("off")
