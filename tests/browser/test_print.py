"""Printed pages read as documents: the meeting page (its agenda for the room, and its
minutes), a recommendation and a submission package print without the header, the
menus, the forms and the buttons, and say where they came from."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import sample  # noqa: F401 (the shared fixture)
from tests.factories import DEFAULT_PASSWORD

HIDDEN_ON_PAPER = (".site-header", ".site-footer", ".breadcrumb", ".page-actions", "main form")


@pytest.fixture
def reader(chromium, live_server, sample):  # noqa: F811
    context = chromium.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(sample["emails"]["facilitator"])
    page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")
    yield page
    context.close()


def _check_paper(page, must_show: list[str]) -> None:
    # On screen first: the print button is offered (scripts run), the source line is not.
    expect(page.locator("[data-print]")).to_be_visible()
    expect(page.locator(".print-source")).to_be_hidden()
    page.emulate_media(media="print")
    for selector in HIDDEN_ON_PAPER:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    for selector in must_show:
        expect(page.locator(selector).first).to_be_visible()
    expect(page.locator(".print-source")).to_be_visible()
    expect(page.locator(".print-source")).to_contain_text(page.url)
    # Chromium lays the page out for A4 without error.
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_the_meeting_prints_its_agenda_and_minutes(reader, sample):  # noqa: F811
    reader.goto(f"/meetings/{sample['meeting']}")
    _check_paper(reader, ["h1", "#agenda", "#minutes .markdown"])
    expect(reader.locator("#minutes")).to_contain_text("ustalenia")


def test_a_recommendation_prints_as_a_document(reader, sample):  # noqa: F811
    reader.goto(f"/recommendations/{sample['agreed']}")
    _check_paper(reader, ["h1", ".rec-text", ".summary-list", "#timeline"])


def test_a_package_prints_with_its_letter(reader, sample):  # noqa: F811
    reader.goto(f"/exports/packages/{sample['package']}")
    _check_paper(reader, ["h1", "#files-heading", "#letter-heading"])
