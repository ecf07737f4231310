"""Full-text search over recommendations that ignores case and diacritics (Łódź = lodz)."""

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import (
    ForeignKey,
    Integer,
    Select,
    Text,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

#: The SQLite FTS5 index; FTS5 names its shadow tables after it, and the
#: triggers that keep it in sync carry the same prefix.
FTS_TABLE = "recommendation_search_fts"
#: The PostgreSQL GIN index on ``to_tsvector('simple', document)``.
PG_INDEX = "ix_recommendation_search_document_tsvector"

MAX_QUERY_WORDS = 10
# Longer words are cut (a prefix still finds them); PostgreSQL refuses tsquery
# words over 2047 bytes.
MAX_WORD_LENGTH = 64

# NFKD leaves these as they are: they are letters of their own, not a base
# letter with a combining mark.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
# Letters and digits only; the underscore counts as a separator, as it does for
# both FTS5's unicode61 tokenizer and PostgreSQL's parser.
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: "Łódź  Główna" -> "lodz glowna".

    Case-folded rather than lower-cased, so "ß" becomes "ss" as well."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Again after NFKD, which can bring back capitals ("㎒" -> "MHz").
    return " ".join(bare.casefold().translate(_FOLD).split())


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def search_document(parts: Iterable[str | None]) -> str:
    """The indexed form of a recommendation: its normalised words, space-separated.

    Punctuation is dropped here so that both engines split the text into the same
    words as the query does (PostgreSQL would otherwise keep "jan@example.org" as
    one token and "jan" would not find it)."""
    return " ".join(word for part in parts if part for word in _words(part))


class RecommendationSearch(db.Model):
    """The searchable text of one recommendation; the database engine indexes it."""

    __tablename__ = "recommendation_search"

    #: One row per recommendation, deleted with it (and, on SQLite, out of FTS5 by trigger).
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    #: Every text that should find the recommendation, as ``search_document`` makes it.
    document: Mapped[str] = mapped_column(Text)


def index_recommendation(recommendation_id: int, parts: Iterable[str | None]) -> None:
    """Store (or replace) the searchable text of a recommendation; the caller commits.

    ``parts`` is every text that should find it: title, summary, body, comment bodies."""
    document = search_document(parts)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # One statement, no savepoint: a plain UPDATE on conflict, which also fires
    # FTS5's update trigger on SQLite (INSERT OR REPLACE would not fire the delete one).
    statement = insert(RecommendationSearch).values(
        recommendation_id=recommendation_id, document=document
    )
    statement = statement.on_conflict_do_update(
        index_elements=[RecommendationSearch.recommendation_id],
        set_={"document": statement.excluded.document},
    )
    db.session.execute(statement)


def _query_words(query: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in _words(query)[:MAX_QUERY_WORDS]]


def matching_recommendation_ids(query: str) -> Select | None:
    """Ids of recommendations whose text has every word of ``query`` as a word prefix.

    ``None`` when the query has nothing to search for. User input only ever
    reaches the database as sanitised words in a bound parameter."""
    words = _query_words(query)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        return _postgresql_matches(words)
    return _sqlite_matches(words)


def _sqlite_matches(words: list[str]) -> Select:
    # Each word quoted, so FTS5 never reads it as an operator or column filter;
    # the words are letters and digits only, so they cannot hold a quote.
    fts_query = " ".join(f'"{word}"*' for word in words)
    fts = table(FTS_TABLE, column("rowid", Integer), column(FTS_TABLE))
    return select(fts.c.rowid.label("recommendation_id")).where(
        fts.c[FTS_TABLE].op("MATCH")(fts_query)
    )


def _postgresql_matches(words: list[str]) -> Select:
    ts_query = " & ".join(f"{word}:*" for word in words)
    # The configuration is written literally so the expression is the indexed one.
    simple = literal_column("'simple'")
    document = func.to_tsvector(simple, RecommendationSearch.document)
    return select(RecommendationSearch.recommendation_id).where(
        document.bool_op("@@")(func.to_tsquery(simple, ts_query))
    )


def is_search_internal(name: str | None) -> bool:
    """Whether a database object belongs to the search engine, outside the models
    (FTS5's tables and triggers, the PostgreSQL expression index)."""
    return bool(name) and (name.startswith(FTS_TABLE) or name == PG_INDEX)


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, with ``%``, ``_`` and the escape
    character taken literally; use it with ``escape="\\"``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
