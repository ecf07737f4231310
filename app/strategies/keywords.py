"""What the suggestions know: the keyword dictionary (seeds/keywords.yaml), the UN goal
and target texts in five languages, and the target -> Green Deal area crosswalk."""

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from app.strategies.lemmas import LANGUAGES, tokens

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DICTIONARY = PROJECT_ROOT / "seeds" / "keywords.yaml"
CROSSWALK = PROJECT_ROOT / "seeds" / "green_deal_crosswalk.yaml"
SDG_DIR = PROJECT_ROOT / "seeds" / "sdg"
TRANSLATIONS_DIR = PROJECT_ROOT / "seeds" / "translations"

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
_MIN_LETTERS = 3


@dataclass(frozen=True)
class Dictionary:
    """The validated keyword dictionary: entry -> language -> terms as written."""

    path: Path
    entries: Mapping[tuple[str, str], Mapping[str, tuple[str, ...]]]
    languages: frozenset[str]


# ---------------------------------------------------------------- reference data


@lru_cache(maxsize=1)
def sdg_targets() -> dict[str, str]:
    """Every SDG target code ("8.5", "1.a") mapped to its goal ("8"), from targets.csv."""
    with (SDG_DIR / "targets.csv").open(encoding="utf-8", newline="") as handle:
        return {row["target"]: row["goal"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def target_texts() -> Mapping[str, Mapping[str, str]]:
    """language -> target -> the UN target text in that language (pl, cs and en from
    seeds/sdg/targets.csv, sk and hu from seeds/translations/)."""
    texts: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    with (SDG_DIR / "targets.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language in ("en", "pl", "cs"):
                texts[language][row["target"]] = row[f"text_{language}"]
    for language in ("sk", "hu"):
        for code, entry in _translations(language)["sdg_targets"].items():
            texts[language][str(code)] = entry["text"]
    return MappingProxyType({k: MappingProxyType(v) for k, v in texts.items()})


@lru_cache(maxsize=1)
def goal_titles() -> Mapping[str, Mapping[str, str]]:
    """language -> goal -> its short name and title, as one text."""
    titles: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    with (SDG_DIR / "goals.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language in ("en", "pl", "cs"):
                parts = (row[f"short_name_{language}"], row.get(f"title_{language}") or "")
                titles[language][row["number"]] = ". ".join(p for p in parts if p)
    for language in ("sk", "hu"):
        for code, entry in _translations(language)["sdg_goals"].items():
            titles[language][str(code)] = f"{entry['short_name']}. {entry['title']}"
    return MappingProxyType({k: MappingProxyType(v) for k, v in titles.items()})


@lru_cache(maxsize=2)
def _translations(language: str) -> dict:
    # seeds/translations/<language>.yaml, read once for the goals and the targets.
    return yaml.safe_load((TRANSLATIONS_DIR / f"{language}.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def crosswalk() -> Mapping[str, tuple[str, ...]]:
    """SDG target -> the Green Deal areas it belongs to (seeds/green_deal_crosswalk.yaml)."""
    data = yaml.safe_load(CROSSWALK.read_text(encoding="utf-8"))
    found = {}
    for target, areas in (data.get("targets") or {}).items():
        if str(target) not in sdg_targets():
            raise ValueError(f"{CROSSWALK}: {target!r} is not an SDG target")
        unknown = set(areas) - set(GREEN_DEAL_AREAS)
        if unknown:
            raise ValueError(f"{CROSSWALK}: {target}: unknown areas {sorted(unknown)}")
        found[str(target)] = tuple(areas)
    return MappingProxyType(found)


# ---------------------------------------------------------------- the dictionary


def load_dictionary(path: Path | None = None) -> Dictionary:
    """The dictionary at ``path`` (``seeds/keywords.yaml`` by default), validated.

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
    if data.get("version") != 2:
        raise ValueError(f"{path}: unsupported version {data.get('version')!r} (expected 2)")
    unknown = set(data) - {"version", *_SECTIONS}
    if unknown:
        raise ValueError(f"{path}: unknown sections {sorted(unknown)}")

    entries: dict[tuple[str, str], Mapping[str, tuple[str, ...]]] = {}
    for section, kind in _SECTIONS.items():
        block = data.get(section)
        if not isinstance(block, dict):
            raise ValueError(f"{path}: section {section!r} must be a mapping of codes")
        for code, languages in block.items():
            where = f"{path}: {section}: {code!r}"
            _check_code(where, kind, code)
            entries[(kind, code)] = MappingProxyType(_check_languages(where, languages))
    keys = sorted(entries, key=entry_order)
    return Dictionary(
        path=path,
        entries=MappingProxyType({key: entries[key] for key in keys}),
        languages=frozenset(language for entry in entries.values() for language in entry),
    )


def _check_code(where: str, kind: str, code: object) -> None:
    if not isinstance(code, str):
        raise ValueError(f'{where}: codes must be quoted strings (write "{code}")')
    if kind == "sdg" and code not in SDG_GOALS:
        raise ValueError(f'{where}: not an SDG goal (expected "1" to "17")')
    if kind == "target" and code not in sdg_targets():
        raise ValueError(f"{where}: not an SDG target listed in targets.csv")
    if kind == "green_deal" and code not in GREEN_DEAL_AREAS:
        raise ValueError(f"{where}: not a Green Deal area (one of {', '.join(GREEN_DEAL_AREAS)})")


def _check_languages(where: str, languages: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(languages, dict) or not languages:
        raise ValueError(f"{where}: expected a mapping of language -> list of terms")
    checked = {}
    for language, terms in languages.items():
        if language not in LANGUAGES:
            raise ValueError(f"{where}: {language!r} is not one of {', '.join(LANGUAGES)}")
        if not isinstance(terms, list) or not terms:
            raise ValueError(f"{where}: {language}: expected a non-empty list of terms")
        seen: dict[tuple[str, ...], str] = {}
        for term in terms:
            if not isinstance(term, str):
                raise ValueError(f"{where}: {language}: {term!r} is not a string")
            words = tuple(token.folded for token in tokens(term))
            if not words or max(len(word) for word in words) < _MIN_LETTERS:
                raise ValueError(
                    f"{where}: {language}: {term!r} needs a word of at least {_MIN_LETTERS} letters"
                )
            if words in seen:
                raise ValueError(f"{where}: {language}: {term!r} repeats {seen[words]!r}")
            seen[words] = term
        checked[language] = tuple(terms)
    return checked


def entry_order(key: tuple[str, str]) -> tuple:
    kind, code = key
    if kind == "green_deal":
        return (KINDS.index(kind), GREEN_DEAL_AREAS.index(code))
    return (KINDS.index(kind), *(_code_part(part) for part in code.split(".")))


def _code_part(part: str) -> tuple[int, int | str]:
    return (0, int(part)) if part.isdigit() else (1, part)
