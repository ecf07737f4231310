"""The reference data speaks every interface language, and no code is shown in its place:
the strategy pages, the classification form, the catalogue and the problem area's chart
are read in each language, and no `snake_case` token (a raw code such as
`zero_pollution`) may appear in their visible text."""

import re
from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.problems.models import ProblemArea
from app.strategies.models import GreenDealArea, SdgGoal, SmartDimension
from tests import factories
from tests.strategies.test_portal import classify, record

LANGUAGES = ("pl", "en", "cs", "sk", "hu")
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


class _Text(HTMLParser):
    """The text a person reads (and a screen reader says): no markup, attributes,
    scripts, styles or head."""

    SKIPPED = {"script", "style", "template", "head"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        self.skipping += tag in self.SKIPPED

    def handle_endtag(self, tag):
        self.skipping -= tag in self.SKIPPED

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(page: str) -> str:
    reader = _Text()
    reader.feed(page)
    return " ".join(reader.parts)


@pytest.fixture
def classified():
    author = factories.make_user("member")
    # The summary draws suggestions of Green Deal areas whose codes are two words.
    strategy = record(
        author,
        summary="Walka ze smogiem i zanieczyszczeniem powietrza, recykling odpadów, "
        "gospodarka o obiegu zamkniętym.",
    )
    classify(
        strategy,
        author,
        green_deal=["zero_pollution", "circular_economy", "mobility"],
        dimensions=["mobility", "environment"],
    )
    return strategy


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_code_shows_in_place_of_a_word(client, auth, classified, language):
    auth.login("facilitator", language=language)
    pages = {
        "detail": f"/strategies/{classified.id}",
        "classify": f"/strategies/{classified.id}/classify",
        "catalogue": "/strategies/?green_deal=zero_pollution",
        "procedure": "/strategies/procedure",
        "chart": "/problems/G03",
    }
    codes = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        # A web address (the print line says where a page came from) is not a code.
        text = re.sub(r"https?://\S+", "", visible_text(response.get_data(as_text=True)))
        found = set(CODE.findall(text))
        if found:
            codes[name] = sorted(found)
    assert not codes


@pytest.mark.parametrize("language", ("cs", "sk", "hu"))
def test_reference_texts_are_in_the_readers_language(client, auth, classified, language):
    auth.login("member", language=language)
    page = visible_text(client.get(f"/strategies/{classified.id}").get_data(as_text=True))
    zero = db.session.scalar(db.select(GreenDealArea).where(GreenDealArea.code == "zero_pollution"))
    mobility = db.session.scalar(db.select(SmartDimension).where(SmartDimension.code == "mobility"))
    goal = db.session.scalar(db.select(SdgGoal).where(SdgGoal.number == 11))
    for text in (
        getattr(zero, f"name_{language}"),
        getattr(mobility, f"name_{language}"),
        getattr(goal, f"short_name_{language}"),
    ):
        assert text and text in page, text
    area = db.session.scalar(db.select(ProblemArea).where(ProblemArea.code == "G03"))
    problems = visible_text(client.get("/problems/").get_data(as_text=True))
    assert getattr(area, f"title_{language}") in problems


def test_every_reference_item_has_its_texts_in_every_language(app):
    """The seeds fill every item in Czech, Slovak and Hungarian: nothing falls back to
    English for want of a translation."""
    missing = []
    for model, fields in (
        (ProblemArea, ("title", "description")),
        (GreenDealArea, ("name", "description")),
        (SmartDimension, ("name", "description")),
        (SdgGoal, ("short_name", "title")),
    ):
        for row in db.session.scalars(db.select(model)):
            for field in fields:
                for language in ("cs", "sk", "hu"):
                    if not getattr(row, f"{field}_{language}"):
                        missing.append(f"{model.__tablename__} {row}: {field}_{language}")
    assert not missing


@pytest.mark.parametrize("language", ("cs", "hu"))
def test_a_followed_area_is_listed_in_the_readers_language(client, auth, language):
    auth.login("member", language=language)
    assert auth.post("/problems/G02/follow", {"on": "1"}).status_code == 303
    area = db.session.scalar(db.select(ProblemArea).where(ProblemArea.code == "G02"))
    page = client.get("/account/").get_data(as_text=True)
    assert f"G02 {getattr(area, f'title_{language}')}" in page
