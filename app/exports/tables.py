"""The tabular and JSON exports: CSV (streamed), XLSX (openpyxl write-only) and JSON.

CSV and XLSX share one column list, so a spreadsheet user sees the same
columns in either. JSON follows the versioned schema in ``schema.py``."""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.exports.records import RecommendationRecord, Report
from app.exports.schema import SCHEMA_ID, SCHEMA_VERSION
from app.meetings.calendar import WARSAW
from app.spreadsheets import safe_cell
from app.templating import CLASSIFICATION_LABELS, LEVEL_LABELS


def _joined(items: Iterable[str]) -> str:
    return "; ".join(item for item in items if item)


def _support(rec: RecommendationRecord) -> str:
    return _joined(f"{label}: {count}" for label, count in rec.support_by_sector)


def _strategies(rec: RecommendationRecord) -> str:
    return _joined(
        f"{s.title} ({s.place}, {s.country}; {s.relation_label})" for s in rec.strategies
    )


def _answers(rec: RecommendationRecord) -> str:
    return _joined(f"{a.ministry}: {a.verdict_label}" for a in rec.answers)


def _reasoning(rec: RecommendationRecord) -> str:
    return "\n\n".join(f"{a.ministry}: {a.reasoning}" for a in rec.answers if a.reasoning)


def _local(moment: datetime) -> str:
    return moment.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # a lazy string: translated when the file is written
    width: int
    value: Callable[[RecommendationRecord], object]


COLUMNS: tuple[Column, ...] = (
    Column("reference", _l("Number"), 12, lambda r: r.reference),
    Column("id", _l("Id"), 7, lambda r: r.id),
    Column("area", _l("Problem area"), 8, lambda r: r.area_code),
    Column("area_title", _l("Problem area title"), 30, lambda r: r.area_title),
    Column("category", _l("Category"), 8, lambda r: r.category_code),
    Column("category_name", _l("Category name"), 30, lambda r: r.category_name),
    Column("title", _l("Title"), 50, lambda r: r.title),
    Column("summary", _l("Summary"), 60, lambda r: r.summary),
    Column("body", _l("Content"), 80, lambda r: r.body),
    Column("addressee", _l("Addressee"), 30, lambda r: r.addressee),
    Column("expected_impact", _l("Expected impact"), 50, lambda r: r.expected_impact),
    Column("status", _l("Status"), 14, lambda r: r.status_label),
    Column("authors", _l("Authors"), 35, lambda r: _joined(a.name for a in r.authors)),
    Column("organisations", _l("Organisations"), 35, lambda r: _joined(r.organisations)),
    Column("challenges", _l("Challenges answered"), 50, lambda r: _joined(r.challenges)),
    Column("support", _l("Support"), 9, lambda r: r.support_total),
    Column("support_by_sector", _l("Support by sector"), 35, _support),
    Column("strategies", _l("Linked strategies"), 50, _strategies),
    Column("answer", _l("Ministry answer"), 30, _answers),
    Column("answer_reasoning", _l("Answer reasoning"), 60, _reasoning),
    Column("updated_at", _l("Last changed"), 17, lambda r: _local(r.updated_at)),
    Column("url", _l("Link"), 40, lambda r: r.url),
)


# --- CSV ------------------------------------------------------------------------------------


def csv_chunks(records: Iterator[RecommendationRecord], rows_per_chunk: int = 200):
    """The CSV as UTF-8 text chunks, BOM first so Excel reads Polish letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.header) for c in COLUMNS])
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, rec in enumerate(records, start=1):
        writer.writerow([safe_cell(c.value(rec)) for c in COLUMNS])
        if n % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


# --- JSON -----------------------------------------------------------------------------------


def record_as_json(rec: RecommendationRecord) -> dict:
    """One recommendation in the shape of the schema (shared with the JSON API)."""
    return {
        "id": rec.id,
        "reference": rec.reference,
        "problem_area": {"code": rec.area_code, "title": rec.area_title},
        "category": {"code": rec.category_code, "name": rec.category_name},
        "number": rec.number,
        "title": rec.title,
        "summary": rec.summary,
        "body": rec.body,
        "addressee": rec.addressee,
        "expected_impact": rec.expected_impact,
        "status": rec.status,
        "authors": [
            {"name": a.name, "organisation": a.organisation or None, "sector": a.sector or None}
            for a in rec.authors
        ],
        "challenges": rec.challenges,
        "support": {
            "total": rec.support_total,
            "by_sector": [{"sector": s, "count": n} for s, n in rec.support_by_sector],
        },
        "strategies": [
            {
                "id": s.id,
                "title": s.title,
                "place": s.place,
                "country": s.country,
                "relation": s.relation,
                "sdgs": s.sdgs,
            }
            for s in rec.strategies
        ],
        "answers": [
            {
                "ministry": a.ministry,
                "verdict": a.verdict,
                "reasoning": a.reasoning,
                "published_at": a.published_at.isoformat(),
            }
            for a in rec.answers
        ],
        "created_at": rec.created_at.isoformat(),
        "updated_at": rec.updated_at.isoformat(),
        "url": rec.url,
    }


def json_chunks(records: Iterator[RecommendationRecord], selection: dict, generated_at):
    """The JSON document, streamed: a header, then one recommendation at a time."""
    head = {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated_at.isoformat(),
        "selection": selection,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "recommendations": ['
    for n, rec in enumerate(records):
        yield ("," if n else "") + "\n" + json.dumps(record_as_json(rec), ensure_ascii=False)
    yield "\n]}\n"


# --- XLSX -----------------------------------------------------------------------------------


def _header_row(ws, headers):
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=str(header))
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cells.append(cell)
    return cells


def _prepare(ws, widths: list[int], rows: int):
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(rows, 1) + 1}"


def write_xlsx(report: Report, count: int, strategies: Iterable, out) -> None:
    """The workbook: recommendations (one row each), challenges, strategies."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Recommendations"))
    _prepare(ws, [c.width for c in COLUMNS], count)
    ws.append(_header_row(ws, [c.header for c in COLUMNS]))
    for rec in report.recommendations:
        ws.append([safe_cell(c.value(rec)) for c in COLUMNS])

    challenges = [
        (area.code, area.title, title, description)
        for area in report.areas
        for _id, title, description in area.challenges
    ]
    ws = wb.create_sheet(_("Challenges"))
    _prepare(ws, [8, 40, 60, 80], len(challenges))
    ws.append(
        _header_row(
            ws, [_("Problem area"), _("Problem area title"), _("Challenge"), _("Description")]
        )
    )
    for row in challenges:
        ws.append([safe_cell(v) for v in row])

    strategies = list(strategies)
    ws = wb.create_sheet(_("Strategies"))
    headers = [
        _("Id"),
        _("Title"),
        _("Original title"),
        _("Place"),
        _("Country"),
        _("Level"),
        _("Adopted"),
        _("Horizon"),
        _("SDGs"),
        _("Classification"),
        _("Source"),
    ]
    _prepare(ws, [7, 50, 50, 20, 8, 14, 9, 9, 20, 14, 40], len(strategies))
    ws.append(_header_row(ws, headers))

    for s in strategies:
        ws.append(
            [
                safe_cell(v)
                for v in (
                    s.id,
                    s.title_en or s.title_original,
                    s.title_original,
                    s.place,
                    s.country,
                    str(LEVEL_LABELS.get(s.level, s.level)),
                    s.adopted_year,
                    s.horizon_year,
                    ", ".join(
                        str(g.goal_number) for g in sorted(s.sdgs, key=lambda g: g.goal_number)
                    ),
                    str(CLASSIFICATION_LABELS.get(s.status, s.status)),
                    s.source_url,
                )
            ]
        )
    wb.save(out)
