"""The catalogue's search and facets: every word, in any field or the document's own
text, whatever the case and diacritics of four languages; values within a facet are
alternatives, facets narrow each other, and each count says what choosing it would show."""

import re

import pytest

from app.extensions import db
from app.strategies import services
from app.strategies.models import SmartStrategy
from tests import factories
from tests.strategies.test_portal import classify, record


def titles(page: str) -> set[str]:
    return set(re.findall(r'<h3><a href="/strategies/\d+">([^<]+)</a></h3>', page))


@pytest.fixture
def catalogue():
    member = factories.make_user("member")
    made = {
        "lodz": record(
            member,
            title_original="Strategia rozwoju Łodzi",
            place="Łódź",
            full_text="Rozbudowa sieci tramwajowej i zielone podwórka.",
        ),
        "plzen": record(
            member, title_original="Strategie chytrého města", place="Plzeň", country="CZ"
        ),
        "gyor": record(
            member,
            title_original="Okos város stratégia",
            place="Győr",
            country="HU",
            summary="Közösségi közlekedés és zöld területek.",
        ),
        "kosice": record(
            member, title_original="Stratégia inteligentného mesta", place="Košice", country="SK"
        ),
    }
    classify(made["lodz"], member, sdgs={11: "primary"}, targets=[])
    classify(made["plzen"], member, sdgs={7: "primary"}, targets=[])
    classify(made["kosice"], member, sdgs={11: "primary", 7: "secondary"}, targets=[])
    return made


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # Diacritics and case, in the query or in the text, in four languages.
        ("lodz", {"Strategia rozwoju Łodzi"}),
        ("ŁÓDŹ", {"Strategia rozwoju Łodzi"}),
        ("plzen", {"Strategie chytrého města"}),
        ("gyor", {"Okos város stratégia"}),
        ("kozlekedes", {"Okos város stratégia"}),
        ("kosice", {"Stratégia inteligentného mesta"}),
        # The document's own text, by word prefix; every word is needed, in any order.
        ("tramwaj", {"Strategia rozwoju Łodzi"}),
        ("podwórka tramwajowej", {"Strategia rozwoju Łodzi"}),
        ("tramwaj Plzeň", set()),
        # Words of several records.
        (
            "strateg",
            {
                "Strategia rozwoju Łodzi",
                "Strategie chytrého města",
                "Okos város stratégia",
                "Stratégia inteligentného mesta",
            },
        ),
    ],
)
def test_search_finds_every_word_whatever_the_diacritics(auth, catalogue, query, found):
    auth.login("member")
    page = auth.client.get("/strategies/", query_string={"q": query}).get_data(as_text=True)
    assert titles(page) - {"Strategia Smart City Przykładowa"} == found


def test_an_edited_strategy_is_found_by_its_new_words_only(auth, catalogue):
    me = auth.login("member")
    strategy = catalogue["plzen"]
    services.update_strategy(
        strategy,
        me,
        services.StrategyFields(
            title_original="Strategie chytrého města",
            place="Plzeň",
            country="CZ",
            level="municipal",
            full_text="Cyklostezky podél řeky.",
        ),
        expected_version=strategy.version,
    )
    found = auth.client.get("/strategies/?q=reky+cyklo").get_data(as_text=True)
    assert titles(found) == {"Strategie chytrého města"}
    db.session.delete(db.session.get(SmartStrategy, strategy.id))
    db.session.commit()
    assert titles(auth.client.get("/strategies/?q=cyklostezky").get_data(as_text=True)) == set()


def test_values_within_a_facet_are_alternatives_and_facets_narrow(auth, catalogue):
    auth.login("member")
    both = auth.client.get("/strategies/?country=PL&country=CZ").get_data(as_text=True)
    assert titles(both) >= {"Strategia rozwoju Łodzi", "Strategie chytrého města"}
    assert not titles(both) & {"Okos város stratégia", "Stratégia inteligentného mesta"}
    narrowed = auth.client.get("/strategies/?country=PL&country=CZ&sdg=11").get_data(as_text=True)
    assert titles(narrowed) == {"Strategia rozwoju Łodzi"}
    either_goal = auth.client.get("/strategies/?country=SK&country=CZ&sdg=11&sdg=7")
    assert titles(either_goal.get_data(as_text=True)) == {
        "Strategie chytrého města",
        "Stratégia inteligentného mesta",
    }


def test_a_facets_counts_say_what_choosing_another_value_would_add(auth, catalogue):
    auth.login("member", language="en")
    page = auth.client.get("/strategies/?country=PL").get_data(as_text=True)
    # Poland is chosen; Czechia still shows its one strategy, and its link adds it.
    czech = re.search(r'<a href="([^"]+)"[^>]*>\s*Czechia <span class="count">\((\d+)\)', page)
    assert czech.group(2) == "1"
    assert "country=PL" in czech.group(1) and "country=CZ" in czech.group(1)
    # The chosen value's link takes it out again, and says it is selected.
    poland = re.search(
        r'<a href="([^"]+)" aria-current="true" class="facet-on"[^>]*>.*?Selected:.*?Poland',
        page,
        re.S,
    )
    assert "country=PL" not in poland.group(1).replace("&amp;", "&")
    # Another facet is counted within the choice: only Polish strategies' goals.
    goal_11 = re.search(r"11\. [^<]+<span class=\"count\">\((\d+)\)", page)
    assert goal_11.group(1) == "1"
    assert "Clear all filters" in page


def test_the_search_form_keeps_every_chosen_value(auth, catalogue):
    auth.login("member")
    page = auth.client.get("/strategies/?country=PL&country=CZ&sdg=11").get_data(as_text=True)
    start = page.index('class="facet-search"')
    form = page[start : page.index("</form>", start)]
    assert form.count('name="country"') == 2 and 'name="sdg" value="11"' in form


def test_facet_values_from_the_url_are_checked(auth):
    auth.login("member")
    response = auth.client.get("/strategies/?country=P%3BL&sdg=99&sdg=abc&year=3000&country=cz")
    assert response.status_code == 200
    assert 'aria-current="true"' in response.get_data(as_text=True)  # CZ, upper-cased


def test_each_result_shows_where_the_search_found_it(auth, catalogue):
    """The passage is the text as written, its words marked: "kozlekedes" marks
    "Közösségi közlekedés" in the summary, "tramwaj" a word of the document's text."""
    auth.login("member")
    page = auth.client.get("/strategies/", query_string={"q": "kozlekedes"}).get_data(as_text=True)
    assert "Közösségi <mark>közlekedés</mark> és zöld területek." in page
    page = auth.client.get("/strategies/", query_string={"q": "tramwaj"}).get_data(as_text=True)
    assert "Rozbudowa sieci <mark>tramwajowej</mark> i zielone podwórka." in page
    # Without a search, no passage.
    assert 'class="passage"' not in auth.client.get("/strategies/").get_data(as_text=True)


def test_a_passage_is_cut_around_the_words_and_escapes_nothing_it_should_not():
    from app.search import passage

    long = "Úvod. " * 20_000 + "Nová tramvajová trať do Győru. " + "Závěr. " * 100
    found = passage(long, "gyor tramvaj", width=80)
    marked = [text for text, hit in found.parts if hit]
    assert marked == ["tramvajová", "Győru"]
    assert found.cut_before and found.cut_after
    assert len("".join(text for text, _hit in found.parts)) <= 80
    assert passage(long, "brno") is None
    assert passage("", "brno") is None and passage("Brno", "") is None


def test_the_best_match_comes_first(auth):
    """A record about trams ranks above a long document that mentions them once, even
    where the place would have put it last."""
    member = factories.make_user("member")
    record(
        member,
        title_original="Plan rozwoju",
        place="Aleksandrów",
        full_text="Mieszkania i szkoły. " * 400 + "Jedna linia tramwajowa.",
    )
    record(
        member,
        title_original="Tramwaje dla Żyrardowa",
        place="Żyrardów",
        summary="Sieć tramwajowa, nowe tramwaje i zajezdnia tramwajowa.",
    )
    auth.login("member")
    page = auth.client.get("/strategies/", query_string={"q": "tramwaj"}).get_data(as_text=True)
    found = re.findall(r'<h3><a href="/strategies/\d+">([^<]+)</a></h3>', page)
    assert found[:2] == ["Tramwaje dla Żyrardowa", "Plan rozwoju"]
    # Without a search the order is by country and place again.
    page = auth.client.get("/strategies/").get_data(as_text=True)
    found = re.findall(r'<h3><a href="/strategies/\d+">([^<]+)</a></h3>', page)
    assert found.index("Plan rozwoju") < found.index("Tramwaje dla Żyrardowa")
