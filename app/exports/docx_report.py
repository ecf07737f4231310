"""The DOCX report for a ministry: title page, contents, a chapter per problem area,
meetings. What goes where is decided here; ``docx_writer`` turns it into the file
one recommendation at a time, so time is linear and the memory held does not grow
with the number of recommendations."""

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO
from zoneinfo import ZoneInfo

from docx import Document
from flask_babel import gettext as _

from app.exports.docx_markdown import MarkdownBlocks
from app.exports.docx_writer import (
    BOLD,
    DOCUMENT_PART,
    ITALIC,
    NUMBERING_PART,
    Body,
    Numbering,
    as_utc,
    clean,
    paragraphs,
    repeat_as_header,
    set_up,
    skeleton,
    style_ids,
    text_width,
)
from app.exports.records import (
    AnswerRecord,
    AreaRecord,
    MeetingRecord,
    RecommendationRecord,
    Report,
    StrategyRecord,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def write_docx(report: Report, out: BinaryIO) -> None:
    """Write ``report`` as a .docx to the binary file ``out``, which need not be seekable.

    Reads ``report.recommendations`` once. Needs an app context (the labels go
    through gettext in the current locale). If it raises, ``out`` holds a partial
    file: write to a temporary file and move it into place."""
    document = Document()
    set_up(document, report)
    numbering = Numbering(document)
    body = Body(style_ids(document), numbering, text_width(document))
    layout = _Layout(body, _Texts.current(), dict(report.categories))
    head, tail, parts = skeleton(document)
    numbering_source = b""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            if name == DOCUMENT_PART:
                with archive.open(name, "w") as stream:
                    stream.write(head)
                    for chunk in layout.chunks(report):
                        stream.write(chunk)
                    stream.write(tail)
            elif name == NUMBERING_PART:
                # Written last: the body adds a numbering instance per ordered list.
                numbering_source = data
            else:
                archive.writestr(name, data)
        with archive.open(NUMBERING_PART, "w") as stream:
            numbering.write(stream, numbering_source)


@dataclass(frozen=True)
class _Texts:
    """The report's fixed wording, translated once per file rather than per record."""

    contents: str
    update_contents: str
    challenges: str
    no_recommendations: str
    status: str
    authors: str
    addressee: str
    support: str
    challenges_answered: str
    expected_impact: str
    strategies: str
    answers: str
    annex: str
    no_meetings: str
    place: str
    participants_by_sector: str
    name: str
    organisation: str
    sector: str

    @classmethod
    def current(cls) -> "_Texts":
        return cls(
            contents=_("Table of contents"),
            update_contents=_(
                "The table of contents has not been built yet: right-click here and "
                "choose “Update field” (or press F9)."
            ),
            challenges=_("Challenges"),
            no_recommendations=_(
                "There are no recommendations for this problem area in this selection."
            ),
            status=_("Status"),
            authors=_("Authors"),
            addressee=_("Addressee"),
            support=_("Support"),
            challenges_answered=_("Challenges answered"),
            expected_impact=_("Expected impact"),
            strategies=_("Linked strategies"),
            answers=_("Ministry answers"),
            annex=_("Annex: meetings"),
            no_meetings=_("No meetings have been held."),
            place=_("Place"),
            participants_by_sector=_("Participants by sector"),
            name=_("Name"),
            organisation=_("Organisation"),
            sector=_("Sector"),
        )


class _Layout:
    """What goes where: the report's sections, in order, as chunks of body XML."""

    def __init__(self, body: "Body", texts: _Texts, categories: dict[str, str]):
        self.body = body
        self.texts = texts
        self.categories = categories
        self.markdown = MarkdownBlocks(body)

    def chunks(self, report: Report) -> Iterator[bytes]:
        self.title_page(report)
        self.contents()
        yield self.body.take()
        areas = report.areas
        done = 0  # areas[:done] have their chapter
        area_code = category_code = None
        for rec in report.recommendations:
            if rec.area_code != area_code:
                found = next(
                    (i for i in range(done, len(areas)) if areas[i].code == rec.area_code), None
                )
                if found is None:  # an area the report does not list: still give it a chapter
                    self.area(AreaRecord(rec.area_code, rec.area_title, "", []))
                else:
                    for empty in areas[done:found]:
                        self.area(empty)
                        self.body.paragraph(text=self.texts.no_recommendations)
                        yield self.body.take()
                    self.area(areas[found])
                    done = found + 1
                area_code, category_code = rec.area_code, None
            if rec.category_code != category_code:
                name = self.categories.get(rec.category_code, rec.category_name)
                self.body.heading(2, f"{rec.category_code} {name}")
                category_code = rec.category_code
            self.recommendation(rec)
            yield self.body.take()
        for empty in areas[done:]:
            self.area(empty)
            self.body.paragraph(text=self.texts.no_recommendations)
            yield self.body.take()
        yield from self.annex(report.meetings)
        self.body.end()
        yield self.body.take()

    def title_page(self, report: Report) -> None:
        body = self.body
        body.paragraph("Title", report.title)
        if report.addressee:
            body.paragraph(text=_("To: %(addressee)s", addressee=report.addressee))
        body.paragraph(
            text=_("Generated on %(moment)s", moment=_local(report.generated_at, "%Y-%m-%d %H:%M"))
        )
        if report.selection:
            body.paragraph(text=_("Selection: %(selection)s", selection=report.selection))
        if report.cover_letter:
            self.markdown.render(report.cover_letter)
        body.page_break()

    def contents(self) -> None:
        self.body.paragraph("TOC Heading", self.texts.contents)
        self.body.toc_field(self.texts.update_contents)
        self.body.page_break()

    def area(self, area: AreaRecord) -> None:
        body = self.body
        body.heading(1, f"{area.code} {area.title}")
        for text in paragraphs(area.description):
            body.paragraph(text=text)
        if area.challenges:
            body.heading(2, self.texts.challenges)
            for _id, title, description in area.challenges:
                p = body.paragraph("List Bullet", title, BOLD)
                if description.strip():
                    p.run(" — " + " ".join(description.split()))

    def recommendation(self, rec: RecommendationRecord) -> None:
        body, texts = self.body, self.texts
        body.heading(3, f"{rec.reference} {rec.title}")
        facts = [(texts.status, rec.status_label)]
        if rec.authors:
            facts.append((texts.authors, ", ".join(_author(a) for a in rec.authors)))
        if rec.addressee:
            facts.append((texts.addressee, rec.addressee))
        facts.append((texts.support, _support(rec)))
        if rec.challenges:
            facts.append((texts.challenges_answered, "; ".join(rec.challenges)))
        body.labelled(facts)
        if rec.summary.strip():
            body.paragraph(text=rec.summary.strip(), fmt=ITALIC)
        self.markdown.render(rec.body)
        if rec.expected_impact.strip():
            body.labelled([(texts.expected_impact, rec.expected_impact.strip())])
        if rec.strategies:
            body.paragraph(text=texts.strategies, fmt=BOLD)
            for strategy in rec.strategies:
                body.paragraph("List Bullet", _strategy(strategy))
        if rec.answers:
            body.paragraph(text=texts.answers, fmt=BOLD)
            for answer in rec.answers:
                self.answer(answer)

    def answer(self, answer: AnswerRecord) -> None:
        p = self.body.paragraph(text=answer.ministry, fmt=BOLD)
        p.run(f" — {answer.verdict_label}, {_local(answer.published_at, '%Y-%m-%d')}")
        for text in paragraphs(answer.reasoning):
            self.body.paragraph(text=text)

    def annex(self, meetings: Iterable[MeetingRecord]) -> Iterator[bytes]:
        """The meetings held, each handed out as soon as it is written: their tables of
        participants grow with the subgroup's history."""
        body, texts = self.body, self.texts
        body.heading(1, texts.annex)
        written = False
        for meeting in meetings:
            written = True
            yield body.take()
            body.heading(2, f"{_local(meeting.starts_at, '%Y-%m-%d')} {meeting.title}")
            facts = []
            if meeting.place:
                facts.append((texts.place, meeting.place))
            if meeting.participants_by_sector:
                by_sector = ", ".join(f"{s}: {n}" for s, n in meeting.participants_by_sector)
                facts.append((texts.participants_by_sector, by_sector))
            if facts:
                body.labelled(facts)
            if meeting.participants:
                self.participants(meeting.participants)
        if not written:
            body.paragraph(text=texts.no_meetings)

    def participants(self, people: list[tuple[str, str, str]]) -> None:
        texts = self.texts
        table = self.body.table(3)
        header = table.add_row()
        repeat_as_header(header._tr)
        for cell, label in zip(
            header.cells, (texts.name, texts.organisation, texts.sector), strict=True
        ):
            cell.paragraphs[0].add_run(label).bold = True
        for person in people:
            for cell, value in zip(table.add_row().cells, person, strict=True):
                cell.text = clean(value)


def _local(moment: datetime, pattern: str) -> str:
    return as_utc(moment).astimezone(WARSAW).strftime(pattern)


def _author(author) -> str:
    return f"{author.name} ({author.organisation})" if author.organisation else author.name


def _support(rec: RecommendationRecord) -> str:
    if not rec.support_by_sector:
        return str(rec.support_total)
    by_sector = ", ".join(f"{label}: {count}" for label, count in rec.support_by_sector)
    return f"{rec.support_total} ({by_sector})"


def _strategy(strategy: StrategyRecord) -> str:
    where = ", ".join(part for part in (strategy.place, strategy.country) if part)
    line = f"{strategy.title} ({where})" if where else strategy.title
    line = f"{line} — {strategy.relation_label}"
    if strategy.sdgs:
        goals = ", ".join(str(goal) for goal in strategy.sdgs)
        line += "; " + _("SDG %(goals)s", goals=goals)
    return line
