"""Time and memory of the PDF/A report against the DOCX report of the same records.

    .venv/bin/python bench/pdf_report.py                     # 50, 100, 200, 400
    .venv/bin/python bench/pdf_report.py --counts 100 1000

The records are those of ``bench/docx_report.py`` (no database). For each count, in one
process and one after the other, the DOCX writer (the floor: it writes one record at a
time) and the PDF writer (HTML through Jinja, then WeasyPrint's layout of the whole
document) run over the same records; prints the seconds, the ratio, the pages, the
file sizes, and the growth of the process's peak memory during the PDF."""

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402

from app import create_app  # noqa: E402
from app.exports.docx_report import write_docx  # noqa: E402
from app.exports.pdf_report import write_pdf  # noqa: E402
from bench.docx_report import report, texts  # noqa: E402
from config import TestingConfig  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[50, 100, 200, 400])
    args = parser.parse_args()
    pool = texts()
    with tempfile.TemporaryDirectory() as folder:

        class Bench(TestingConfig):
            INSTANCE_DIR = Path(folder)

        app = create_app(Bench)
        with app.test_request_context():
            print("count  docx s  pdf s  pdf/docx  pages  s/page  docx kB  pdf kB  peak MB")
            for count in args.counts:
                docx = io.BytesIO()
                started = time.perf_counter()
                write_docx(report(count, pool), docx)
                docx_seconds = time.perf_counter() - started
                pdf = io.BytesIO()
                started = time.perf_counter()
                write_pdf(report(count, pool), pdf)
                pdf_seconds = time.perf_counter() - started
                pages = len(PdfReader(io.BytesIO(pdf.getvalue())).pages)
                print(
                    f"{count:5d}  {docx_seconds:6.2f}  {pdf_seconds:5.1f}  "
                    f"{pdf_seconds / docx_seconds:8.0f}  {pages:5d}  {pdf_seconds / pages:6.3f}  "
                    f"{len(docx.getvalue()) // 1024:7d}  {len(pdf.getvalue()) // 1024:6d}  "
                    f"{peak_mb():7.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
