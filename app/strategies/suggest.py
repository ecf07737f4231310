"""Offline suggestions of SDG goals, SDG targets and European Green Deal areas for a text,
in Polish, Czech, Slovak, Hungarian and English.

A text is read in its language (given, or detected) as a sequence of lemmas, and three
kinds of evidence are weighed, stretch by stretch (STRETCH words):

- the keyword dictionary (seeds/keywords.yaml): words and phrases per entry and
  language, matched by lemma, so "odnawialnych źródeł" finds "odnawialne źródło";
- the UN target texts in the text's language: a lemma counts for the goals and targets
  whose texts use it, weighted by how particular it is to them;
- for English, the Aurora SDG queries (app.strategies.aurora), one set per target.

An entry's score in a stretch adds these up; a text's score sums its stretches and
divides by the square root of their number, so a long document needs a topic to recur
and a short one needs a few clear words. A suggestion needs a score (Settings.min_score) and a share
of the best one of its kind, so "no goal" is a real answer. Green Deal areas also collect the
scores of their targets through the crosswalk in seeds/green_deal_crosswalk.yaml.

The reasons shown are the text's own words that counted most, and a passage of the text
with them marked.
"""

import hashlib
import math
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from app.search import Passage, marked_passage
from app.strategies import aurora, evidence
from app.strategies.keywords import (
    KINDS,
    Dictionary,
    crosswalk,
    entry_order,
    load_dictionary,
    sdg_targets,
)
from app.strategies.lemmas import (
    LANGUAGES,
    Token,
    detect,
    tokens,
)


@dataclass(frozen=True)
class Settings:
    """The weights of the evidence and the bars a suggestion must clear. The defaults
    were chosen on the tuning set (bench/suggestions.py --tune), never on the held-out
    ones; see DECISIONS.md for how."""

    #: A phrase of the dictionary says more than a single word: each word after the
    #: first adds this much to the 1 a word is worth.
    phrase_weight: float = 0.5
    #: The weight of the UN target texts' words against the dictionary's.
    target_text_weight: float = 0.1
    #: What one matching Aurora query line adds (English texts).
    aurora_weight: float = 1.0
    #: The share of a target's score that its Green Deal areas receive.
    crosswalk_weight: float = 0.25
    #: The score a suggestion needs.
    min_score: float = 2.0
    #: ... and the share of the best score of its kind.
    min_share: float = 0.35
    #: At most this many suggestions of each kind.
    limit: int = 5


DEFAULTS = Settings()
#: Words per stretch: about a paragraph or two.
STRETCH = 150


@dataclass(frozen=True)
class Suggestion:
    """One suggested classification and what in the text led to it."""

    kind: str  # "sdg", "target" or "green_deal"
    code: str  # "8", "8.5", "mobility"
    score: float
    matched: tuple[str, ...]  # the text's words that counted, as written, strongest first
    passage: Passage | None = None  # where they stand, marked


@dataclass(frozen=True)
class Suggestions:
    """The suggestions for a text, and the language it was read in."""

    language: str | None  # the language read; None when it is not one of LANGUAGES
    detected: bool  # the language was told from the text, not given
    items: tuple[Suggestion, ...] = ()

    @property
    def supported(self) -> bool:
        return self.language in LANGUAGES

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def of(self, kind: str) -> list[Suggestion]:
        return [s for s in self.items if s.kind == kind]


def prepare(languages: tuple[str, ...] = LANGUAGES) -> None:
    """Load (on a new machine: build, side by side) every language's evidence, so that no
    request waits for it. `make setup` calls it; a first page would otherwise wait
    about ten seconds for the lemma tables."""
    path = load_dictionary().path
    with ThreadPoolExecutor(max_workers=len(languages)) as pool:
        list(pool.map(lambda language: evidence.model(path, language), languages))


# ---------------------------------------------------------------- reading a text


#: How many texts' suggestions each process remembers.
RECENT_TEXTS = 256
_recent: OrderedDict[tuple, Suggestions] = OrderedDict()
_recent_lock = threading.Lock()


def suggest(
    text: str,
    language: str | None = None,
    *,
    dictionary: Dictionary | None = None,
    settings: Settings = DEFAULTS,
) -> Suggestions:
    """The suggestions for ``text`` (see ``rank``), computed once per text and settings:
    a long strategy's classification page is opened many times, its text rarely changes.
    Remembered by the text's SHA-256 (not the text), for the RECENT_TEXTS latest."""
    path = (dictionary or load_dictionary()).path
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    key = (digest, language, path, settings)
    with _recent_lock:
        if key in _recent:
            _recent.move_to_end(key)
            return _recent[key]
    result = rank(text, language, dictionary=dictionary, settings=settings)
    with _recent_lock:
        _recent[key] = result
        while len(_recent) > RECENT_TEXTS:
            _recent.popitem(last=False)
    return result


def read_language(
    text: str, language: str | None, dictionary: Dictionary | None = None
) -> tuple[str | None, bool]:
    """The language to read ``text`` in and whether it was detected: the given one when
    it is a specific language code, else the one the text reads as (None: it cannot
    tell; "de": one it can tell but not read)."""
    given = (language or "").lower()
    if given in LANGUAGES:
        return given, False
    if given and given != "other" and len(given) == 2:
        return given, False  # a language we know of but cannot read ("de")
    path = (dictionary or load_dictionary()).path
    known = {code: evidence.model(path, code).lemmatiser.knows for code in LANGUAGES}
    return detect(text, known), True


def rank(
    text: str,
    language: str | None = None,
    *,
    dictionary: Dictionary | None = None,
    settings: Settings = DEFAULTS,
    without: str | None = None,
) -> Suggestions:
    """SDG goals, SDG targets and Green Deal areas that ``text`` is about, best first.

    ``language`` is the text's ISO 639-1 code; None (or "other") has it detected. A text
    in a language other than LANGUAGES gets no suggestions (``supported`` is False).
    ``without`` leaves one target's own evidence out (for leave-one-out measurement)."""
    dictionary = dictionary or load_dictionary()
    language, detected = read_language(text, language, dictionary)
    if language not in LANGUAGES:
        return Suggestions(language, detected)
    words = tokens(text)
    if not words:
        return Suggestions(language, detected)
    model = evidence.model(dictionary.path, language, without)
    reading = _Reading(text, words, model, settings)
    return Suggestions(language, detected, tuple(reading.suggestions()))


class _Reading:
    """One text read against one language's evidence."""

    def __init__(self, text: str, words: list[Token], model: evidence.Model, settings: Settings):
        self.text = text
        self.words = words
        self.settings = settings
        self.model = model
        self.forms = [token.folded for token in words]
        self.lemmas = model.lemmatiser.lemmas(self.forms)
        self.keys = [model.lemmatiser.keys(form) for form in self.forms]
        self.stretches = max(1, math.ceil(len(words) / STRETCH))
        # entry -> stretch -> score
        self.scores: dict[tuple[str, str], dict[int, float]] = defaultdict(
            lambda: defaultdict(float)
        )
        # entry -> (first word, last word) -> weight, for the reasons
        self.spans: dict[tuple[str, str], dict[tuple[int, int], float]] = defaultdict(
            lambda: defaultdict(float)
        )
        self._dictionary()
        self._target_texts()
        self._aurora()

    def _add(self, entry, stretch: int, value: float, span: tuple[int, int]) -> None:
        self.scores[entry][stretch] += value
        self.spans[entry][span] += value

    def _dictionary(self) -> None:
        keys, weight = self.keys, self.settings.phrase_weight
        # (entry, stretch) -> term -> [spans]
        found: dict[tuple, dict[evidence.Term, list[tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        index = self.model.terms
        for i, own in enumerate(keys):
            candidates = {term for key in own for term in index.get(key, ())}
            if not candidates:
                continue
            best: dict[tuple[str, str], evidence.Term] = {}
            for term in candidates:
                n = len(term.lemmas)
                if i + n > len(keys) or any(
                    keys[i + k].isdisjoint(wanted)
                    for k, wanted in enumerate(term.lemmas[1:], start=1)
                ):
                    continue
                for owner in term.owners:
                    if owner not in best or n > len(best[owner].lemmas):
                        best[owner] = term
            for owner, term in best.items():
                found[(owner, i // STRETCH)][term].append((i, i + len(term.lemmas) - 1))
        for (owner, stretch), terms in found.items():
            for term, spans in terms.items():
                value = (1 + weight * (len(term.lemmas) - 1)) * (1 + math.log(len(spans)))
                for span in spans:
                    self._add(owner, stretch, value / len(spans), span)

    def _target_texts(self) -> None:
        factor = self.settings.target_text_weight
        if not factor:
            return
        vocabulary = self.model.target_words
        root = self.model.lemmatiser.root
        seen: dict[tuple[int, str], int] = {}
        for i, form in enumerate(self.forms):
            word = root(form)
            if word in vocabulary:
                seen.setdefault((i // STRETCH, word), i)
        for (stretch, word), i in seen.items():
            for entry, weight in vocabulary[word]:
                self._add(entry, stretch, factor * weight, (i, i))

    def _aurora(self) -> None:
        if not self.model.queries or not self.settings.aurora_weight:
            return
        matcher = aurora.Matcher(
            self.forms, self.lemmas, self.model.lemmatiser.lemma, lambda i: i // STRETCH
        )
        goal_of = sdg_targets()
        hits: dict[tuple[str, int], list[int]] = {}
        for query in self.model.queries:
            positions = matcher.match(query.tree)
            by_stretch = defaultdict(list)
            for i in positions:
                by_stretch[i // STRETCH].append(i)
            for stretch, found in by_stretch.items():
                hits.setdefault((query.target, stretch), []).extend(found)
        for (target, stretch), found in hits.items():
            # The reason shown: the words of one match (a match spread wide shows its first).
            low, high = min(found), max(found)
            span = (low, high) if high - low < 12 else (found[0], found[0])
            for entry in (("target", target), ("sdg", goal_of[target])):
                self._add(entry, stretch, self.settings.aurora_weight, span)

    # ------------------------------------------------------------ scores and reasons

    def total(self, entry) -> float:
        return sum(self.scores[entry].values()) / math.sqrt(self.stretches)

    def suggestions(self) -> list[Suggestion]:
        settings = self.settings
        totals = {entry: self.total(entry) for entry in self.scores}
        # Green Deal areas receive a share of their targets' scores.
        if settings.crosswalk_weight:
            walk = crosswalk()
            for (kind, code), score in list(totals.items()):
                if kind != "target" or score < settings.min_score / 2:
                    continue
                for area in walk.get(code, ()):
                    entry = ("green_deal", area)
                    totals[entry] = totals.get(entry, 0.0) + settings.crosswalk_weight * score
                    for span, value in self.spans[("target", code)].items():
                        self.spans[entry][span] += value * settings.crosswalk_weight
        chosen = []
        for kind in KINDS:
            ranked = sorted(
                ((score, entry) for entry, score in totals.items() if entry[0] == kind),
                key=lambda item: (-item[0], entry_order(item[1])),
            )
            if not ranked:
                continue
            bar = max(settings.min_score, settings.min_share * ranked[0][0])
            for score, entry in ranked[: max(settings.limit, 0)]:
                if score >= bar:
                    chosen.append(self._suggestion(entry, score))
        chosen.sort(key=lambda s: (-s.score, entry_order((s.kind, s.code))))
        return chosen

    def _suggestion(self, entry, score: float) -> Suggestion:
        spans = _outermost(self.spans[entry])
        # The words as they stand, strongest first, each once whatever its case.
        weights: dict[str, float] = defaultdict(float)
        shown: dict[str, str] = {}
        for (first, last), value in spans.items():
            words = self.text[self.words[first].start : self.words[last].end]
            key = " ".join(self.lemmas[first : last + 1])
            shown.setdefault(key, words)
            weights[key] += value
        order = sorted(weights, key=lambda key: (-weights[key], shown[key].casefold()))
        return Suggestion(
            entry[0],
            entry[1],
            round(score, 3),
            tuple(shown[key] for key in order[:8]),
            self._passage(spans),
        )

    def _passage(self, spans: Mapping[tuple[int, int], float], width: int = 240) -> Passage:
        """About ``width`` characters around the place where the reasons are densest."""
        ordered = sorted(spans)
        starts = [self.words[first].start for first, _ in ordered]
        # The densest stretch of text: a window sliding over the reasons, in one pass.
        best, best_value, value, tail = ordered[0], -1.0, 0.0, 0
        for head, span in enumerate(ordered):
            value += spans[span]
            while starts[head] - starts[tail] > width * 2 // 3:
                value -= spans[ordered[tail]]
                tail += 1
            if value > best_value:
                best, best_value = ordered[tail], value
        marks = ((self.words[first].start, self.words[last].end) for first, last in ordered)
        return marked_passage(self.text, self.words[best[0]].start, marks, width)


def _outermost(spans: Mapping[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """The spans that no other span holds, each with the weight of those it holds (a
    word that counted alone and within a phrase is shown once, as the phrase)."""
    ordered = sorted(spans, key=lambda span: (span[0], -span[1]))
    kept: dict[tuple[int, int], float] = {}
    outer: tuple[int, int] | None = None
    for span in ordered:
        if outer is not None and outer[0] <= span[0] and span[1] <= outer[1]:
            kept[outer] += spans[span]
            continue
        outer = span
        kept[span] = spans[span]
    return kept


def with_settings(**changes) -> Settings:
    """The default settings with ``changes`` (for the benchmark's tuning)."""
    return replace(DEFAULTS, **changes)
