"""Keyword suggestions of SDG goals, SDG targets and European Green Deal areas for a text."""

import csv
import hashlib
import math
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from app.search import normalise

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DICTIONARY = PROJECT_ROOT / "seeds" / "keywords.yaml"
TARGETS_CSV = PROJECT_ROOT / "seeds" / "sdg" / "targets.csv"

SDG_GOALS = tuple(str(number) for number in range(1, 18))
GREEN_DEAL_AREAS = (
    "climate",
    "energy",
    "circular_economy",
    "buildings",
    "mobility",
    "food",
    "biodiversity",
    "zero_pollution",
    "just_transition",
)
#: Suggestion kinds, in the order they are listed when scores tie.
KINDS = ("sdg", "target", "green_deal")
_SECTIONS = {"sdg_goals": "sdg", "sdg_targets": "target", "green_deal": "green_deal"}

#: A phrase says more than a single stem ("transport publiczn" vs "transport").
PHRASE_WEIGHT = 1.5
#: Terms of the other language still count when the text's language is given
#: (English loanwords in Polish texts: "smart city", "start-up"), at this weight.
FALLBACK_WEIGHT = 0.5
#: Texts up to this many words are scored on raw counts; longer texts are damped
#: by sqrt(REFERENCE_WORDS / words), so a long strategy needs a topic to recur.
REFERENCE_WORDS = 150
#: By default a suggestion needs two distinct stems, a phrase and a stem, or a term that
#: recurs (a phrase twice, a stem three times) in a short text.
MIN_SCORE = 2.0
#: By default at most this many suggestions of each kind.
LIMIT = 5

# Letters and digits, as app.search splits words ("pm2,5" -> "pm2", "5").
_WORD = re.compile(r"[^\W_]+")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_MIN_STEM = 3


@dataclass(frozen=True)
class Suggestion:
    """One suggested classification and the dictionary terms that led to it."""

    kind: str  # "sdg", "target" or "green_deal"
    code: str  # "8", "8.5", "mobility"
    score: float
    matched: tuple[str, ...]  # distinct terms as written in the dictionary, strongest first


@dataclass(frozen=True)
class _Term:
    label: str  # as written in the dictionary
    words: tuple[str, ...]  # normalised word prefixes
    # (entry index, languages the term is listed under for that entry)
    links: tuple[tuple[int, frozenset[str]], ...]

    @property
    def weight(self) -> float:
        return PHRASE_WEIGHT if len(self.words) > 1 else 1.0

    @property
    def specificity(self) -> tuple[int, int]:
        return len(self.words), sum(len(word) for word in self.words)


@dataclass(frozen=True)
class Dictionary:
    """The validated keyword dictionary, compiled into a prefix index."""

    path: Path
    #: (kind, code) -> language -> terms as written; goals list only their own terms.
    entries: Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]
    languages: frozenset[str]
    _keys: tuple[tuple[str, str], ...] = field(repr=False)
    # first word prefix -> the terms that start with it
    _index: Mapping[str, tuple[_Term, ...]] = field(repr=False)
    _prefix_lengths: tuple[int, ...] = field(repr=False)


@lru_cache(maxsize=1)
def sdg_targets() -> dict[str, str]:
    """Every SDG target code ("8.5", "1.a") mapped to its goal ("8"), from targets.csv."""
    with TARGETS_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["target"]: row["goal"] for row in csv.DictReader(handle)}


def load_dictionary(path: Path | None = None) -> Dictionary:
    """The dictionary at ``path`` (``seeds/keywords.yaml`` by default), validated and compiled.

    Cached per path. Raises ValueError naming the file and the entry when a code is not
    an SDG goal, an SDG target or a Green Deal area, or when a term is unusable."""
    return _load(Path(path or DEFAULT_DICTIONARY).resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> Dictionary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ValueError(f"{path}: cannot read the keyword dictionary: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with version, sdg_goals, ...")
    if data.get("version") != 1:
        raise ValueError(f"{path}: unsupported version {data.get('version')!r} (expected 1)")
    unknown = set(data) - {"version", *_SECTIONS}
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")

    entries: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for section, kind in _SECTIONS.items():
        block = data.get(section)
        if not isinstance(block, dict):
            raise ValueError(f"{path}: section {section!r} must be a mapping of codes")
        for code, languages in block.items():
            where = f"{path}: {section}: {code!r}"
            _check_code(where, kind, code)
            entries[(kind, code)] = _check_languages(where, languages)
    return _compile(path, entries)


def _check_code(where: str, kind: str, code: object) -> None:
    if not isinstance(code, str):
        raise ValueError(f'{where}: codes must be quoted strings (write "{code}")')
    if kind == "sdg" and code not in SDG_GOALS:
        raise ValueError(f'{where}: not an SDG goal (expected "1" to "17")')
    if kind == "target" and code not in sdg_targets():
        raise ValueError(f"{where}: not an SDG target listed in {TARGETS_CSV.name}")
    if kind == "green_deal" and code not in GREEN_DEAL_AREAS:
        raise ValueError(f"{where}: not a Green Deal area (one of {', '.join(GREEN_DEAL_AREAS)})")


def _check_languages(where: str, languages: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(languages, dict) or not languages:
        raise ValueError(f"{where}: expected a mapping of language -> list of terms")
    checked = {}
    for language, terms in languages.items():
        if not isinstance(language, str) or not _LANGUAGE.match(language):
            raise ValueError(f"{where}: {language!r} is not a two-letter language code")
        if not isinstance(terms, list) or not terms:
            raise ValueError(f"{where}: {language}: expected a non-empty list of terms")
        seen: dict[tuple[str, ...], str] = {}
        for term in terms:
            if not isinstance(term, str):
                raise ValueError(f"{where}: {language}: {term!r} is not a string")
            words = term_words(term)
            if not words or max(len(word) for word in words) < _MIN_STEM:
                raise ValueError(
                    f"{where}: {language}: {term!r} needs a word of at least {_MIN_STEM} letters"
                )
            if words in seen:
                raise ValueError(f"{where}: {language}: {term!r} repeats {seen[words]!r}")
            seen[words] = term
        checked[language] = tuple(terms)
    return checked


def term_words(term: str) -> tuple[str, ...]:
    """The normalised word prefixes of a dictionary term: "Rynek pracy" -> ("rynek", "pracy")."""
    return tuple(_WORD.findall(normalise(term)))


def _compile(path: Path, entries: dict[tuple[str, str], dict[str, tuple[str, ...]]]) -> Dictionary:
    keys = tuple(sorted(entries, key=_entry_order))
    position = {key: i for i, key in enumerate(keys)}
    targets = sdg_targets()
    # words -> entry index -> languages; the label kept is the first spelling met
    links: dict[tuple[str, ...], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    labels: dict[tuple[str, ...], str] = {}
    for (kind, code), languages in entries.items():
        owners = [position[(kind, code)]]
        # A target's terms also count for its goal (when the goal has an entry).
        if kind == "target" and ("sdg", targets[code]) in position:
            owners.append(position[("sdg", targets[code])])
        for language, terms in languages.items():
            for term in terms:
                words = term_words(term)
                labels.setdefault(words, term)
                for owner in owners:
                    links[words][owner].add(language)

    index: dict[str, list[_Term]] = defaultdict(list)
    for words, owners in links.items():
        term = _Term(
            label=labels[words],
            words=words,
            links=tuple((owner, frozenset(langs)) for owner, langs in sorted(owners.items())),
        )
        index[words[0]].append(term)
    languages = frozenset(lang for entry in entries.values() for lang in entry)
    return Dictionary(
        path=path,
        # Read-only: the compiled dictionary is cached and shared.
        entries=MappingProxyType({key: MappingProxyType(entries[key]) for key in keys}),
        languages=languages,
        _keys=keys,
        _index={first: tuple(terms) for first, terms in index.items()},
        _prefix_lengths=tuple(sorted({len(first) for first in index})),
    )


def _entry_order(key: tuple[str, str]) -> tuple:
    kind, code = key
    if kind == "green_deal":
        return (KINDS.index(kind), GREEN_DEAL_AREAS.index(code))
    return (KINDS.index(kind), *(_code_part(part) for part in code.split(".")))


def _code_part(part: str) -> tuple[int, int | str]:
    return (0, int(part)) if part.isdigit() else (1, part)


#: How many texts' suggestions each process remembers.
RECENT_TEXTS = 256
_recent: OrderedDict[tuple, tuple["Suggestion", ...]] = OrderedDict()
_recent_lock = threading.Lock()


def suggest(
    text: str,
    language: str | None = None,
    *,
    dictionary: Dictionary | None = None,
    min_score: float = MIN_SCORE,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """The suggestions for ``text`` (see ``rank``), computed once per text and settings:
    a long strategy's classification page is opened many times, its text rarely changes.
    Remembered by the text's SHA-256 (not the text), for the RECENT_TEXTS latest, when
    the default dictionary is used (another one is ranked afresh each time)."""
    if dictionary is not None:
        return rank(text, language, dictionary=dictionary, min_score=min_score, limit=limit)
    dictionary = load_dictionary()
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    key = (digest, language, DEFAULT_DICTIONARY, min_score, limit)
    with _recent_lock:
        if key in _recent:
            _recent.move_to_end(key)
            return list(_recent[key])
    ranked = tuple(rank(text, language, dictionary=dictionary, min_score=min_score, limit=limit))
    with _recent_lock:
        _recent[key] = ranked
        while len(_recent) > RECENT_TEXTS:
            _recent.popitem(last=False)
    return list(ranked)


def rank(
    text: str,
    language: str | None = None,
    *,
    dictionary: Dictionary | None = None,
    min_score: float = MIN_SCORE,
    limit: int = LIMIT,
) -> list[Suggestion]:
    """SDG goals, SDG targets and Green Deal areas that ``text`` is about, best first.

    Every occurrence of a term adds to each entry listing it; an entry's score is the
    sum over its distinct matched terms of weight * (1 + ln(occurrences)), where a
    phrase weighs PHRASE_WEIGHT. Where several terms of one entry match at the same
    word, only the most specific counts. A goal also collects its targets' terms.

    ``language`` ("pl", "en") puts that language's terms first: the other language's
    terms count at FALLBACK_WEIGHT. With ``None`` (or a language the dictionary does
    not have) all terms count fully. Texts longer than REFERENCE_WORDS words are damped
    so that scores stay comparable. At most ``limit`` suggestions of each kind are
    returned, each scoring at least ``min_score``."""
    dictionary = dictionary or load_dictionary()
    words = _WORD.findall(normalise(text))
    if not words:
        return []
    preferred = language.lower() if language else None
    if preferred not in dictionary.languages:
        preferred = None

    # entry -> term -> occurrences
    counts: dict[int, dict[_Term, int]] = defaultdict(lambda: defaultdict(int))
    index, lengths = dictionary._index, dictionary._prefix_lengths
    for i, word in enumerate(words):
        best: dict[int, _Term] = {}
        for length in lengths:
            if length > len(word):
                break
            for term in index.get(word[:length], ()):
                if not _matches_at(term.words, words, i):
                    continue
                for owner, _ in term.links:
                    current = best.get(owner)
                    if current is None or term.specificity > current.specificity:
                        best[owner] = term
        for owner, term in best.items():
            counts[owner][term] += 1

    damping = min(1.0, math.sqrt(REFERENCE_WORDS / len(words)))
    by_kind: dict[str, list[Suggestion]] = defaultdict(list)
    for owner, terms in counts.items():
        kind, code = dictionary._keys[owner]
        contributions = sorted(
            (
                (term.weight * _language_weight(term, owner, preferred) * (1 + math.log(n)), term)
                for term, n in terms.items()
            ),
            key=lambda item: (-item[0], item[1].label),
        )
        score = round(sum(value for value, _ in contributions) * damping, 3)
        if score >= min_score:
            matched = tuple(term.label for _, term in contributions)
            by_kind[kind].append(Suggestion(kind, code, score, matched))

    suggestions = []
    for kind in KINDS:
        ranked = sorted(by_kind[kind], key=lambda s: (-s.score, _entry_order((s.kind, s.code))))
        suggestions.extend(ranked[: max(limit, 0)])
    suggestions.sort(key=lambda s: (-s.score, _entry_order((s.kind, s.code))))
    return suggestions


def _matches_at(prefixes: tuple[str, ...], words: list[str], start: int) -> bool:
    # The first word was found through the index; the rest must follow in order.
    if start + len(prefixes) > len(words):
        return False
    return all(
        words[start + offset].startswith(prefix)
        for offset, prefix in enumerate(prefixes[1:], start=1)
    )


def _language_weight(term: _Term, owner: int, preferred: str | None) -> float:
    if preferred is None:
        return 1.0
    languages = next(langs for entry, langs in term.links if entry == owner)
    return 1.0 if preferred in languages else FALLBACK_WEIGHT
