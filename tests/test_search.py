"""Search finds recommendations whatever the case and diacritics, and never chokes on input."""

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import delete, text

from app.database import utcnow
from app.extensions import db
from app.recommendations.models import Comment, Recommendation
from app.search import (
    RecommendationSearch,
    index_recommendation,
    index_strategy,
    is_search_internal,
    matching_recommendation_ids,
    matching_strategy_ids,
    normalise,
)
from app.strategies.models import SmartStrategy
from tests import factories

HOSTILE_QUERIES = [
    '"',
    '"lodz',
    'lodz"*',
    "*",
    "lodz*",
    "AND",
    "lodz AND",
    "OR NOT",
    "NEAR(lodz krakow)",
    "NEAR(lodz krakow, 2)",
    "-lodz",
    "lodz - krakow",
    "document:lodz",
    "{document}: lodz",
    "recommendation_search_fts:lodz",
    "(lodz",
    "lodz)",
    "^lodz",
    "lodz:* | !krakow & (",
    "'; DROP TABLE recommendations; --",
    "x' OR '1'='1",
    "\\",
    "%_",
    "\x00lodz",
    "a" * 1000,
    "ą" * 1000,
    "東" * 1000,
    " ".join(["lodz"] * 500),
    "słowo " * 200,
]


def search(query: str) -> list[int] | None:
    statement = matching_recommendation_ids(query)
    return None if statement is None else sorted(db.session.scalars(statement).all())


def indexed(*parts: str | None) -> int:
    """A recommendation whose searchable text is ``parts``."""
    rec = factories.make_recommendation()
    index_recommendation(rec.id, parts)
    db.session.flush()
    return rec.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Łódź", "lodz"),
        ("  ŻÓŁĆ\tgęślą\n\njaźń  ", "zolc gesla jazn"),
        ("Příliš žluťoučký kůň úpěl ďábelské ódy", "prilis zlutoucky kun upel dabelske ody"),
        ("Ľubovoľný ĺ ŕ ô ä", "lubovolny l r o a"),
        ("Árvíztűrő tükörfúrógép", "arvizturo tukorfurogep"),
        ("Straße, e-mail: Jan@Example.org!", "strasse, e-mail: jan@example.org!"),
        ("", ""),
    ],
)
def test_normalise_lowercases_folds_diacritics_and_collapses_spaces(text, expected):
    assert normalise(text) == expected


def test_plain_query_finds_text_with_diacritics():
    rec_id = indexed("Rynek pracy w mieście Łódź")
    assert search("lodz") == [rec_id]


def test_query_in_capitals_with_diacritics_finds_plain_text():
    rec_id = indexed("lodz i okolice")
    assert search("ŁÓDŹ") == [rec_id]


def test_a_word_matches_as_a_prefix():
    rec_id = indexed("Rozwój gospodarki regionu")
    assert search("gospod") == [rec_id]
    assert search("gospodarka") == []


def test_every_word_of_the_query_must_match():
    lodz = indexed("Gospodarka Łodzi")
    krakow = indexed("Gospodarka Krakowa")
    assert search("gospod") == sorted([lodz, krakow])
    assert search("gospod lodz") == [lodz]
    assert search("lodz krakow") == []


def test_a_word_only_in_a_comment_is_found():
    rec_id = indexed("Tytuł", "Streszczenie", "Treść", "Komentarz o spółdzielniach")
    assert search("spoldziel") == [rec_id]


def test_punctuation_does_not_glue_words_together():
    rec_id = indexed("Kontakt: jan@example.org, wersja 1.5 (e-mail)")
    assert search("jan example") == [rec_id]
    assert search("mail 5") == [rec_id]


def test_reindexing_after_an_edit_finds_the_new_word_not_the_old():
    rec_id = indexed("Stary tytuł o kolejach")
    index_recommendation(rec_id, ["Nowy tytuł o tramwajach", None])
    db.session.flush()
    assert search("tramwaj") == [rec_id]
    assert search("kolej") == []


def test_deleting_the_recommendation_removes_it_from_results():
    rec_id = indexed("Zniknie po usunięciu")
    kept = indexed("Zostanie po usunięciu")
    db.session.execute(delete(Recommendation).where(Recommendation.id == rec_id))
    db.session.flush()
    assert search("usunieciu") == [kept]
    assert db.session.get(RecommendationSearch, rec_id) is None
    if db.session.get_bind().dialect.name == "sqlite":
        # The FTS5 index answers from its own copy of the words; the delete
        # trigger must have taken them out.
        db.session.execute(
            text(
                "INSERT INTO recommendation_search_fts(recommendation_search_fts) "
                "VALUES ('integrity-check')"
            )
        )


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_are_answered_without_error(query):
    indexed("Łódź", "Kraków")
    search(query)
    assert search("lodz")  # the database is still there and the transaction still usable


@pytest.mark.parametrize(
    "query", ['"Łódź"', "lodz*", "-lodz", "(lodz)", "lodz'", "lodz; --", "LODZ AND KRAK"]
)
def test_query_syntax_is_read_as_plain_words(query):
    rec_id = indexed("Łódź, Kraków", "and")
    assert search(query) == [rec_id]


def test_only_the_first_ten_words_count():
    rec_id = indexed("Łódź")
    assert search(" ".join(["lodz"] * 10 + ["absent"])) == [rec_id]


@pytest.mark.parametrize("query", ["", "   ", '!!! -- ** "" () :', "_", "\x00"])
def test_a_query_without_words_gives_none(query):
    assert matching_recommendation_ids(query) is None


def test_engine_objects_are_internal_and_the_table_is_not():
    assert is_search_internal("recommendation_search_fts")
    assert is_search_internal("recommendation_search_fts_data")
    assert is_search_internal("ix_recommendation_search_document_tsvector")
    assert not is_search_internal("recommendation_search")
    assert not is_search_internal("recommendations")
    assert not is_search_internal(None)


def _migration_0003():
    path = Path(__file__).parent.parent / "migrations" / "versions" / "0003_search.py"
    spec = importlib.util.spec_from_file_location("migration_0003_search", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_migration_backfills_text_and_visible_comments():
    author = factories.make_user()
    rec = factories.make_recommendation(title="Przedsiębiorczość w Łodzi")
    db.session.add_all(
        [
            Comment(recommendation_id=rec.id, author_id=author.id, body="Spółdzielnie"),
            Comment(
                recommendation_id=rec.id,
                author_id=author.id,
                body="Usunięty wpis o kolejach",
                deleted_at=utcnow(),
            ),
        ]
    )
    db.session.flush()
    db.session.execute(delete(RecommendationSearch))

    _migration_0003()._backfill(db.session.connection())

    assert rec.id in search("przedsieb lodz")
    assert search("spoldzielnie") == [rec.id]
    assert search("kolejach") == []


@pytest.mark.postgres_only
def test_postgresql_query_uses_the_gin_index():
    indexed("Łódź")
    statement = matching_recommendation_ids("lodz gospod")
    sql = statement.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
    assert "ix_recommendation_search_document_tsvector" in plan


@pytest.mark.postgres_only
def test_postgresql_strategy_search_uses_its_gin_index():
    strategy = SmartStrategy(title_original="Łódź", place="Łódź", country="PL", level="municipal")
    db.session.add(strategy)
    db.session.flush()
    index_strategy(strategy.id, ["Strategia Łodzi", "tramwaje"])
    statement = matching_strategy_ids("lodz tramw")
    assert db.session.scalars(statement).all() == [strategy.id]
    sql = statement.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
    assert "ix_strategy_search_document_tsvector" in plan
