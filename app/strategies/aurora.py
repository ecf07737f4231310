"""The Aurora Universities Network's SDG queries, read as evidence for English texts.

Aurora wrote one Scopus query per SDG target (version 5.0, CC BY 4.0,
https://doi.org/10.5281/zenodo.3817445; the files are in seeds/sdg/aurora/ with their
licence). Only the TITLE-ABS-KEY lines are read; their Scopus syntax is parsed here and
matched against a text's words:

- ``"renewable energy"`` is a phrase: its words in a row; ``"increas*"`` a word prefix;
  a word without ``*`` also matches the words with the same lemma (plurals);
- ``A OR B``, ``A W/n B`` (within n words, either order), ``A AND B`` (both in the same
  stretch of the text: a long document is read in stretches), ``A AND NOT B``;
- Scopus's precedence: OR binds first, then W/n, then AND, then AND NOT.
"""

import bisect
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.search import normalise

AURORA_DIR = Path(__file__).resolve().parents[2] / "seeds" / "sdg" / "aurora"
_NS = {
    "aqd": "http://aurora-network.global/queries/namespace/",
    "dc": "http://dublincore.org/documents/dcmi-namespace/",
}
_TOKEN = re.compile(r'"[^"]*"|\(|\)|W/\d+|AND NOT|AND|OR')
_WORD = re.compile(r"[^\W_]+\*?")


@dataclass(frozen=True)
class Leaf:
    words: tuple[str, ...]  # folded; a trailing "*" marks a prefix


@dataclass(frozen=True)
class Node:
    operator: str  # "OR", "AND", "NOT" (and not), "W"
    left: "Node | Leaf"
    right: "Node | Leaf"
    distance: int = 0


@dataclass(frozen=True)
class Query:
    target: str  # "7.2"
    tree: Node | Leaf


def parse(line: str) -> Node | Leaf:
    """The tree of one Scopus query line. Raises ValueError on syntax it does not know."""
    tokens = _TOKEN.findall(line)
    if re.sub(r"\s+", "", "".join(tokens)) != re.sub(r"\s+", "", line):
        raise ValueError(f"unknown Scopus syntax in {line.strip()[:80]!r}")
    tree, rest = _expression(tokens, 0)
    if rest != len(tokens):
        raise ValueError(f"unbalanced query {line.strip()[:80]!r}")
    return tree


# Binding strength: OR first, then proximity, then AND, then AND NOT.
_STRENGTH = {"OR": 3, "W": 2, "AND": 1, "AND NOT": 0}


def _expression(tokens: list[str], at: int, floor: int = 0) -> tuple[Node | Leaf, int]:
    left, at = _operand(tokens, at)
    while at < len(tokens) and tokens[at] != ")":
        word = tokens[at]
        operator = "W" if word.startswith("W/") else word
        if operator not in _STRENGTH:
            raise ValueError(f"unexpected {word!r}")
        strength = _STRENGTH[operator]
        if strength < floor:
            break
        right, at = _expression(tokens, at + 1, strength + 1)
        distance = int(word[2:]) if operator == "W" else 0
        name = {"AND NOT": "NOT"}.get(operator, operator)
        left = Node(name, left, right, distance)
    return left, at


def _operand(tokens: list[str], at: int) -> tuple[Node | Leaf, int]:
    if at >= len(tokens):
        raise ValueError("the query ends early")
    token = tokens[at]
    if token == "(":
        tree, at = _expression(tokens, at + 1)
        if at >= len(tokens) or tokens[at] != ")":
            raise ValueError("a bracket is not closed")
        return tree, at + 1
    if token.startswith('"'):
        words = tuple(normalise(word) for word in _WORD.findall(token[1:-1]))
        if not words:
            raise ValueError(f"empty phrase {token!r}")
        return Leaf(words), at + 1
    raise ValueError(f"expected a term, got {token!r}")


@lru_cache(maxsize=1)
def queries() -> tuple[Query, ...]:
    """Every target's TITLE-ABS-KEY query lines, parsed, in the files' order."""
    found = []
    for number in range(1, 18):
        root = ET.parse(AURORA_DIR / f"query_SDG{number}.xml").getroot()
        for definition in root.iter(f"{{{_NS['aqd']}}}query-definition"):
            uri = definition.findtext("dc:identifier", default="", namespaces=_NS).strip()
            # One file writes "3c" for target 3.c.
            target = re.sub(r"^(\d+)([a-z])$", r"\1.\2", uri.rsplit("/", 1)[-1])
            for line in definition.iter(f"{{{_NS['aqd']}}}query-line"):
                if line.get("field") == "TITLE-ABS-KEY" and (line.text or "").strip():
                    found.append(Query(target, parse(line.text)))
    return tuple(found)


def leaf_words(tree: Node | Leaf) -> Iterator[str]:
    """The words of a query's terms, without their prefix marks."""
    if isinstance(tree, Leaf):
        yield from (word.rstrip("*") for word in tree.words)
    else:
        yield from leaf_words(tree.left)
        yield from leaf_words(tree.right)


class Matcher:
    """Where each query term occurs in one text (folded words and their lemmas), and
    where each query matches. ``stretch`` gives the stretch of the text a word is in."""

    def __init__(self, words: Sequence[str], lemmas: Sequence[str], lemma: Callable, stretch):
        self._words = words
        self._lemmas = lemmas
        self._lemma = lemma
        self._stretch = stretch
        self._at: dict[str, list[int]] = {}
        for i, (word, base) in enumerate(zip(words, lemmas, strict=True)):
            self._at.setdefault(word, []).append(i)
            if base != word:
                self._at.setdefault(base, []).append(i)
        self._vocabulary = sorted(self._at)
        self._cache: dict[Leaf, tuple[int, ...]] = {}

    def match(self, tree: Node | Leaf) -> tuple[int, ...]:
        """The sorted positions of the words that make ``tree`` match (empty: no match)."""
        if isinstance(tree, Leaf):
            if tree not in self._cache:
                self._cache[tree] = self._leaf(tree)
            return self._cache[tree]
        left = self.match(tree.left)
        if tree.operator == "NOT":
            if not left:
                return ()
            right = self.match(tree.right)
            banned = {self._stretch(i) for i in right}
            return tuple(i for i in left if self._stretch(i) not in banned)
        if tree.operator != "OR" and not left:
            return ()
        right = self.match(tree.right)
        if tree.operator == "OR":
            return tuple(sorted(set(left) | set(right)))
        if tree.operator == "AND":
            shared = {self._stretch(i) for i in left} & {self._stretch(i) for i in right}
            return tuple(sorted(i for i in {*left, *right} if self._stretch(i) in shared))
        return _near(left, right, tree.distance)

    def _leaf(self, leaf: Leaf) -> tuple[int, ...]:
        first, *rest = leaf.words
        found = []
        for start in self._positions(first):
            if all(
                start + k < len(self._words) and self._is(self._words[start + k], word, start + k)
                for k, word in enumerate(rest, start=1)
            ):
                found.extend(range(start, start + len(leaf.words)))
        return tuple(sorted(set(found)))

    def _positions(self, word: str) -> list[int]:
        if not word.endswith("*"):
            exact = set(self._at.get(word, ()))
            exact.update(self._at.get(self._lemma(word), ()))
            return sorted(exact)
        prefix = word[:-1]
        found: list[int] = []
        at = bisect.bisect_left(self._vocabulary, prefix)
        while at < len(self._vocabulary) and self._vocabulary[at].startswith(prefix):
            found.extend(self._at[self._vocabulary[at]])
            at += 1
        return sorted(set(found))

    def _is(self, token: str, word: str, position: int) -> bool:
        if word.endswith("*"):
            return token.startswith(word[:-1])
        return token == word or self._lemmas[position] == self._lemma(word)


def _near(left: tuple[int, ...], right: tuple[int, ...], distance: int) -> tuple[int, ...]:
    found = set()
    for i in left:
        low = bisect.bisect_left(right, i - distance - 1)
        high = bisect.bisect_right(right, i + distance + 1)
        if low < high:
            found.add(i)
            found.update(right[low:high])
    return tuple(sorted(found))
