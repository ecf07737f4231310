"""Demo materials: the expert's talk on Copenhagen as a document on its agenda item, and
a table of indicators on an agreed recommendation, made here (no files are shipped).
Created once, through the services, so they are stored and audited like uploads."""

import io

from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from app.attachments import owners, services
from app.attachments.models import Attachment
from app.extensions import db
from app.meetings.models import AgendaItem
from app.recommendations.models import Recommendation

TALK = "Smart City – Kopenhaga jako studium przypadku"
TALK_POINTS = (
    "Kopenhaga łączy cele klimatyczne z rozwojem rynku pracy: neutralność "
    "węglowa stała się programem inwestycji i zamówień dla lokalnych firm.",
    "Dane miejskie są otwarte, a partnerstwa z uczelniami zamieniają je w usługi.",
    "Wnioski dla polskich miast: zacząć od jednego mierzalnego celu, budować "
    "kompetencje w urzędzie i mierzyć efekty dla mieszkańców.",
)


def _talk_notes() -> bytes:
    document = Document()
    document.add_heading(TALK, level=1)
    document.add_paragraph("Notatka z wystąpienia eksperta (materiał demonstracyjny).")
    for point in TALK_POINTS:
        document.add_paragraph(point, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _indicators() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Wskaźniki"
    sheet.append(["Wskaźnik", "Wartość bazowa", "Cel 2030"])
    sheet.append(["Absolwenci pozostający w mieście po 12 miesiącach (%)", 41, 55])
    sheet.append(["Oferty pracy dla absolwentów w portalu miejskim", 120, 400])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _attach_once(report, obj, user, filename: str, make, title: str, description="") -> None:
    """Attach ``make()``'s bytes to ``obj`` unless a material of that title is there."""
    if obj is None:
        return
    exists = db.session.scalar(
        select(Attachment.id).where(
            Attachment.owner_type == owners.of(obj).kind,
            Attachment.owner_id == obj.id,
            Attachment.title == title,
        )
    )
    if exists is None:
        services.attach(
            obj,
            user,
            [services.Upload(filename, io.BytesIO(make()))],
            title=title,
            description=description,
        )
        report.count("created", "attachments")


def load(report, facilitator) -> None:
    if facilitator is None:
        return
    _attach_once(
        report,
        db.session.scalar(select(AgendaItem).where(AgendaItem.title == TALK)),
        facilitator,
        "kopenhaga-notatka.docx",
        _talk_notes,
        "Kopenhaga – notatka z wystąpienia",
        "Najważniejsze punkty wystąpienia o Kopenhadze.",
    )
    _attach_once(
        report,
        db.session.scalar(
            select(Recommendation)
            .where(Recommendation.status == "agreed")
            .order_by(Recommendation.id)
        ),
        facilitator,
        "wskazniki.xlsx",
        _indicators,
        "Wskaźniki do monitorowania",
    )
