"""The report as PDF/A (``templates/pdf/report.html``): the same chapters as the DOCX.

Unlike the DOCX, which is written one recommendation at a time, a PDF is laid out whole
(its contents give each recommendation's page), so its time and memory grow with the
selection: the web offers it up to ``PDF_MAX_RECOMMENDATIONS``, and ``flask export
--format pdf`` and packages (built in the background) take any size."""

from dataclasses import dataclass, field
from typing import BinaryIO

from flask import render_template
from flask_babel import get_locale

from app import pdf
from app.exports.records import AreaRecord, RecommendationRecord, Report


@dataclass
class Chapter:
    area: AreaRecord
    recommendations: list[RecommendationRecord] = field(default_factory=list)


def chapters(report: Report) -> list[Chapter]:
    """A chapter per problem area, in the areas' order, each with its recommendations in
    the report's order; an area the report does not list still gets one."""
    found = {area.code: Chapter(area) for area in report.areas}
    for rec in report.recommendations:
        chapter = found.setdefault(
            rec.area_code, Chapter(AreaRecord(rec.area_code, rec.area_title, "", []))
        )
        chapter.recommendations.append(rec)
    return list(found.values())


def write_pdf(report: Report, out: BinaryIO) -> None:
    """Write ``report`` as a PDF/A to ``out`` (needs an app and a request context)."""
    html = render_template(
        "pdf/report.html",
        report=report,
        chapters=chapters(report),
        categories=dict(report.categories),
        meetings=list(report.meetings),
        language=str(get_locale() or "pl"),
        author=pdf.AUTHOR,
    )
    out.write(pdf.render(html))
