"""What one language's texts are compared with: the dictionary's terms by their words'
keys, the UN target texts' words by root, and (English) the Aurora queries."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.strategies import aurora
from app.strategies.keywords import (
    SDG_GOALS,
    Dictionary,
    goal_titles,
    load_dictionary,
    sdg_targets,
    target_texts,
)
from app.strategies.lemmas import Lemmatiser, is_function_word, lemmatiser, tokens


@dataclass(frozen=True)
class Term:
    label: str
    # Per word, its keys (Lemmatiser.keys): a word of the text matches when it shares one.
    # Not the lemma alone: a lemmatiser gives some forms another lemma than their base
    # form ("ogrzewania" -> "ogrzewanie", "ogrzewanie" -> "ogrzewać").
    lemmas: tuple[frozenset[str], ...]
    owners: tuple[tuple[str, str], ...]  # the entries it counts for (a target's, its goal's)


@dataclass
class Model:
    """Everything one language's texts are compared with."""

    language: str
    lemmatiser: Lemmatiser
    # a key of the first word (Lemmatiser.keys) -> the terms starting with it
    terms: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    # a root (Lemmatiser.root) -> [(entry, weight)] from the UN target texts
    target_words: dict[str, list[tuple[tuple[str, str], float]]] = field(default_factory=dict)
    queries: tuple[aurora.Query, ...] = ()


def vocabulary(dictionary: Dictionary, language: str) -> set[str]:
    """Every word the evidence of ``language`` uses, as written: the lemma table holds
    the forms of these words' lemmas."""
    words = set()
    for languages in dictionary.entries.values():
        for term in languages.get(language, ()):
            words.update(term.split())
    for text in (*target_texts()[language].values(), *goal_titles()[language].values()):
        words.update(text.split())
    if language == "en":
        for query in aurora.queries():
            words.update(aurora.leaf_words(query.tree))
    # Only letters: simplemma is asked about words as they stand, without punctuation.
    return {"".join(c for c in word if c.isalnum() or c == "-").strip("-") for word in words} - {""}


@lru_cache(maxsize=64)
def model(path: Path, language: str, without: str | None = None) -> Model:
    """The evidence for ``language`` from the dictionary at ``path``; ``without`` a
    target leaves out that target's dictionary entry, text and Aurora query (to score
    the target's own text leave-one-out)."""
    dictionary = load_dictionary(path)
    found = Model(language, lemmatiser(language, vocabulary(dictionary, language)))
    targets = sdg_targets()
    for (kind, code), languages in dictionary.entries.items():
        if code == without:
            continue
        owners = [(kind, code)]
        if kind == "target":
            owners.append(("sdg", targets[code]))
        for term in languages.get(language, ()):
            keys = tuple(found.lemmatiser.keys(t.folded) for t in tokens(term))
            entry = Term(term, keys, tuple(owners))
            for key in keys[0]:
                found.terms[key].append(entry)
    found.target_words = _target_words(found, without)
    if language == "en":
        found.queries = tuple(
            q for q in aurora.queries() if q.target in targets and q.target != without
        )
    return found


#: A word of the target texts counts when at most this many goals' texts use it: the
#: others ("ensure", "all", "increase") say nothing about a goal.
TARGET_WORD_GOALS = 4


def _target_words(model: Model, without: str | None) -> dict:
    root = model.lemmatiser.root
    goal_of = sdg_targets()
    counts: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    documents = [(("target", code), text) for code, text in target_texts()[model.language].items()]
    documents += [(("sdg", code), text) for code, text in goal_titles()[model.language].items()]
    for (kind, code), text in documents:
        if code == without:
            continue
        words = tokens(text)
        for word in {
            root(t.folded) for t in words if len(t.folded) >= 3 and not t.folded.isdigit()
        }:
            if kind == "target":
                counts[word][("target", code)] += 1
                counts[word][("sdg", goal_of[code])] += 1
            else:
                counts[word][("sdg", code)] += 1
    found = {}
    for word, entries in counts.items():
        goals = {key: n for key, n in entries.items() if key[0] == "sdg"}
        if len(goals) > TARGET_WORD_GOALS or is_function_word(word[1:]):
            continue
        total = sum(goals.values())
        # How particular the word is to its goals: ln(17 / goals using it).
        particular = math.log(len(SDG_GOALS) / len(goals))
        # A target's share counts half: its goal already has the whole.
        found[word] = [
            (key, particular * n / total * (1.0 if key[0] == "sdg" else 0.5))
            for key, n in entries.items()
        ]
    return found
