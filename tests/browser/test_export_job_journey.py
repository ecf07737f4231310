"""A member asks for a PDF report too large to make while they wait: its page shows it
waiting, asks again by itself, and offers the file, which is the PDF/A they asked for."""

from pathlib import Path

from playwright.sync_api import expect

from app.auth.models import User
from app.exports.export_jobs import build_waiting
from app.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.pdf_checks import read
from tests.recommendations.helpers import make_rec


def test_a_large_pdf_report_is_made_in_the_background(browsers, live_server):
    email = live_server.make_user("member", name="Ewa Eksportująca")
    with live_server.app.app_context():
        me = db.session.scalar(db.select(User).where(User.email == email))
        boss = db.session.scalar(db.select(User).where(User.role == "facilitator"))
        for n in range(2):
            make_rec(
                me, area="G02", title=f"Żłobki kooperacyjne {n}", status="agreed", facilitator=boss
            )
    config = live_server.app.config
    config["PDF_MAX_RECOMMENDATIONS"], config["EXPORT_JOBS"] = 1, "scheduler"
    try:
        tab = browsers.person(email, DEFAULT_PASSWORD)
        tab.goto("/exports/?area=G02&status=agreed&q=kooperacyjne")
        expect(tab.get_by_role("link", name="Ten sam raport jako PDF/A")).to_have_count(0)
        tab.get_by_role("button", name="Przygotuj ten sam raport jako PDF/A w tle").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Eksport w tle")
        expect(tab.get_by_text("Czeka na swoją kolej")).to_be_visible()
        with live_server.app.app_context():
            assert build_waiting() == 1
        # The page asks again by itself and says when the file is ready.
        link = tab.get_by_role("button", name="Pobierz PDF")
        expect(link).to_be_visible()
        expect(tab.locator("#htmx-status")).to_have_text("Plik jest gotowy.")
        with tab.expect_download() as download:
            link.click()
        document = read(Path(download.value.path()).read_bytes())
        assert "Żłobki kooperacyjne 0" in document.text and "Żłobki kooperacyjne 1" in document.text
    finally:
        config["PDF_MAX_RECOMMENDATIONS"], config["EXPORT_JOBS"] = 100, "inline"
