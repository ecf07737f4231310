"""Time and memory of the DOCX report writer over many synthetic recommendations.

    .venv/bin/python bench/docx_report.py                # 10,000 recommendations
    .venv/bin/python bench/docx_report.py --count 1000
    .venv/bin/python bench/docx_report.py --count 1000 --no-tracemalloc

No database: the recommendations are built in memory, lazily, as the export's batched
loader would hand them over. They cycle through 500 distinct texts made before the
clock starts, so the time is the writer's: each has a ~2 kB Markdown body (a heading,
paragraphs with bold, italic and a link, a bulleted and a numbered list), two authors,
support by sector, a linked strategy and, for every third one, a ministry answer. The
report is written to a temporary file; prints the seconds, the file size and the peak
memory: max RSS of the process, and the tracemalloc peak from a second run under
tracemalloc (which slows Python down, and counts Python objects but not lxml's own
allocations). Run each count in its own process: max RSS is a high-water mark."""

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.exports.docx_report import write_docx  # noqa: E402
from app.exports.records import (  # noqa: E402
    AnswerRecord,
    AreaRecord,
    AuthorRecord,
    MeetingRecord,
    RecommendationRecord,
    Report,
    StrategyRecord,
)
from config import TestingConfig  # noqa: E402

AREAS = [f"G0{n}" for n in range(1, 8)]
CATEGORIES = [(f"R{n}", f"Kategoria {n}") for n in range(1, 6)]
VOCABULARY = (
    "rynek pracy kompetencje cyfrowe transformacja przedsiębiorstwa innowacje region "
    "współpraca uczelnie samorząd finansowanie szkolenia zatrudnienie dane analiza "
    "strategia wdrożenie monitorowanie wskaźniki partnerstwo inwestycje łańcuch dostaw "
    "energia klimat mieszkalnictwo mobilność usługi publiczne zamówienia ekonomia społeczna"
)
WORDS = VOCABULARY.split()
START = datetime(2025, 1, 1, 9, tzinfo=UTC)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(rng: random.Random) -> str:
    """About 2 kB of Markdown like a real recommendation's body."""

    def paragraph() -> str:
        return " ".join(sentence(rng, rng.randint(8, 14)) for _ in range(4))

    return "\n\n".join(
        [
            f"Wprowadzenie: **{sentence(rng, 3)}** {paragraph()}",
            "## Uzasadnienie",
            f"{paragraph()} *{sentence(rng, 4)}* Zob. [raport](https://example.org/r/{rng.random()}).",
            "\n".join(f"- {sentence(rng, 6)}" for _ in range(4)),
            "\n".join(f"{n}. {sentence(rng, 7)}" for n in range(1, 4)),
            paragraph(),
        ]
    )


@dataclass(frozen=True)
class Texts:
    title: str
    summary: str
    body: str
    expected_impact: str
    challenges: list[str]
    reasoning: str


def texts(count: int = 500, seed: int = 7) -> list[Texts]:
    """Distinct texts for the records to cycle through, made before the clock starts."""
    rng = random.Random(seed)
    return [
        Texts(
            title=sentence(rng, 7),
            summary=sentence(rng, 20),
            body=body(rng),
            expected_impact=sentence(rng, 15),
            challenges=[sentence(rng, 5), sentence(rng, 5)],
            reasoning=sentence(rng, 30),
        )
        for _ in range(count)
    ]


def recommendations(count: int, pool: list[Texts]) -> Iterator[RecommendationRecord]:
    """``count`` records in report order (area, category, number), made one at a time."""
    slots = [(a, c) for a in AREAS for c, _name in CATEGORIES]
    for index in range(count):
        area, category = slots[index * len(slots) // count]
        number = index + 1
        text = pool[index % len(pool)]
        yield RecommendationRecord(
            id=number,
            reference=f"{area}/{category}/{number}",
            area_code=area,
            area_title=f"Obszar {area}",
            category_code=category,
            category_name=f"Kategoria {category}",
            number=number,
            title=text.title,
            summary=text.summary,
            body=text.body,
            addressee="Ministerstwo Rozwoju i Technologii",
            expected_impact=text.expected_impact,
            status="agreed",
            status_label="Uzgodniona",
            created_at=START,
            updated_at=START,
            url=f"http://testserver/recommendations/{number}",
            authors=[
                AuthorRecord("Anna Nowak", "Uniwersytet Łódzki", "Nauka"),
                AuthorRecord("Jan Kowalski", "Izba Gospodarcza", "Biznes"),
            ],
            challenges=text.challenges,
            support_total=5,
            support_by_sector=[("Nauka", 3), ("Biznes", 2)],
            strategies=[
                StrategyRecord(
                    1, "Brno Smart Strategy", "Brno", "Czechia", "implements", "wdraża", [8, 9]
                )
            ],
            answers=[
                AnswerRecord(
                    "Ministerstwo Rozwoju i Technologii",
                    "accepted",
                    "Przyjęta",
                    text.reasoning,
                    START + timedelta(days=30),
                )
            ]
            if number % 3 == 0
            else [],
        )


def report(count: int, pool: list[Texts]) -> Report:
    return Report(
        title="Rekomendacje podgrupy ds. gospodarki i rynku pracy",
        generated_at=datetime.now(UTC),
        selection="",
        areas=[
            AreaRecord(code, f"Obszar {code}", "Opis obszaru.", [(1, "Wyzwanie", "Opis.")])
            for code in AREAS
        ],
        categories=CATEGORIES,
        recommendations=recommendations(count, pool),
        meetings=[
            MeetingRecord(
                id=n,
                title=f"Posiedzenie {n}",
                starts_at=START + timedelta(weeks=n),
                place="Warszawa",
                status="held",
                participants_by_sector=[("Nauka", 20), ("Biznes", 20)],
                participants=[(f"Osoba {i}", "Organizacja", "Nauka") for i in range(40)],
            )
            for n in range(12)
        ],
    )


def run(count: int, pool: list[Texts]) -> tuple[float, int]:
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        write_docx(report(count, pool), out)
        elapsed = time.perf_counter() - started
        return elapsed, out.tell()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="recommendations")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the second, traced run")
    args = parser.parse_args()
    pool = texts()
    with tempfile.TemporaryDirectory() as folder:

        class Bench(TestingConfig):
            INSTANCE_DIR = Path(folder)

        app = create_app(Bench)
        with app.app_context():
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            elapsed, size = run(args.count, pool)
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"{args.count} recommendations")
            print(f"time:      {elapsed:.1f} s ({1000 * elapsed / args.count:.2f} ms each)")
            print(f"file:      {size / 1e6:.1f} MB")
            print(
                f"max RSS:   {rss_after / 1024:.0f} MB "
                f"(+{(rss_after - rss_before) / 1024:.0f} MB over the {rss_before / 1024:.0f} MB "
                "of the app before writing)"
            )
            if not args.no_tracemalloc:
                tracemalloc.start()
                traced, _size = run(args.count, pool)
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                print(f"tracemalloc peak: {peak / 1e6:.1f} MB (that run took {traced:.1f} s)")


if __name__ == "__main__":
    main()
