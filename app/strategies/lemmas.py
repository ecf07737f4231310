"""Words of a text, its language, and their lemmas, for the suggestions.

Lemmas come from simplemma's dictionaries (Polish, Czech, Slovak, Hungarian, English).
Those dictionaries are large (Polish alone takes about 400 MB and three seconds to load),
while the suggestions only ever compare a text's words with the few thousand words of
their evidence. So each language gets a small table instead: every inflected form whose
lemma is one of the evidence's lemmas. It is built once, in a child process so that the
full dictionary never stays in a web worker, and kept in the cache folder under a
fingerprint of the evidence and the simplemma version. A word the table does not hold
has no lemma among the evidence's, so it stands for itself.

Everything compared is folded (case and diacritics, as the search folds them), so a text
typed without diacritics finds the same lemmas.
"""

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from app.search import normalise

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The languages the suggestions read, in the order ties are broken.
LANGUAGES = ("pl", "cs", "sk", "hu", "en")
_WORD = re.compile(r"[^\W_]+")
#: Changes when the tables' layout changes, so older cached ones are not read.
_FORMAT = 2

# Function words that are frequent in each language and rare in the others. A text's
# language is the one whose words make up the largest share of its first words.
_FUNCTION_WORDS = {
    "pl": "i w na z do się że nie jest oraz dla przez po od jak są jego jej który która "
    "które przy także również może być został została będzie ich tym tego gdzie lub",
    "cs": "a v na se je že pro které který která jsou při také není od jako by bylo byl "
    "bude jejich tak nebo až již mezi kde této tento jsme či",
    "sk": "a v na sa je že pre ktoré ktorý ktorá sú pri tiež nie od ako by bolo bol bude "
    "ich tak alebo až už medzi kde táto tento sme či",
    "hu": "a az és hogy nem is egy meg van vagy csak már mint de ez azt ami amely amelyek "
    "valamint kell lesz volt pedig illetve között során szerint után",
    "en": "the and of to in is that for with are be by this as on which from its an or "
    "will has have their been were was also between such",
    # Read only to say that a text is in a language the suggestions do not read.
    "de": "der die das und ist nicht mit von zu den dem des ein eine einer sich auf für "
    "werden wird sind auch bei oder aus nach wie über",
    "da": "og er det en af til at på med som for ikke der har de vil kan skal fra eller "
    "blev være også efter mellem ved",
}
#: Letters that only some of the five languages write.
_LETTERS = {
    "pl": "ąćęłńśźż",
    "cs": "ěřů",
    "sk": "ľĺŕäô",
    "hu": "őű",
}
#: How many words of a text are read to tell its language.
_DETECT_WORDS = 3000
#: The score the best language needs (see ``detect``).
_MIN_SHARE = 0.08


@dataclass(frozen=True)
class Token:
    """One word of a text: where it stands, and its folded form."""

    start: int
    end: int
    folded: str


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their positions, folded as the search folds them."""
    return [Token(m.start(), m.end(), _fold(m.group())) for m in _WORD.finditer(text)]


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return normalise(word)


def detect(text: str, known: Mapping[str, Callable[[str], bool]] | None = None) -> str | None:
    """The language ``text`` is written in: one of LANGUAGES, another language it can
    tell ("de", "da"), or None when it cannot tell. Each language scores its function
    words, its own letters and (with ``known``: language -> does it know a folded word)
    the words its lemma table knows, as a share of the first _DETECT_WORDS words."""
    words = [m.group().casefold() for m in _WORD.finditer(text[: _DETECT_WORDS * 12])]
    words = words[:_DETECT_WORDS]
    if not words:
        return None
    folded = [_fold(word) for word in words]
    known = known or {}
    scores = {}
    for language in _FUNCTION_WORDS:
        function_words = _function_words(language)
        hits = sum(1 for word in words if word in function_words)
        letters = set(_LETTERS.get(language, ""))
        marked = sum(1 for word in words if letters and not letters.isdisjoint(word))
        knows = known.get(language)
        recognised = sum(1 for word in folded if len(word) > 3 and knows(word)) if knows else 0
        scores[language] = (hits + 0.5 * marked + 0.5 * recognised) / len(words), hits, recognised
    best = max(_FUNCTION_WORDS, key=lambda language: scores[language][0])
    share, hits, recognised = scores[best]
    return best if share >= _MIN_SHARE and (hits or recognised >= 2) else None


def is_function_word(folded: str) -> bool:
    """Whether ``folded`` (a folded word) is a function word of a language detect knows."""
    return folded in _all_function_words()


@lru_cache(maxsize=1)
def _all_function_words() -> frozenset[str]:
    return frozenset(
        normalise(word) for words in _FUNCTION_WORDS.values() for word in words.split()
    )


@lru_cache(maxsize=len(LANGUAGES))
def _function_words(language: str) -> frozenset[str]:
    return frozenset(_FUNCTION_WORDS[language].split())


class Lemmatiser:
    """Folded lemmas of folded words of one language, for the words the evidence uses."""

    def __init__(self, language: str, table: Mapping):
        self.language = language
        self._table = table.get("forms", {})
        self._lemmas = frozenset(self._table.values())
        # The stem of each word simplemma does not know -> that word.
        self._unknown = {stem(language, word): word for word in table.get("unknown", ())}
        self._keys: dict[str, frozenset[str]] = {}
        self._roots: dict[str, str] = {}

    def knows(self, folded: str) -> bool:
        """Whether ``folded`` is a form or a lemma of the table."""
        return folded in self._table or folded in self._lemmas

    def lemma(self, folded: str) -> str:
        found = self._table.get(folded)
        if found is None:
            found = self._unknown.get(stem(self.language, folded), folded)
        return found

    def lemmas(self, words: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.lemma(word) for word in words)

    def root(self, folded: str) -> str:
        """The lemma without its ending, marked "~" (the last of ``keys``)."""
        found = self._roots.get(folded)
        if found is None:
            found = "~" + stem(self.language, self.lemma(folded))
            if len(self._roots) < 200_000:
                self._roots[folded] = found
        return found

    def keys(self, folded: str) -> frozenset[str]:
        """What a word is compared by: its form, its lemma, and both without their
        ending (marked "~", so a stem only ever meets another stem). The stems make up
        for a lemmatiser that gives forms of one word different lemmas (Slovak "zelené"
        -> "zelený" but "zelená" -> "zelená")."""
        found = self._keys.get(folded)
        if found is None:
            lemma = self.lemma(folded)
            found = frozenset((folded, lemma, "~" + stem(self.language, folded), self.root(folded)))
            if len(self._keys) < 200_000:
                self._keys[folded] = found
        return found


_built: dict[tuple[str, str], Lemmatiser] = {}
# One lock per table, so that tables of different languages are built side by side.
_locks: dict[tuple[str, str], threading.Lock] = {}
_locks_lock = threading.Lock()


def lemmatiser(language: str, vocabulary: Iterable[str]) -> Lemmatiser:
    """The lemmatiser of ``language`` for words whose lemma is a lemma of ``vocabulary``
    (words as written). Built once per vocabulary, and kept on disk between runs."""
    words = sorted({word.casefold() for word in vocabulary})
    fingerprint = _fingerprint(language, words)
    key = (language, fingerprint)
    with _locks_lock:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        if key not in _built:
            _built[key] = Lemmatiser(language, _table(language, words, fingerprint))
        return _built[key]


def _fingerprint(language: str, words: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{language}\n{_simplemma_version()}\n{_FORMAT}\n".encode())
    for word in words:
        digest.update(word.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()[:20]


def _simplemma_version() -> str:
    try:
        return metadata.version("simplemma")
    except metadata.PackageNotFoundError:
        return "missing"


def cache_dir() -> Path:
    """Where the lemma tables are kept: WARSZTAT_CACHE_DIR, or instance/cache/."""
    configured = os.environ.get("WARSZTAT_CACHE_DIR")
    return Path(configured) if configured else PROJECT_ROOT / "instance" / "cache"


def _table(language: str, words: list[str], fingerprint: str) -> dict:
    path = cache_dir() / f"lemmas-{language}-{fingerprint}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-c", _CHILD, language],
            input=json.dumps(words),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=True,
        )
        table = _folded(json.loads(result.stdout))
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        # Without lemmas every word stands for itself: fewer matches, never a failure.
        log.error("No lemma table for %s: %s", language, error)
        return {"forms": {}, "unknown": []}
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(table, out, ensure_ascii=False, separators=(",", ":"))
    os.replace(temporary, path)
    for older in path.parent.glob(f"lemmas-{language}-*.json"):
        if older != path:
            older.unlink(missing_ok=True)
    return table


# Run in a child process (isolated: it needs only simplemma): reads the words as JSON,
# writes [form, lemma] for every form whose lemma is the lemma of one of the words, and
# the words simplemma does not know.
_CHILD = """
import json, sys
import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

language, words = sys.argv[1], json.load(sys.stdin)
pairs = [[word, simplemma.lemmatize(word, lang=language)] for word in words]
unknown = [word for word in words if not simplemma.is_known(word, lang=language)]
lemmas = {lemma for _, lemma in pairs}
wanted = {v.encode() for lemma in lemmas for v in (lemma, lemma.lower(), lemma.capitalize())}
dictionary = DefaultDictionaryFactory().get_dictionary(language)
# The bytes behind the mapping when it has them: decoding every entry costs seconds.
raw = getattr(dictionary, "_dict", None)
if isinstance(raw, dict):
    pairs += [[f.decode(), v.decode()] for f, v in raw.items() if v in wanted]
else:
    pairs += [[f, v] for f, v in dictionary.items() if v.encode() in wanted]
json.dump({"pairs": pairs, "unknown": unknown}, sys.stdout)
"""


def _folded(found: dict) -> dict:
    # The words' own lemmas come first and win over another lemma of the same form.
    table: dict[str, str] = {}
    for form, lemma in found["pairs"]:
        table.setdefault(normalise(form), normalise(lemma))
    forms = {form: lemma for form, lemma in table.items() if form != lemma}
    return {"forms": forms, "unknown": sorted({normalise(word) for word in found["unknown"]})}


# Endings stripped from a word simplemma does not know (folded, longest first), so that
# "fotovoltaiky" still finds "fotovoltaika": only ever to compare with the evidence's own
# unknown words, stripped the same way.
_ENDINGS = {
    "pl": "ami ach ych ymi owi iem ow om em ie y u e i a",
    "cs": "ovymi ovych ami ach ich emi eho emu ymi ych ym ou om em um y u e i a o",
    "sk": "ovymi ovych ami ach ich emi eho emu ymi ych ym ou om ov em um ia ie iu y u e i a o",
    "hu": "okat eket akat ban ben bol rol tol hoz hez val vel nak nek ra re ba be on en ok ek "
    "ot et at ja je t k i",
    "en": "ies es s",
}
_MIN_STEM = 4


def stem(language: str, folded: str) -> str:
    """``folded`` without its ending (at most two, for Hungarian's stacked suffixes)."""
    for _ in range(2 if language == "hu" else 1):
        for ending in _endings(language):
            if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_STEM:
                folded = folded[: -len(ending)]
                break
        else:
            break
    return folded


@lru_cache(maxsize=len(LANGUAGES))
def _endings(language: str) -> tuple[str, ...]:
    return tuple(sorted(_ENDINGS.get(language, "").split(), key=len, reverse=True))
