"""Quality and speed of the SDG / Green Deal suggestions, per language.

    .venv/bin/python bench/suggestions.py              # every table
    .venv/bin/python bench/suggestions.py --tune       # choose the settings on the tuning set
    .venv/bin/python bench/suggestions.py --details    # each held-out text's errors

Three kinds of labelled text, kept apart:

- the tuning set, tests/strategies/labelled_texts.yaml (pl, en, cs, sk, hu): the only
  one the settings and the dictionary may be tuned on;
- the held-out sets, tests/strategies/heldout/<language>.yaml (40 per language, five of
  them addressing no goal): written without sight of the dictionary, labelled before
  tuning, and only ever measured;
- the 169 UN target texts in each language, each scored leave-one-out: without its own
  text among the target texts, its own dictionary entry and its own Aurora query, it must
  find its own goal.

Then the time to classify a document of 200,000 characters, against a floor measured in
the same run (reading the document's words once, which any engine must do)."""

import argparse
import itertools
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from app.strategies import suggest as engine  # noqa: E402
from app.strategies.keywords import sdg_targets, target_texts  # noqa: E402
from app.strategies.lemmas import LANGUAGES, tokens  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TUNING = ROOT / "tests/strategies/labelled_texts.yaml"
HELDOUT = ROOT / "tests/strategies/heldout"
FIELDS = {"sdg": "goals", "target": "targets", "green_deal": "green_deal"}


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]


def heldout() -> list[dict]:
    return [item for language in LANGUAGES for item in load(HELDOUT / f"{language}.yaml")]


def measure(texts: list[dict], settings: engine.Settings, language_given: bool = True) -> dict:
    """Per language: goals' precision and recall, the first goal right, a right goal in
    the first three, texts with goals left without any, hard negatives left empty, and
    the Green Deal areas' precision and recall."""
    results = {}
    for language in LANGUAGES:
        items = [item for item in texts if item["language"] == language]
        if not items:
            continue
        row = dict.fromkeys(("tp", "fp", "fn", "gtp", "gfp", "gfn"), 0)
        row.update(texts=0, first=0, top3=0, none=0, negatives=0, negatives_empty=0)
        for item in items:
            given = language if language_given else None
            found = engine.rank(item["text"], given, settings=settings)
            goals = [s.code for s in found.of("sdg")]
            expected = set(item["goals"])
            if expected:
                row["texts"] += 1
                row["first"] += bool(goals) and goals[0] in expected
                row["top3"] += bool(expected & set(goals[:3]))
                row["none"] += not goals
            else:
                row["negatives"] += 1
                row["negatives_empty"] += not goals
            row["tp"] += len(expected & set(goals))
            row["fp"] += len(set(goals) - expected)
            row["fn"] += len(expected - set(goals))
            areas = {s.code for s in found.of("green_deal")}
            wanted = set(item.get("green_deal", []))
            row["gtp"] += len(areas & wanted)
            row["gfp"] += len(areas - wanted)
            row["gfn"] += len(wanted - areas)
        results[language] = row
    return results


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def f1(row: dict, prefix: str = "") -> float:
    p = _ratio(row[f"{prefix}tp"], row[f"{prefix}tp"] + row[f"{prefix}fp"])
    r = _ratio(row[f"{prefix}tp"], row[f"{prefix}tp"] + row[f"{prefix}fn"])
    return 2 * p * r / (p + r) if p + r else 0.0


def print_table(title: str, results: dict) -> None:
    print(f"\n{title}")
    print(
        f"{'lang':<5}{'texts':>6}{'first':>7}{'top 3':>7}{'none':>6}{'neg. empty':>12}"
        f"{'goal P':>8}{'goal R':>8}{'GD P':>7}{'GD R':>7}"
    )
    for language, row in results.items():
        print(
            f"{language:<5}{row['texts']:>6}{row['first']:>7}{row['top3']:>7}{row['none']:>6}"
            f"{row['negatives_empty']:>7} of {row['negatives']:<2}"
            f"{_ratio(row['tp'], row['tp'] + row['fp']):>8.2f}"
            f"{_ratio(row['tp'], row['tp'] + row['fn']):>8.2f}"
            f"{_ratio(row['gtp'], row['gtp'] + row['gfp']):>7.2f}"
            f"{_ratio(row['gtp'], row['gtp'] + row['gfn']):>7.2f}"
        )


def leave_one_out(settings: engine.Settings) -> dict:
    """Per language: of the 169 target texts, how many find their own goal first, in
    the first two and at all, with their own evidence left out."""
    goal_of = sdg_targets()
    results = {}
    for language in LANGUAGES:
        first = two = anywhere = 0
        for target, text in target_texts()[language].items():
            found = engine.rank(text, language, settings=settings, without=target)
            goals = [s.code for s in found.of("sdg")]
            first += bool(goals) and goals[0] == goal_of[target]
            two += goal_of[target] in goals[:2]
            anywhere += goal_of[target] in goals
        results[language] = (first, two, anywhere, len(target_texts()[language]))
    return results


def tune(texts: list[dict]) -> engine.Settings:
    """The settings that give the best mean goal F1 (with the Green Deal's at half weight)
    over the tuning set's languages."""
    grid = {
        "target_text_weight": (0.0, 0.1, 0.25, 0.5, 1.0),
        "aurora_weight": (0.0, 1.0),
        "crosswalk_weight": (0.0, 0.25, 0.5),
        "min_score": (1.5, 2.0, 2.5, 3.0, 3.5),
        "min_share": (0.0, 0.2, 0.35, 0.5),
    }
    best, best_value = engine.DEFAULTS, -1.0
    for values in itertools.product(*grid.values()):
        settings = engine.with_settings(**dict(zip(grid, values, strict=True)))
        results = measure(texts, settings)
        value = statistics.mean(f1(row) + 0.5 * f1(row, "g") for row in results.values())
        if value > best_value:
            best, best_value = settings, value
            print(f"  {value:.3f}  {settings}", flush=True)
    return best


def details(texts: list[dict], settings: engine.Settings) -> None:
    for item in texts:
        found = engine.rank(item["text"], item["language"], settings=settings)
        for kind, field in FIELDS.items():
            got = [s.code for s in found.of(kind)]
            expected = set(item.get(field, got))
            if set(got) != expected:
                print(
                    f"{item['id']:<8}{field:<11} extra {sorted(set(got) - expected)} "
                    f"missing {sorted(expected - set(got))}"
                )


def long_document(texts: list[dict], language: str, characters: int = 200_000) -> str:
    body = "\n\n".join(item["text"] for item in texts if item["language"] == language)
    return (body * (characters // len(body) + 1))[:characters]


def timing(texts: list[dict], repeat: int) -> None:
    print("\na document of 200,000 characters (median of runs, ms)")
    print(f"{'lang':<5}{'floor':>8}{'engine':>8}{'x floor':>9}{'goals':>7}")
    for language in LANGUAGES:
        text = long_document(texts, language)
        engine.rank(text[:2000], language)  # load the language's evidence first
        floors, runs = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            tokens(text)
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            found = engine.rank(text, language)
            runs.append(time.perf_counter() - started)
        floor, run = statistics.median(floors) * 1000, statistics.median(runs) * 1000
        print(f"{language:<5}{floor:>8.0f}{run:>8.0f}{run / floor:>9.1f}{len(found.of('sdg')):>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="search the settings on the tuning set")
    parser.add_argument("--details", action="store_true", help="list each held-out text's errors")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tuning = load(TUNING)
    settings = tune(tuning) if args.tune else engine.DEFAULTS
    print(f"settings: {settings}")
    print_table("tuning set (labelled_texts.yaml), language given", measure(tuning, settings))
    held = heldout()
    print_table("held-out sets, language given", measure(held, settings))
    print_table("held-out sets, language detected", measure(held, settings, False))
    if args.details:
        details(held, settings)
    ranking = replace(settings, min_score=0.0, min_share=0.0)
    for title, chosen in (("as shipped", settings), ("ranked, without the bars", ranking)):
        print(f"\nUN target texts, leave-one-out, {title}: own goal first / in the first two")
        for language, (first, two, _, total) in leave_one_out(chosen).items():
            print(f"{language:<5}{first:>4} {first / total:>4.0%}  {two:>4} {two / total:>4.0%}")
    timing(tuning, args.repeat)


if __name__ == "__main__":
    main()
