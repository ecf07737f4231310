"""Full-text search over recommendations, strategies and meetings that ignores case and
diacritics (Łódź = lodz, Plzeň = plzen, Győr = gyor).

Each searchable kind has a table of documents (one normalised text per object) and the
engine's index over it: FTS5 on SQLite, a GIN index on PostgreSQL."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

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
STRATEGY_FTS_TABLE = "strategy_search_fts"
STRATEGY_PG_INDEX = "ix_strategy_search_document_tsvector"
MEETING_FTS_TABLE = "meeting_search_fts"
MEETING_PG_INDEX = "ix_meeting_search_document_tsvector"

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


def _bare(text: str) -> str:
    """Case-folded and without diacritics (spacing as it is)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Again after NFKD, which can bring back capitals ("㎒" -> "MHz").
    return bare.casefold().translate(_FOLD)


def normalise(text: str) -> str:
    """Lower-case, without diacritics, single-spaced: "Łódź  Główna" -> "lodz glowna".

    Case-folded rather than lower-cased, so "ß" becomes "ss" as well."""
    return " ".join(_bare(text).split())


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def search_document(parts: Iterable[str | None]) -> str:
    """The indexed form of a recommendation: its normalised words, space-separated.

    Punctuation is dropped here so that both engines split the text into the same
    words as the query does (PostgreSQL would otherwise keep "jan@example.org" as
    one token and "jan" would not find it)."""
    return " ".join(word for part in parts if part for word in _words(part))


class StrategySearch(db.Model):
    """The searchable text of one strategy (titles, place, summary, keywords and the
    document's full text); the database engine indexes it."""

    __tablename__ = "strategy_search"

    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("smart_strategies.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    document: Mapped[str] = mapped_column(Text)


class RecommendationSearch(db.Model):
    """The searchable text of one recommendation; the database engine indexes it."""

    __tablename__ = "recommendation_search"

    #: One row per recommendation, deleted with it (and, on SQLite, out of FTS5 by trigger).
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    #: Every text that should find the recommendation, as ``search_document`` makes it.
    document: Mapped[str] = mapped_column(Text)


class MeetingSearch(db.Model):
    """The searchable text of one meeting (title, place, description, its published
    agenda and the text of the materials everyone sees); the database engine indexes it."""

    __tablename__ = "meeting_search"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    document: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class _Index:
    model: type
    key: str
    fts_table: str


_RECOMMENDATIONS = _Index(RecommendationSearch, "recommendation_id", FTS_TABLE)
_STRATEGIES = _Index(StrategySearch, "strategy_id", STRATEGY_FTS_TABLE)
_MEETINGS = _Index(MeetingSearch, "meeting_id", MEETING_FTS_TABLE)


def _store(index: _Index, key: int, parts: Iterable[str | None]) -> None:
    document = search_document(parts)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # One statement, no savepoint: a plain UPDATE on conflict, which also fires
    # FTS5's update trigger on SQLite (INSERT OR REPLACE would not fire the delete one).
    statement = insert(index.model).values({index.key: key, "document": document})
    statement = statement.on_conflict_do_update(
        index_elements=[getattr(index.model, index.key)],
        set_={"document": statement.excluded.document},
    )
    db.session.execute(statement)


def index_recommendation(recommendation_id: int, parts: Iterable[str | None]) -> None:
    """Store (or replace) the searchable text of a recommendation; the caller commits.

    ``parts`` is every text that should find it: title, summary, body, comment bodies."""
    _store(_RECOMMENDATIONS, recommendation_id, parts)


def index_strategy(strategy_id: int, parts: Iterable[str | None]) -> None:
    """Store (or replace) the searchable text of a strategy; the caller commits."""
    _store(_STRATEGIES, strategy_id, parts)


def index_meeting(meeting_id: int, parts: Iterable[str | None]) -> None:
    """Store (or replace) the searchable text of a meeting; the caller commits."""
    _store(_MEETINGS, meeting_id, parts)


def _query_words(query: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in _words(query)[:MAX_QUERY_WORDS]]


def matching_recommendation_ids(query: str) -> Select | None:
    """Ids of recommendations whose text has every word of ``query`` as a word prefix.

    ``None`` when the query has nothing to search for. User input only ever
    reaches the database as sanitised words in a bound parameter."""
    return _matching(_RECOMMENDATIONS, query)


def matching_strategy_ids(query: str) -> Select | None:
    """Ids of strategies whose text has every word of ``query`` as a word prefix
    (``None`` when there is nothing to search for)."""
    return _matching(_STRATEGIES, query)


def matching_meeting_ids(query: str) -> Select | None:
    """Ids of meetings whose text has every word of ``query`` as a word prefix
    (``None`` when there is nothing to search for)."""
    return _matching(_MEETINGS, query)


def strategy_relevance(query: str) -> Select | None:
    """(``id``, ``score``) of the strategies the search finds; a lower score is a better
    match (FTS5's bm25 on SQLite, minus ``ts_rank`` on PostgreSQL). ``None`` when there
    is nothing to search for."""
    words = _query_words(query)
    if not words:
        return None
    index = _STRATEGIES
    if db.session.get_bind().dialect.name == "postgresql":
        document, wanted = _tsearch(index, words)
        key = getattr(index.model, index.key)
        return select(key.label("id"), (-func.ts_rank(document, wanted)).label("score")).where(
            document.bool_op("@@")(wanted)
        )
    fts, matches = _fts5(index, words)
    bm25 = func.bm25(literal_column(index.fts_table))
    return select(fts.c.rowid.label("id"), bm25.label("score")).where(matches)


def _matching(index: _Index, query: str) -> Select | None:
    words = _query_words(query)
    if not words:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        return _postgresql_matches(index, words)
    return _sqlite_matches(index, words)


def _fts5(index: _Index, words: list[str]):
    """The FTS5 table and the condition that every word starts a word of its text."""
    # Each word quoted, so FTS5 never reads it as an operator or column filter;
    # the words are letters and digits only, so they cannot hold a quote.
    fts_query = " ".join(f'"{word}"*' for word in words)
    fts = table(index.fts_table, column("rowid", Integer), column(index.fts_table))
    return fts, fts.c[index.fts_table].op("MATCH")(fts_query)


def _tsearch(index: _Index, words: list[str]):
    """PostgreSQL's document vector and query for the same condition."""
    # The configuration is written literally so the expression is the indexed one.
    simple = literal_column("'simple'")
    document = func.to_tsvector(simple, index.model.document)
    return document, func.to_tsquery(simple, " & ".join(f"{word}:*" for word in words))


def _sqlite_matches(index: _Index, words: list[str]) -> Select:
    fts, matches = _fts5(index, words)
    return select(fts.c.rowid.label(index.key)).where(matches)


def _postgresql_matches(index: _Index, words: list[str]) -> Select:
    document, wanted = _tsearch(index, words)
    key = getattr(index.model, index.key)
    return select(key).where(document.bool_op("@@")(wanted))


def is_search_internal(name: str | None) -> bool:
    """Whether a database object belongs to the search engine, outside the models
    (FTS5's tables and triggers, the PostgreSQL expression index)."""
    return bool(name) and (
        name.startswith((FTS_TABLE, STRATEGY_FTS_TABLE, MEETING_FTS_TABLE))
        or name in (PG_INDEX, STRATEGY_PG_INDEX, MEETING_PG_INDEX)
    )


def contains_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, with ``%``, ``_`` and the escape
    character taken literally; use it with ``escape="\\"``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Passage:
    """A short piece of a text around the first place a search's words occur: the text
    before, the words as they stand in the text, and the text after, in order."""

    parts: tuple[tuple[str, bool], ...]  # (text, is a match)
    cut_before: bool
    cut_after: bool


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """``normalise`` character by character, with the original index of each character
    of the result (so a match found without diacritics maps back to the words as
    written)."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        for piece in _bare(char):
            out.append(piece)
            where.append(index)
    return "".join(out), where


def passage(text: str | None, query: str, width: int = 200, limit: int = 200_000) -> Passage | None:
    """Where the search ``query`` finds ``text``: about ``width`` characters around its
    first word found (as a word prefix, whatever the case and diacritics), with every
    query word in that window marked. ``None`` when no word occurs. Only the first
    ``limit`` characters are read, and only the stretch holding the first match is
    mapped character by character, so a long document costs little."""
    words = _query_words(query)
    if not text or not words:
        return None
    text = text[:limit]
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, words)) + r")[^\W_]*")
    step = 4000
    for offset in range(0, len(text), step):
        if pattern.search(normalise(text[offset : offset + step + 100])):
            low = max(0, offset - width)
            return _passage_in(text, low, text[low : offset + step + 100 + width], pattern, width)
    return None


def _passage_in(text: str, low: int, stretch: str, pattern, width: int) -> Passage | None:
    flat, where = _normalised_with_positions(stretch)
    first = pattern.search(flat)
    if first is None:  # only split across the stretch's edge; the next one holds it
        return None
    centre = low + where[first.start()]
    marks = (
        (low + where[match.start()], low + where[match.end() - 1] + 1)
        for match in pattern.finditer(flat)
    )
    return marked_passage(text, centre, marks, width)


def marked_passage(text: str, centre: int, marks: Iterable[tuple[int, int]], width: int) -> Passage:
    """About ``width`` characters of ``text`` from a little before ``centre``, cut at
    whole words, with the ``marks`` (character ranges, in order) that fall inside marked.
    The search's passages and the suggestions' reasons are both made here."""
    start = max(0, centre - width // 3)
    end = min(len(text), start + width)
    # Whole words at the edges.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    if end < len(text):
        space = text.rfind(" ", centre, end)
        end = space if space > centre else end
    parts: list[tuple[str, bool]] = []
    at = start
    for begin, finish in marks:
        if begin < start:
            continue
        if finish > end:
            break
        if begin > at:
            parts.append((text[at:begin], False))
        parts.append((text[begin:finish], True))
        at = finish
    if at < end:
        parts.append((text[at:end], False))
    return Passage(tuple(parts), start > 0, end < len(text))
