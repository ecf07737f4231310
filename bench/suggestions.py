"""Quality and speed of the SDG / Green Deal keyword suggester over the labelled texts.

    .venv/bin/python bench/suggestions.py
    .venv/bin/python bench/suggestions.py --min-score 2.5 --limit 4 --details

Prints micro precision, recall and F1 per language for goals, targets (over the texts
that have target labels) and Green Deal areas, as tests/strategies/labelled_texts.yaml
labels them; then, as a check on text the dictionary was not written against, how often
the goal of each of the 169 official target texts (seeds/sdg/targets.csv) comes first
or in the first three; then the time to classify a long text (~200,000 characters)."""

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from app.strategies.suggest import LIMIT, MIN_SCORE, load_dictionary, suggest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests/strategies/labelled_texts.yaml"
TARGETS = ROOT / "seeds/sdg/targets.csv"
#: suggestion kind -> label field in the labelled set
FIELDS = {"sdg": "goals", "target": "targets", "green_deal": "green_deal"}


def load_labelled(path: Path = LABELLED) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["texts"]


def evaluate(texts: list[dict], language: str, kind: str, **options) -> dict[str, float]:
    """Micro precision, recall and F1 of one suggestion kind over one language's texts.

    Texts without the label field (targets are optional) are left out."""
    field = FIELDS[kind]
    tp = fp = fn = 0
    counted = 0
    for item in texts:
        if item["language"] != language or field not in item:
            continue
        counted += 1
        expected = set(item[field])
        found = {s.code for s in suggest(item["text"], language, **options) if s.kind == kind}
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"texts": counted, "precision": precision, "recall": recall, "f1": f1}


def target_texts_goal_accuracy(language: str) -> tuple[float, float]:
    """Share of official target texts whose goal is the first / among the first three goals
    suggested (no score threshold): UN wording, not city strategies, so a harder test."""
    with TARGETS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = top3 = 0
    for row in rows:
        found = suggest(row[f"text_{language}"], language, min_score=0)
        goals = [s.code for s in found if s.kind == "sdg"]
        first += bool(goals) and goals[0] == row["goal"]
        top3 += row["goal"] in goals[:3]
    return first / len(rows), top3 / len(rows)


def long_text(texts: list[dict], characters: int = 200_000) -> str:
    """The labelled texts repeated until ``characters`` long: a stand-in for a strategy."""
    body = "\n\n".join(item["text"] for item in texts)
    return (body * (characters // len(body) + 1))[:characters]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-score", type=float, default=MIN_SCORE)
    parser.add_argument("--limit", type=int, default=LIMIT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--details", action="store_true", help="list every text's errors")
    args = parser.parse_args()
    options = {"min_score": args.min_score, "limit": args.limit}

    texts = load_labelled()
    load_dictionary()
    print(f"min_score={args.min_score} limit={args.limit}")
    print(f"{'language':<9}{'kind':<12}{'texts':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for language in ("pl", "en"):
        for kind in FIELDS:
            r = evaluate(texts, language, kind, **options)
            print(
                f"{language:<9}{kind:<12}{r['texts']:>6}{r['precision']:>11.2f}"
                f"{r['recall']:>8.2f}{r['f1']:>7.2f}"
            )

    if args.details:
        print()
        for item in texts:
            found = suggest(item["text"], item["language"], **options)
            for kind, field in FIELDS.items():
                got = {s.code for s in found if s.kind == kind}
                expected = set(item.get(field, got))
                if got != expected:
                    extra, missing = sorted(got - expected), sorted(expected - got)
                    print(f"{item['id']:<7}{field:<11} extra {extra} missing {missing}")

    print("\nofficial SDG target texts (169 per language): goal suggested")
    for language in ("pl", "en"):
        first, top3 = target_texts_goal_accuracy(language)
        print(f"{language:<9}first {first:.2f}   in first three {top3:.2f}")

    text = long_text(texts)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = suggest(text)
        timings.append(time.perf_counter() - started)
    print(
        f"\nlong text: {len(text):,} characters, {len(result)} suggestions, "
        f"median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
