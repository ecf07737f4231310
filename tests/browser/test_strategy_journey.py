"""A member records and classifies a strategy, a facilitator reviews it, the member links
it to a recommendation, and the problem area's chart shows the goals it reaches."""

import re

from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD


def test_classify_review_link_and_see_the_chart(browsers, live_server):
    ola = live_server.make_user("member", name="Ola Klasyfikująca")
    fela = live_server.make_user("facilitator", name="Fela Weryfikująca")

    o = browsers.person(ola, DEFAULT_PASSWORD)
    o.goto("/strategies/")
    o.get_by_role("button", name="Dodaj strategię").click()
    o.get_by_label("Tytuł (w języku oryginału)").fill("Strategie chytrého Brna 2030")
    o.get_by_label("Miejsce", exact=True).fill("Brno")
    o.get_by_label("Kraj").select_option("CZ")
    o.get_by_label("Streszczenie").fill(
        "Rozwój transportu publicznego i kolei aglomeracyjnej, nowe drogi rowerowe."
    )
    o.get_by_role("button", name="Zapisz").click()

    # The classification form, with suggestions from the text.
    expect(o.get_by_role("heading", level=1)).to_have_text("Sklasyfikuj strategię")
    expect(o.locator("#suggest-heading")).to_be_visible()
    o.get_by_label("Mobilność").first.check()
    o.locator("input[name='sdg-11'][value='primary']").check()
    o.locator("input[name='green_deal'][value='mobility']").check()
    o.get_by_role("button", name="Zaproponuj tę klasyfikację").click()
    expect(o.locator(".sdg-tile.sdg-11")).to_be_visible()
    strategy_url = o.url

    # A facilitator (not the classifier) approves.
    f = browsers.person(fela, DEFAULT_PASSWORD)
    f.goto(strategy_url)
    f.get_by_label("Komentarz").fill("Zgodne z dokumentem.")
    f.get_by_role("button", name="Zatwierdź").click()
    expect(f.locator("main")).to_contain_text("Zweryfikowana")

    # Ola drafts a recommendation in G02 and links the strategy as good practice.
    o.goto("/recommendations/new?area=G02")
    o.get_by_label("Tytuł").fill("Kolej aglomeracyjna dla ośrodków subregionalnych")
    o.get_by_label("Streszczenie").fill("Szybkie połączenia z metropolią.")
    o.get_by_role("button", name="Zapisz szkic").click()
    o.get_by_label("Znajdź strategię do powiązania").fill("Brna")
    o.get_by_role("button", name="Szukaj").last.click()
    expect(o.locator("#strategy-search-results")).to_contain_text("Strategie chytrého Brna")
    o.get_by_role("button", name="Powiąż tę strategię").click()
    expect(o.locator("#strategies")).to_contain_text("Strategie chytrého Brna 2030")

    # The problem area page now shows SDG 11 and the mobility area reached.
    o.goto("/problems/G02")
    chart = o.locator("svg.reach-chart")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.sdg-fill-11")).to_have_count(1)
    expect(chart.locator("rect.gd-fill")).to_have_count(1)


def test_on_a_phone_the_filters_fold_and_a_choice_stays_in_sight(browsers, live_server):
    """At 390 px the results come first to the eye: the filters are one line until
    opened; a facet chosen there keeps them open and shows its removable chip."""
    from app.extensions import db
    from tests import factories
    from tests.test_permissions import sample_strategy

    reader = live_server.make_user("member", name="Piotr Telefon")
    with live_server.app.app_context():
        sample_strategy(factories.make_user("member"))  # in Brno, Czechia
        db.session.remove()
    page = browsers.person(reader, DEFAULT_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/strategies/")
    filters = page.locator("details.filter-group")
    expect(filters).not_to_have_attribute("open", "")
    czechia = page.get_by_role("link", name=re.compile(r"^Czechy \(\d+\)$"))
    expect(czechia).to_be_hidden()
    filters.locator("summary").first.click()
    czechia.click()
    chip = page.locator(".chips .chip")
    expect(chip).to_contain_text("Kraj: Czechy")
    expect(page.locator("details.filter-group")).to_have_attribute("open", "")
    # The chip takes the filter away again.
    chip.click()
    expect(page.locator(".chips")).to_have_count(0)
