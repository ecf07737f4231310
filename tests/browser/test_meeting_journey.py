"""A facilitator plans a meeting, runs it live, records a decision that creates a
recommendation draft, and publishes the minutes; a member follows along read-only."""

import time
from contextlib import contextmanager

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def choose(select, starts_with: str) -> None:
    option = select.locator("option", has_text=starts_with).first
    select.select_option(option.get_attribute("value"))


@contextmanager
def slow(live_server, path_part: str, seconds: float):
    """Answers to requests whose path contains ``path_part`` take ``seconds`` longer, as
    on a busy server: the clicks after them wait in the browser's queue."""
    app = live_server.app
    inner = app.wsgi_app

    def delayed(environ, start_response):
        if path_part in environ.get("PATH_INFO", ""):
            time.sleep(seconds)
        return inner(environ, start_response)

    app.wsgi_app = delayed
    try:
        yield
    finally:
        app.wsgi_app = inner


def test_plan_run_live_decide_and_publish_minutes(browsers, live_server):
    fela = live_server.make_user("facilitator", name="Fela Prowadząca")
    marta = live_server.make_user("member", name="Marta Uczestniczka")
    f = browsers.person(fela, DEFAULT_PASSWORD)

    # Plan the meeting.
    f.goto("/meetings/")
    f.get_by_role("button", name="Zaplanuj spotkanie").click()
    f.get_by_label("Tytuł").fill("Spotkanie robocze G02")
    f.get_by_label("Początek").fill("2027-05-20T10:00")
    f.get_by_label("Koniec").fill("2027-05-20T12:00")
    f.get_by_role("button", name="Zapisz").click()
    expect(f.get_by_role("heading", level=1)).to_have_text("Spotkanie robocze G02")
    meeting_url = f.url

    # Two agenda items, then publish the agenda.
    for title, kind, minutes in (
        ("Bieguny wzrostu – prezentacja", "Prezentacja", "30"),
        ("Dyskusja i decyzje", "Dyskusja", "45"),
    ):
        f.get_by_role("button", name="Dodaj punkt porządku").click()
        f.get_by_label("Tytuł").fill(title)
        f.get_by_label("Rodzaj").select_option(label=kind)
        f.get_by_label("Planowany czas (min)").fill(minutes)
        f.get_by_role("button", name="Zapisz").click()
        expect(f.locator("#agenda")).to_contain_text(title)
    expect(f.locator("#agenda")).to_contain_text("10:30")  # computed start of item 2
    f.get_by_role("button", name="Opublikuj porządek spotkania").click()
    # The live view's button is on the page before and after: wait for the new one.
    expect(f.locator(".flash-success")).to_contain_text("Opublikowano porządek spotkania")

    # Run it live as a quick facilitator does: each click right after the other, with
    # no waiting for the page in between (every request waits its turn on the server's
    # side of the page, and none is dropped by another's swap).
    f.get_by_role("button", name="Widok na żywo").click()
    # Only the page's own scripts are waited for: a click does not wait for deferred
    # scripts, and a control pressed before htmx runs is sent as a plain form.
    f.wait_for_load_state("load")
    f.get_by_role("button", name="Rozpocznij spotkanie").click()
    # The keyboard focus stays on the controls, now on "Next item" where "Start" was,
    # and the new current item is announced.
    expect(f.get_by_role("button", name="Następny punkt")).to_be_focused()
    expect(f.locator("#htmx-status")).to_contain_text("Bieguny wzrostu")

    # A member follows along in a read-only view that updates by itself.
    m = browsers.person(marta, DEFAULT_PASSWORD)
    m.goto(meeting_url + "/live")
    expect(m.locator(".current-item")).to_contain_text("Bieguny wzrostu")
    expect(m.get_by_role("button", name="Następny punkt")).to_have_count(0)

    f.get_by_label("Notatki").fill("Ośrodki subregionalne potrzebują kolei.")
    f.get_by_role("button", name="Zapisz notatki").click()
    f.get_by_label("Notatki").fill("Ośrodki subregionalne potrzebują kolei i autobusów.")
    # The step is slow to answer: the two decisions and the action item typed meanwhile
    # wait in the queue, each with what was in its form when it was sent.
    with slow(live_server, "/live/next", 1.5):
        f.get_by_role("button", name="Następny punkt").click()  # the unsaved notes go along
        f.get_by_label("Decyzja").fill("Przygotować rekomendację o kolei aglomeracyjnej")
        f.get_by_label("Ponadto").select_option("recommendation")
        choose(f.get_by_label("Płaszczyzna problemowa"), "G02 ·")
        choose(f.get_by_label("Kategoria"), "R3 ·")
        f.get_by_role("button", name="Zapisz decyzję").click()
        f.get_by_label("Decyzja").fill("Zebrać dane o dojazdach")
        f.get_by_role("button", name="Zapisz decyzję").click()
        f.get_by_label("Do zrobienia").fill("Rozesłać ankietę do gmin")
        choose(f.get_by_label("Osoba odpowiedzialna"), "Marta")
        f.get_by_role("button", name="Dodaj zadanie").click()
        f.get_by_role("button", name="Zakończ spotkanie").click()
        expect(f.locator(".live-status")).to_contain_text("Odbyte", timeout=15_000)

    # Everything arrived, in order.
    expect(f.locator(".live-status")).to_contain_text("Odbyte")
    decisions = f.locator("#live-decision-list li")
    expect(decisions).to_have_count(2)
    expect(decisions.nth(0)).to_contain_text("Przygotować rekomendację o kolei aglomeracyjnej")
    expect(decisions.nth(1)).to_contain_text("Zebrać dane o dojazdach")
    expect(f.locator("#live-action-list")).to_contain_text("Rozesłać ankietę do gmin")
    decision = f.locator("#live-decision-list a", has_text="G02/R3/").first
    expect(decision).to_be_visible()
    # Followers see the decisions and the action item by themselves too.
    expect(m.locator("#live-decision-list")).to_contain_text("Zebrać dane", timeout=15_000)
    expect(m.locator("#live-action-list")).to_contain_text("Rozesłać ankietę do gmin")

    # The draft links back to the meeting.
    decision_href = decision.get_attribute("href")
    f.goto(decision_href)
    expect(f.locator(".facts")).to_contain_text("Spotkanie robocze G02")

    # Minutes: compiled from the notes and decisions, saved, published.
    f.goto(meeting_url + "/minutes")
    expect(f.get_by_label("Protokół")).to_contain_text(
        "Ośrodki subregionalne potrzebują kolei i autobusów."
    )
    expect(f.get_by_label("Protokół")).to_contain_text(
        "Przygotować rekomendację o kolei aglomeracyjnej"
    )
    f.get_by_role("button", name="Zapisz protokół").click()
    f.get_by_role("button", name="Opublikuj protokół").click()
    # The member loads the page only once the server has published them.
    expect(f.locator(".flash-success")).to_contain_text("Opublikowano protokół")
    m.goto(meeting_url)
    expect(m.locator("#minutes")).to_contain_text("Ośrodki subregionalne potrzebują kolei i")
