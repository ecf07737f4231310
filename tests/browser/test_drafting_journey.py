"""Drafting together: co-author, discussion over htmx, an amendment, agreement; conflicts."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def choose(select, starts_with: str) -> None:
    """Pick the option whose text starts with ``starts_with``."""
    option = select.locator("option", has_text=starts_with).first
    select.select_option(option.get_attribute("value"))


def test_draft_with_coauthor_discuss_amend_and_agree(browsers, live_server):
    anna = live_server.make_user("member", name="Anna Autorka")
    bartek = live_server.make_user("member", name="Bartek Współautor")
    celina = live_server.make_user("member", name="Celina Poprawiająca")
    fela = live_server.make_user("facilitator", name="Fela Moderatorka")

    # Anna drafts.
    a = browsers.person(anna, DEFAULT_PASSWORD)
    a.goto("/recommendations/new")
    a.get_by_label("Tytuł").fill("Program powrotów absolwentów do miast średnich")
    a.get_by_label("Streszczenie").fill("Zachęty dla absolwentów wracających do miast średnich.")
    a.get_by_label("Rekomendacja", exact=True).fill("Miasta średnie tracą absolwentów.")
    choose(a.get_by_label("Główna płaszczyzna problemowa"), "G03 ·")
    choose(a.get_by_label("Kategoria"), "R3 ·")
    a.get_by_role("button", name="Zapisz szkic").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(
        "Program powrotów absolwentów do miast średnich"
    )
    expect(a.locator(".ref").first).to_contain_text("G03/R3/")
    rec_url = a.url

    # ... and invites Bartek, who accepts and edits directly.
    # The field offers people as their name is typed; the keyboard takes one. The page
    # came from a click, which does not wait for the deferred scripts: typed before
    # they run, the name would reach no listener (seen once on a busy machine).
    a.wait_for_load_state("load")
    a.get_by_label("Członek").fill("Bartek Wsp")
    expect(a.get_by_role("option", name=re.compile("Bartek Współautor"))).to_be_visible()
    a.keyboard.press("Enter")
    expect(a.get_by_label("Członek")).to_have_value(re.compile(r"^@\S+$"))
    a.get_by_role("button", name="Zaproś do współautorstwa").click()
    expect(a.locator(".flash-success")).to_contain_text("Bartek Współautor")
    b = browsers.person(bartek, DEFAULT_PASSWORD)
    b.goto(rec_url)
    b.get_by_role("button", name="Przyjmij", exact=True).click()
    expect(b.locator(".flash-success")).to_be_visible()
    b.get_by_role("button", name="Edytuj").click()
    b.get_by_label("Streszczenie").fill("Zachęty i doradztwo dla wracających absolwentów.")
    b.get_by_label("Opis zmiany").fill("Dodano doradztwo.")
    b.get_by_role("button", name="Zapisz nową wersję").click()
    expect(b.locator(".lead")).to_have_text("Zachęty i doradztwo dla wracających absolwentów.")

    # Anna opens the discussion; Bartek comments and Anna replies, both in place (htmx).
    a.goto(rec_url)
    a.get_by_role("button", name="Otwórz dyskusję").click()
    # Another person's tab must not load the page before the server has opened it.
    expect(a.locator(".rec-header .status")).to_have_text("W dyskusji")
    b.goto(rec_url)
    b.evaluate("window.__samePage = true")
    b.get_by_label("Twój komentarz").fill("Dodajmy wsparcie dla rodzin.")
    b.get_by_label("Twoje stanowisko").select_option("for")
    b.get_by_role("button", name="Dodaj komentarz").click()
    expect(b.locator("#discussion")).to_contain_text("Dodajmy wsparcie dla rodzin.")
    assert b.evaluate("window.__samePage") is True
    a.goto(rec_url)
    a.evaluate("window.__samePage = true")
    comment = a.locator(".comment", has_text="Dodajmy wsparcie dla rodzin.")
    comment.locator("summary", has_text="Odpowiedz").click()
    comment.get_by_label("Twoja odpowiedź").fill("Dobry pomysł, dopiszę.")
    comment.get_by_role("button", name="Wyślij odpowiedź").click()
    expect(a.locator("#discussion .replies")).to_contain_text("Dobry pomysł, dopiszę.")
    assert a.evaluate("window.__samePage") is True

    # Celina, not an author, proposes an amendment; Anna accepts it.
    c = browsers.person(celina, DEFAULT_PASSWORD)
    c.goto(rec_url)
    c.get_by_role("button", name="Zaproponuj poprawkę").click()
    c.get_by_label("Rekomendacja", exact=True).fill(
        "Miasta średnie tracą absolwentów i młode rodziny."
    )
    c.get_by_label("Uzasadnienie zmiany").fill("Rodziny odchodzą razem z absolwentami.")
    c.get_by_role("button", name="Wyślij poprawkę").click()
    expect(c.locator("ins").first).to_contain_text("i młode rodziny")
    amendment_url = c.url
    a.goto(amendment_url)
    a.get_by_role("button", name="Przyjmij poprawkę").click()
    expect(a.locator(".markdown").first).to_contain_text("i młode rodziny")

    # Fela, the facilitator, marks it agreed.
    f = browsers.person(fela, DEFAULT_PASSWORD)
    f.goto(rec_url)
    f.get_by_role("button", name="Oznacz jako uzgodnioną").click()
    expect(f.locator(".rec-header .status")).to_have_text("Uzgodniona")
    expect(f.locator("#timeline")).to_contain_text("Fela Moderatorka")

    history = f.goto(rec_url + "/history")
    assert history.ok
    expect(f.locator("table")).to_contain_text("Celina Poprawiająca")


def test_conflict_page_keeps_the_second_editors_text(browsers, live_server):
    anna = live_server.make_user("member", name="Anna Konflikt")
    a = browsers.person(anna, DEFAULT_PASSWORD)
    a.goto("/recommendations/new")
    a.get_by_label("Tytuł").fill("Wspólny tekst")
    a.get_by_label("Streszczenie").fill("Streszczenie.")
    a.get_by_role("button", name="Zapisz szkic").click()
    a.wait_for_url(re.compile(r"/recommendations/\d+$"))  # saved: the draft's own page
    edit_url = a.url + "/edit"

    # The same person in two tabs is enough for a lost-update race.
    second = a.context.new_page()
    a.goto(edit_url)
    second.goto(edit_url)
    a.get_by_label("Streszczenie").fill("Wersja z pierwszej karty.")
    a.get_by_label("Opis zmiany").fill("karta 1")
    a.get_by_role("button", name="Zapisz nową wersję").click()
    a.wait_for_url(re.compile(r"/recommendations/\d+$"))  # the first save is in
    second.get_by_label("Streszczenie").fill("Wersja z drugiej karty.")
    second.get_by_label("Opis zmiany").fill("karta 2")
    second.get_by_role("button", name="Zapisz nową wersję").click()
    expect(second.get_by_role("heading", level=1)).to_have_text(
        "Ktoś inny zapisał tę rekomendację w trakcie Twojej edycji"
    )
    expect(second.get_by_label("Streszczenie")).to_have_value("Wersja z drugiej karty.")
    expect(second.locator(".diff").first).to_contain_text("pierwszej karty")
    second.get_by_role("button", name=re.compile("Zapisz mój tekst")).click()
    expect(second.locator(".lead")).to_have_text("Wersja z drugiej karty.")
