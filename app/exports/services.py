"""Making export files and recording them: shared by the web, the CLI and packages."""

import hashlib
from collections.abc import Iterator
from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.database import utcnow
from app.exports import pdf_report, records, tables
from app.exports.docx_report import write_docx
from app.exports.selection import Selection
from app.extensions import db

#: format -> (media type, file extension)
FORMATS = {
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv", "csv"),  # Flask adds "; charset=utf-8" to text types
    "json": ("application/json", "json"),
    "pdf": ("application/pdf", "pdf"),
}


class EmptySelection(Exception):
    """The filters match no recommendation the person may see."""


def selected_ids(selection: Selection) -> list[int]:
    ids = records.ordered_ids(selection.query())
    if not ids:
        raise EmptySelection(
            _(
                "No recommendation matches these filters, so there is nothing to export. "
                "Change the filters and try again."
            )
        )
    return ids


def report_for(
    ids: list[int],
    selection_text: str,
    *,
    title: str | None = None,
    cover_letter: str = "",
    addressee: str = "",
    generated_at: datetime | None = None,
) -> records.Report:
    return records.Report(
        title=title or _("Recommendations of the subgroup for the economy and the labour market"),
        generated_at=generated_at or utcnow(),
        selection=selection_text,
        areas=records.areas_with_challenges(),
        categories=records.categories(),
        recommendations=records.iter_records(ids),
        meetings=records.held_meetings(),
        cover_letter=cover_letter,
        addressee=addressee,
    )


def text_chunks(fmt: str, report: records.Report, selection: dict) -> Iterator[str]:
    """CSV or JSON as text chunks (streamed to the browser, or written by the CLI)."""
    if fmt == "csv":
        return tables.csv_chunks(report.recommendations)
    return tables.json_chunks(report.recommendations, selection, report.generated_at)


def write_file(fmt: str, report: records.Report, count: int, selection: dict, out) -> str:
    """Write the file in ``fmt`` to the binary file ``out``; return its SHA-256."""
    digest = _HashingWriter(out)
    if fmt == "docx":
        write_docx(report, digest)
    elif fmt == "pdf":
        pdf_report.write_pdf(report, digest)
    elif fmt == "xlsx":
        tables.write_xlsx(report, count, records.strategies_sheet(), digest)
    else:
        for chunk in text_chunks(fmt, report, selection):
            digest.write(chunk.encode("utf-8"))
    return digest.hexdigest()


class _HashingWriter:
    """A write-only file that hashes what passes through it.

    openpyxl and python-docx write zip files, which seek back to fix headers; so
    this writes to ``out`` and hashes the finished file from ``out`` afterwards
    when ``out`` can be re-read, and hashes on the fly otherwise."""

    def __init__(self, out):
        self.out = out
        self.start = out.tell() if out.seekable() else None
        self.sha = hashlib.sha256()
        self.streamed = self.start is None

    def write(self, data: bytes) -> int:
        if self.streamed:
            self.sha.update(data)
        return self.out.write(data)

    def __getattr__(self, name):  # seek, tell, flush ... go to the real file
        return getattr(self.out, name)

    def hexdigest(self) -> str:
        if self.streamed:
            return self.sha.hexdigest()
        self.out.flush()
        end = self.out.tell()
        self.out.seek(self.start)
        sha = hashlib.sha256()
        while block := self.out.read(1 << 20):
            sha.update(block)
        self.out.seek(end)
        return sha.hexdigest()


def record_export(
    actor, fmt: str, selection: Selection, count: int, sha256: str, via: str, commit=False
):
    """The audit trail of every export: who, which filters, how many, the file's hash.

    With ``commit``, the reading transaction is ended first and the event written in a
    short one of its own: on SQLite a read transaction that another process wrote under
    cannot turn into a write, and the audit row must not be lost to that."""
    if commit:
        db.session.commit()
    audit.record(
        actor,
        "export.downloaded",
        "export",
        format=fmt,
        filters=selection.as_args(),
        count=count,
        sha256=sha256,
        via=via,
    )
    if commit:
        db.session.commit()
