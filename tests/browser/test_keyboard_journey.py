"""Keyboard only: log in, draft a recommendation and open it for discussion without a
mouse. Every control is reached with Tab and worked with the keyboard."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def tab_to(page, describe: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``describe`` (a CSS selector)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", describe):
            return
    raise AssertionError(f"{describe} cannot be reached with the keyboard")


def test_draft_and_open_for_discussion_with_the_keyboard(chromium, live_server):
    email = live_server.make_user("member", name="Klara Klawiatura")
    context = chromium.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto("/auth/login")
        tab_to(page, "input[name=email]")
        page.keyboard.type(email)
        tab_to(page, "input[name=password]")
        page.keyboard.type(DEFAULT_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/")

        # The main navigation is reachable from the top of the page.
        tab_to(page, "nav a[href='/recommendations/']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/recommendations/")
        tab_to(page, "a[href='/recommendations/new']")
        page.keyboard.press("Enter")
        page.wait_for_url("**/recommendations/new")

        tab_to(page, "#title")
        page.keyboard.type("Klawiaturowa rekomendacja")
        tab_to(page, "#summary")
        page.keyboard.type("Da się ją napisać bez myszy.")
        tab_to(page, "#body")
        page.keyboard.type("Treść **ważna**.")
        tab_to(page, "#problem_area")
        page.keyboard.type("G02")
        tab_to(page, "#category")
        page.keyboard.type("R3")
        tab_to(page, "form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/recommendations/\d+$"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Klawiaturowa rekomendacja")
        expect(page.locator("body")).to_contain_text("G02/R3/")

        tab_to(page, "form.status-form button[type=submit]")
        expect(page.locator(":focus")).to_have_text("Otwórz dyskusję")
        page.keyboard.press("Enter")
        expect(page.get_by_text("W dyskusji").first).to_be_visible()
        assert not errors, errors
    finally:
        context.close()
