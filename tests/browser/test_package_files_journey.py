"""A facilitator who sends a package watches its files arrive: the page says how many
are ready, asks again by itself, and says when they are all there."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec


def test_the_package_page_waits_for_its_files_and_says_when_they_are_ready(browsers, live_server):
    from app.auth.models import User
    from app.exports.package_files import PACKAGE_FORMATS, build_waiting
    from app.extensions import db
    from tests.exports.helpers import MINISTRY

    facilitator = live_server.make_user("facilitator", name="Filip Wysyłający")
    with live_server.app.app_context():
        boss = db.session.scalar(db.select(User).where(User.email == facilitator))
        make_rec(boss, area="G05", title="Bony na kompetencje", status="agreed", facilitator=boss)
    # As when the sending process stops right after the send: the scheduler builds them.
    live_server.app.config["PACKAGE_FILES"] = "scheduler"
    try:
        tab = browsers.person(facilitator, DEFAULT_PASSWORD)
        tab.goto("/exports/packages/new?area=G05")
        tab.get_by_label("Tytuł").fill("Bony")
        tab.get_by_label("Ministerstwo – adresat").select_option(label=MINISTRY)
        tab.get_by_role("textbox", name="Pismo przewodnie").fill("Szanowni Państwo,\n\nprzesyłamy.")
        tab.get_by_role("button", name="Wyślij pakiet").click()
        waiting = len(PACKAGE_FORMATS)  # Word, PDF/A, Excel, JSON
        expect(tab.get_by_text(f"Pliki są przygotowywane: gotowe 0 z {waiting}.")).to_be_visible()
        expect(tab.get_by_role("link", name=re.compile(r"\.docx$"))).to_have_count(0)
        with live_server.app.app_context():
            assert build_waiting() == waiting
        expect(
            tab.get_by_role("link", name=re.compile(r"warsztat-package-\d+\.docx"))
        ).to_be_visible()
        expect(tab.locator("#htmx-status")).to_have_text("Pliki są gotowe.")
        expect(tab.get_by_text("Pliki są przygotowywane")).to_have_count(0)
    finally:
        live_server.app.config["PACKAGE_FILES"] = "thread"
