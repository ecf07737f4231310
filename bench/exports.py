"""Export files for many recommendations: time, size and peak memory per format.

    .venv/bin/python bench/exports.py                  # 10,000 recommendations, SQLite
    .venv/bin/python bench/exports.py --n 2000 --formats csv,xlsx
    DATABASE_URL=postgresql://... .venv/bin/python bench/exports.py   # an empty database!

Builds a database once (migrations, reference data, `--n` recommendations from
`seeds/scale.py`, about 2 kB of Markdown each), then makes each file in its own
process, through the same code as `flask export`, so that each peak memory
figure (the process's maximum resident set) belongs to that format alone. The
"baseline" line is a process that loads the app and the ids and writes nothing.

"docx floor" is what any Word report of these records costs at least: the same records
loaded the same way, each one's text as plain paragraphs (title, summary, every line
of the body, addressee, expected impact, authors) built as bare lxml ``w:p`` elements,
serialised and deflated into ``word/document.xml`` of a zip. No Markdown, no styles,
no tables. Its paragraph count is printed beside the report's, so the two can be
compared."""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig, _normalise_db_url  # noqa: E402

BODY = (
    "## Uzasadnienie\n\n"
    + "Miasta średniej wielkości tracą absolwentów na rzecz metropolii. " * 6
    + "\n\n## Proponowane działania\n\n"
    + "".join(f"- działanie {i}: **wsparcie** dla *powrotów* i pracy zdalnej\n" for i in range(8))
    + "\n1. pilotaż w trzech miastach\n2. ocena po roku\n3. upowszechnienie\n\n"
    + "Więcej w [raporcie](https://example.org/raport). " * 20
)


def make_app(url: str, tmp: Path):
    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        INSTANCE_DIR = tmp

    return create_app(Bench)


def build(url: str, tmp: Path, n: int) -> None:
    app = make_app(url, tmp)
    with app.app_context():
        from seeds.loader import load_reference
        from seeds.scale import generate
        from tests.conftest import reset_database

        reset_database(db.engine)
        flask_migrate.upgrade()
        load_reference()
        generate(n)
        # The generator writes short bodies; a real recommendation is ~2 kB of Markdown.
        db.session.execute(text("UPDATE recommendations SET body = :body"), {"body": BODY})
        db.session.commit()
        db.engine.dispose()


def one_format(url: str, tmp: Path, fmt: str) -> None:
    """Runs in a child process: make one file and print its figures."""
    from app.exports import selection, services

    app = make_app(url, tmp)
    with app.test_request_context(base_url="http://127.0.0.1:5000"):
        chosen = selection.parse({}, None)
        started = time.perf_counter()
        ids = services.selected_ids(chosen)
        paragraphs = ""
        if fmt == "floor":
            report = services.report_for(ids, chosen.describe())
            with open(tmp / f"bench.{fmt}", "wb") as out:
                paragraphs = f"  {_docx_floor(report.recommendations, out):7d} paragraphs"
        elif fmt != "baseline":
            report = services.report_for(ids, chosen.describe())
            with open(tmp / f"bench.{fmt}", "w+b") as out:
                services.write_file(fmt, report, len(ids), {}, out)
        elapsed = time.perf_counter() - started
    size = (tmp / f"bench.{fmt}").stat().st_size if fmt != "baseline" else 0
    peak = _high_water_mb()  # before the paragraphs are counted, which takes memory too
    if fmt == "docx":
        paragraphs = f"  {_paragraphs_in(tmp / 'bench.docx'):7d} paragraphs"
    label = "docx floor" if fmt == "floor" else fmt
    print(
        f"{label:10} {len(ids):7d} recs  {elapsed:7.2f} s  {size / 1e6:7.1f} MB  "
        f"{peak:7.0f} MB peak RSS{paragraphs}"
    )


def _docx_floor(recommendations, out) -> int:
    """The bare floor described above; returns the number of paragraphs written."""
    from lxml import etree

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    p_tag, r_tag, t_tag = f"{{{w}}}p", f"{{{w}}}r", f"{{{w}}}t"
    count = 0
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package,
        package.open("word/document.xml", "w") as document,
    ):
        document.write(f'<w:document xmlns:w="{w}"><w:body>'.encode())
        for rec in recommendations:
            body = etree.Element(f"{{{w}}}body", nsmap={"w": w})
            texts = [f"{rec.reference} {rec.title}", rec.summary]
            texts += [line for line in rec.body.splitlines() if line.strip()]
            texts += [rec.addressee, rec.expected_impact]
            texts += [f"{a.name}, {a.organisation}" for a in rec.authors]
            for text in texts:
                paragraph = etree.SubElement(body, p_tag)
                etree.SubElement(etree.SubElement(paragraph, r_tag), t_tag).text = text
            count += len(texts)
            for paragraph in body:
                document.write(etree.tostring(paragraph))
        document.write(b"</w:body></w:document>")
    return count


def _paragraphs_in(path: Path) -> int:
    """Paragraphs of a .docx: its document.xml's ``w:p`` elements."""
    from lxml import etree

    tag = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
    count = 0
    with zipfile.ZipFile(path) as package, package.open("word/document.xml") as document:
        for _event, element in etree.iterparse(document, tag=tag):
            count += 1
            element.clear()
    return count


def _high_water_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux carries that over
    from the parent through fork and exec, so every child would report the builder's."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--formats", default="baseline,csv,json,xlsx,docx,floor")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        one_format(os.environ["BENCH_DB"], Path(args.tmp), args.child)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = _normalise_db_url(os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}")
        started = time.perf_counter()
        build(url, tmp, args.n)
        print(f"built {args.n} recommendations in {time.perf_counter() - started:.1f} s")
        for fmt in args.formats.split(","):
            subprocess.run(
                [sys.executable, __file__, "--child", fmt, "--tmp", str(tmp)],
                check=True,
                env={**os.environ, "BENCH_DB": url},
            )


if __name__ == "__main__":
    main()
