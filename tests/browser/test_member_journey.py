"""A member logs in, opens G03, switches to English and logs out."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def test_member_logs_in_opens_g03_switches_to_english_and_logs_out(page, live_server):
    email = live_server.make_user("member", name="Maria Członkowska")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Pulpit")
    page.get_by_role("navigation", name="Nawigacja główna").get_by_role(
        "link", name="Płaszczyzny problemowe"
    ).click()
    page.get_by_role("link", name=re.compile(r"^G03 · Przyciąganie")).click()
    expect(page).to_have_url(re.compile(r"/problems/G03$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Przyciąganie i zatrzymywanie")

    page.locator(".lang-menu > summary").click()
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/problems/G03$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Attracting and retaining human potential"
    )

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Warsztat")
    page.goto("/problems/G03")
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_keyboard_user_reaches_the_skip_link_first(page):
    page.goto("/auth/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    expect(page.locator(".skip-link")).to_be_visible()


def test_filtering_recommendations_updates_the_list_in_place(page, live_server):
    email = live_server.make_user("member")
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
    page.wait_for_url("**/")  # a goto before the login lands would abort it

    page.goto("/recommendations/")
    page.evaluate("window.__marker = 'same page'")  # survives only an in-place update
    page.get_by_label("Płaszczyzna problemowa").select_option("G05")
    expect(page).to_have_url(re.compile(r"area=G05"))
    expect(page.locator("#results")).to_contain_text("0 rekomendacji")
    assert page.evaluate("window.__marker") == "same page"
