"""Demo materials: the expert's talk on Copenhagen as a document on its agenda item, and
a table of indicators on an agreed recommendation, made here (no files are shipped).
Created once, through the services, so they are stored and audited like uploads."""

import io

from docx import Document
from openpyxl import Workbook
from sqlalchemy import select

from app.attachments import services
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


def _has(owner_type: str, owner_id: int, title: str) -> bool:
    return (
        db.session.scalar(
            select(Attachment.id).where(
                Attachment.owner_type == owner_type,
                Attachment.owner_id == owner_id,
                Attachment.title == title,
            )
        )
        is not None
    )


def load(report, facilitator) -> None:
    if facilitator is None:
        return
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.title == TALK))
    title = "Kopenhaga – notatka z wystąpienia"
    if item is not None and not _has("agenda-item", item.id, title):
        services.attach(
            item,
            facilitator,
            [services.Upload("kopenhaga-notatka.docx", io.BytesIO(_talk_notes()))],
            title=title,
            description="Najważniejsze punkty wystąpienia o Kopenhadze.",
        )
        report.count("created", "attachments")
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.status == "agreed").order_by(Recommendation.id)
    )
    title = "Wskaźniki do monitorowania"
    if rec is not None and not _has("recommendation", rec.id, title):
        services.attach(
            rec,
            facilitator,
            [services.Upload("wskazniki.xlsx", io.BytesIO(_indicators()))],
            title=title,
        )
        report.count("created", "attachments")
