"""A V4 partner works in their own language: a facilitator imports their city's strategy
from a CSV, a member classifies it with suggestions whose reasons are words of its text,
the facilitator reviews it, and the member finds it again by searching without
diacritics. In Czech, Slovak and Hungarian."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

HEADER = "title_original,place,country,level,language,summary\n"

JOURNEYS = {
    "cs": {
        "row": (
            "Strategie udržitelné mobility Českých Budějovic,České Budějovice,CZ,municipal,cs,"
            '"Město posílí městskou hromadnou dopravu: nové trolejbusové linie, preferenci '
            "autobusů na křižovatkách a přestupní terminál u nádraží. Rozšíříme síť "
            "cyklostezek a bezpečných přechodů pro chodce. Cílem je snížit emise z dopravy, "
            'hluk a prašnost a zlepšit kvalitu ovzduší v centru města."'
        ),
        "search": "ceske budejovice",
        "word": ("trolejbusove", "trolejbusové"),
        "ui": {
            "import": "Zkontrolovat soubor",
            "confirm": "Importovat",
            "classify": "Klasifikovat",
            "heading": "Klasifikovat strategii",
            "propose": "Navrhnout tuto klasifikaci",
            "comment": "Komentář",
            "approve": "Schválit",
            "search": "Hledat",
        },
    },
    "sk": {
        "row": (
            "Plán udržateľnej mestskej mobility Žiliny,Žilina,SK,municipal,sk,"
            '"Mesto posilní mestskú hromadnú dopravu: nové trolejbusové linky, prednosť '
            "autobusov na križovatkách a prestupný terminál pri stanici. Rozšírime sieť "
            "cyklotrás a bezpečných priechodov pre chodcov. Cieľom je znížiť emisie z dopravy, "
            'hluk a prašnosť a zlepšiť kvalitu ovzdušia v centre mesta."'
        ),
        "search": "zilina",
        "word": ("cyklotras", "cyklotrás"),
        "ui": {
            "import": "Skontrolovať súbor",
            "confirm": "Importovať ich",
            "classify": "Klasifikovať",
            "heading": "Klasifikovať stratégiu",
            "propose": "Navrhnúť túto klasifikáciu",
            "comment": "Komentár",
            "approve": "Schváliť",
            "search": "Hľadať",
        },
    },
    "hu": {
        "row": (
            "Győr fenntartható városi mobilitási terve,Győr,HU,municipal,hu,"
            '"A város fejleszti a közösségi közlekedést: új elektromos autóbuszok, buszsávok '
            "és intermodális csomópont a vasútállomásnál. Bővítjük a kerékpárutak hálózatát és "
            "a biztonságos gyalogátkelőhelyeket. A cél a közlekedés károsanyag-kibocsátásának "
            'csökkentése, a zaj mérséklése és a levegőminőség javítása a belvárosban."'
        ),
        "search": "gyor",
        "word": ("kerekparutak", "kerékpárutak"),
        "ui": {
            "import": "Fájl ellenőrzése",
            "confirm": "Importálás",
            "classify": "Besorolás",
            "heading": "A stratégia besorolása",
            "propose": "A besorolás javaslatként való benyújtása",
            "comment": "Hozzászólás",
            "approve": "Jóváhagyás",
            "search": "Keresés",
        },
    },
}


@pytest.mark.parametrize("language", sorted(JOURNEYS))
def test_import_classify_review_and_search_in_the_partners_language(
    browsers, live_server, tmp_path, language
):
    journey, ui = JOURNEYS[language], JOURNEYS[language]["ui"]
    title, summary = _title_and_summary(journey["row"])
    member = live_server.make_user("member", name=f"Member {language}", language=language)
    facilitator = live_server.make_user(
        "facilitator", name=f"Facilitator {language}", language=language
    )
    csv_file = tmp_path / "strategies.csv"
    csv_file.write_text(HEADER + journey["row"] + "\n", encoding="utf-8")

    # The facilitator imports the CSV: checked first, then imported.
    f = browsers.person(facilitator, DEFAULT_PASSWORD)
    f.goto("/strategies/import")
    expect(f.locator("html")).to_have_attribute("lang", language)
    f.set_input_files("#import-file", str(csv_file))
    f.get_by_role("button", name=ui["import"]).click()
    f.get_by_role("button", name=ui["confirm"]).click()
    expect(f.locator("main")).to_contain_text(title)

    # The member opens it and classifies it, with suggestions from its own words.
    m = browsers.person(member, DEFAULT_PASSWORD)
    m.goto("/strategies/")
    m.get_by_role("link", name=title).click()
    strategy_url = m.url
    m.get_by_role("button", name=ui["classify"], exact=True).click()
    expect(m.get_by_role("heading", level=1)).to_have_text(ui["heading"])
    suggestions = m.locator("section[aria-labelledby='suggest-heading']")
    expect(suggestions.locator(".sdg-chip.sdg-11")).to_be_visible()
    # The passage is in the text's language, for a screen reader too.
    expect(suggestions.locator("q.passage").first).to_have_attribute("lang", language)
    marked = suggestions.locator("mark").all_inner_texts()
    assert marked, "the reasons are marked in a passage"
    for words in marked:
        assert words in f"{title} {summary}", words  # the text's own words, never stems
    expect(m.locator(".suggested").first).to_be_visible()
    m.locator("input[name='sdg-11'][value='primary']").check()
    m.locator("input[name='green_deal'][value='mobility']").check()
    m.get_by_role("button", name=ui["propose"]).click()
    expect(m.locator(".sdg-tile.sdg-11")).to_be_visible()

    # The facilitator, someone else, approves it.
    f.goto(strategy_url)
    f.get_by_label(ui["comment"]).fill("OK")
    f.get_by_role("button", name=ui["approve"]).click()
    expect(f.locator("#review-heading")).to_have_count(0)

    # The member finds it by typing the place, or a word of its text, without diacritics.
    for query, marked_word in ((journey["search"], None), journey["word"]):
        m.goto("/strategies/")
        m.locator("#strategy-q").fill(query)
        m.get_by_role("button", name=ui["search"]).first.click()
        expect(m.locator("main")).to_contain_text(title)
        if marked_word:
            expect(m.locator("main mark").first).to_have_text(marked_word)


def _title_and_summary(row: str) -> tuple[str, str]:
    import csv

    (fields,) = csv.reader([row])
    return fields[0], fields[5]
