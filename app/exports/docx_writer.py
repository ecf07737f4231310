"""The streaming .docx writer under the ministry report (``docx_report``).

python-docx appends every block by searching the body for its closing ``w:sectPr``, so
a report built with ``add_paragraph`` grows with the square of its length (DESIGN §7:
95 s for 10,000 recommendations). Here python-docx only supplies the package (styles,
numbering, settings, page set-up); the body is built apart and streamed into
``word/document.xml`` inside the zip. This module holds those building blocks:
paragraphs, runs, tables and numbering.

Paragraphs and runs, nearly all of a report, are written as XML text: building each
as lxml elements cost ten times as much, and a report of 10,000 recommendations has
200,000 paragraphs. Tables are lxml elements made with python-docx's table API."""

import re
import zipfile
from array import array
from collections.abc import Iterable
from datetime import UTC, datetime
from io import BytesIO
from typing import BinaryIO

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.table import CT_Tbl
from docx.shared import Mm
from docx.table import Table
from lxml import etree

from app.exports.records import (
    Report,
)
from app.i18n import current_language

DOCUMENT_PART = "word/document.xml"
NUMBERING_PART = "word/numbering.xml"
#: Stands where the body goes in the skeleton's document.xml, just before ``w:sectPr``.
BODY_MARKER = " report body "

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w_name(name: str) -> str:
    return f"{{{W}}}{name}"


# Element names for the runs of table cells, which python-docx builds as elements.
R, RPR, T, BR, TAB, RFONTS = map(w_name, ("r", "rPr", "t", "br", "tab", "rFonts"))
BOLD_TAG, ITALIC_TAG, STRIKE_TAG = map(w_name, ("b", "i", "strike"))
MONOSPACE = {
    w_name("ascii"): "Courier New",
    w_name("hAnsi"): "Courier New",
    w_name("cs"): "Courier New",
}

#: Run formatting, as bits.
BOLD, ITALIC, MONO, STRIKE = 1, 2, 4, 8

#: What may follow w:updateFields in w:settings (ECMA-376 order, which Word enforces).
AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)

TOC_INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '

#: Every style the report uses; all are in python-docx's default template, so the
#: ministry can restyle the whole report from Word's style pane.
STYLES = (
    "Title",
    "TOC Heading",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Heading 5",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "List Continue",
    "List Continue 2",
    "Quote",
    "Table Grid",
)

# XML 1.0 refuses these; user text is pasted from anywhere. \r goes too (\r\n -> \n).
_NOT_XML = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"(\n|\t)")
_BLANK_LINES = re.compile(r"\n\s*\n")


class Body:
    """Body blocks built apart from the document and handed out as serialised XML."""

    def __init__(self, styles: dict[str, str], numbering: "Numbering", table_width: int):
        self.styles = styles
        self.numbering = numbering
        self.table_width = table_width
        #: Paragraphs and tables since the last ``take``, in order.
        self._blocks: list[Paragraph | etree._Element] = []
        self._after_table = False

    def take(self) -> bytes:
        """The blocks built since the last call, as XML, leaving none behind."""
        pieces = []
        for block in self._blocks:
            if block.__class__ is Paragraph:
                pieces.append(block.xml())
            else:
                pieces.append(_element_xml(block))
        self._blocks = []
        return "".join(pieces).encode()

    def paragraph(
        self, style: str | None = None, text: str = "", fmt: int = 0, num_id: int | None = None
    ) -> "Paragraph":
        p = Paragraph(self.styles[style] if style else None, num_id)
        self._blocks.append(p)
        if text:
            p.run(text, fmt)
        self._after_table = False
        return p

    def restyle(self, p: "Paragraph", style: str) -> None:
        """Give paragraph ``p`` another style."""
        p.style_id = self.styles[style]

    def heading(self, level: int, text: str) -> "Paragraph":
        return self.paragraph(f"Heading {level}", " ".join(text.split()))

    def labelled(self, facts: Iterable[tuple[str, str]]) -> "Paragraph":
        """One paragraph of "Label: value" lines."""
        p = self.paragraph()
        for index, (label, value) in enumerate(facts):
            if index:
                p.line_break()
            p.run(f"{label}: ", BOLD)
            p.run(value)
        return p

    def page_break(self) -> None:
        self.paragraph().runs.append('<w:r><w:br w:type="page"/></w:r>')

    def toc_field(self, placeholder: str) -> None:
        """A real TOC field; Word fills it in when the fields are updated."""
        p = self.paragraph()
        p.runs.append(
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{_text(TOC_INSTRUCTION)}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        )
        p.run(placeholder, ITALIC)
        p.runs.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')

    def table(self, columns: int) -> Table:
        """An empty "Table Grid" table over the text width; fill it with ``add_row()``."""
        if self._after_table:  # two tables in a row would merge into one
            self.paragraph()
        tbl = CT_Tbl.new_tbl(0, columns, self.table_width)
        tbl.tblPr.style = self.styles["Table Grid"]
        self._blocks.append(tbl)
        self._after_table = True
        # Detached, the table has no story part; only the row and cell API is used.
        return Table(tbl, None)

    def end(self) -> None:
        """Word wants the body to end with a paragraph, not a table."""
        if self._after_table:
            self.paragraph()


class Paragraph:
    """A body paragraph being written: its style, its list numbering and its runs as XML
    text; serialised when the body is taken."""

    __slots__ = ("style_id", "num_id", "runs")

    def __init__(self, style_id: str | None = None, num_id: int | None = None):
        self.style_id = style_id
        self.num_id = num_id
        self.runs: list[str] = []

    def run(self, text: str, fmt: int = 0) -> None:
        self.runs.append(run_xml(text, fmt))

    def line_break(self) -> None:
        self.runs.append("<w:r><w:br/></w:r>")

    def xml(self) -> str:
        properties = ""
        if self.style_id or self.num_id:
            style = f'<w:pStyle w:val="{_attribute(self.style_id)}"/>' if self.style_id else ""
            numbering = (
                f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{self.num_id}"/></w:numPr>'
                if self.num_id
                else ""
            )
            properties = f"<w:pPr>{style}{numbering}</w:pPr>"
        inside = properties + "".join(self.runs)
        return f"<w:p>{inside}</w:p>" if inside else "<w:p/>"


class CellParagraph:
    """A table cell's paragraph (an lxml element from python-docx), written to through
    the same calls as ``Paragraph``."""

    __slots__ = ("p",)

    def __init__(self, p: etree._Element):
        self.p = p

    def run(self, text: str, fmt: int = 0) -> None:
        run(self.p, text, fmt)

    def line_break(self) -> None:
        etree.SubElement(etree.SubElement(self.p, R), BR)


_MONOSPACE_XML = '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>'
#: A run's properties as XML, by formatting bits (children in the schema's order).
_RUN_PROPERTIES = {
    fmt: (
        "<w:rPr>"
        + (_MONOSPACE_XML if fmt & MONO else "")
        + ("<w:b/>" if fmt & BOLD else "")
        + ("<w:i/>" if fmt & ITALIC else "")
        + ("<w:strike/>" if fmt & STRIKE else "")
        + "</w:rPr>"
        if fmt
        else ""
    )
    for fmt in range(16)
}


def run_xml(text: str, fmt: int = 0) -> str:
    """A run of ``text`` (line breaks and tabs as Word's) in formatting ``fmt``, as XML:
    what ``run`` builds as elements."""
    text = clean(text)
    if "\n" not in text and "\t" not in text:
        return f"<w:r>{_RUN_PROPERTIES[fmt]}{_t_xml(text)}</w:r>"
    pieces = []
    for piece in _BREAKS.split(text):
        if piece == "\n":
            pieces.append("<w:br/>")
        elif piece == "\t":
            pieces.append("<w:tab/>")
        elif piece:
            pieces.append(_t_xml(piece))
    return f"<w:r>{_RUN_PROPERTIES[fmt]}{''.join(pieces)}</w:r>"


def _t_xml(text: str) -> str:
    if text != text.strip():
        return f'<w:t xml:space="preserve">{_text(text)}</w:t>'
    return f"<w:t>{_text(text)}</w:t>" if text else "<w:t/>"


def _text(text: str) -> str:
    """Text escaped as element content, as lxml writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _element_xml(element: etree._Element) -> str:
    """A table built with python-docx, as XML under the document's own w prefix."""
    wrapper = container()
    wrapper.append(element)
    xml = etree.tostring(wrapper, encoding="unicode")
    # Drop the wrapper's tags: the table goes inside the document's w:body, which
    # declares the same w prefix.
    return xml[xml.index(">") + 1 : -len("</w:body>")]


def container() -> etree._Element:
    # Made by python-docx's parser, so that python-docx's element classes (and with them
    # its table API) apply to what is built inside.
    return OxmlElement("w:body", nsdecls={"w": W})


def run(p: etree._Element, text: str, fmt: int = 0) -> etree._Element:
    r = etree.SubElement(p, R)
    if fmt:
        rpr = etree.SubElement(r, RPR)
        # Children in the schema's order: rFonts, b, i, strike.
        if fmt & MONO:
            etree.SubElement(rpr, RFONTS, MONOSPACE)
        if fmt & BOLD:
            etree.SubElement(rpr, BOLD_TAG)
        if fmt & ITALIC:
            etree.SubElement(rpr, ITALIC_TAG)
        if fmt & STRIKE:
            etree.SubElement(rpr, STRIKE_TAG)
    text = clean(text)
    if "\n" not in text and "\t" not in text:
        _t(r, text)
        return r
    for piece in _BREAKS.split(text):
        if piece == "\n":
            etree.SubElement(r, BR)
        elif piece == "\t":
            etree.SubElement(r, TAB)
        elif piece:
            _t(r, piece)
    return r


def _t(r: etree._Element, text: str) -> None:
    t = etree.SubElement(r, T)
    t.text = text
    if text != text.strip():
        t.set(XML_SPACE, "preserve")


def repeat_as_header(tr) -> None:
    """Mark a table row as the header Word repeats on every page the table spans."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


class Numbering:
    """A numbering instance per ordered list, so that each list starts at its own first
    number instead of continuing the previous one; kept as two arrays of ints and
    written as XML once, at the end."""

    def __init__(self, document: DocxDocument):
        root = document.part.numbering_part.element
        abstract_of = {num.numId: num.abstractNumId.val for num in root.num_lst}
        self._abstract = {}
        for name in ("List Number", "List Number 2"):
            num_id = document.styles[name].element.pPr.numPr.numId.val
            self._abstract[name] = abstract_of[num_id]
        self._first = max(abstract_of, default=0) + 1
        self._abstract_ids = array("i")
        self._starts = array("i")

    def restart(self, style: str, start: int) -> int:
        """A new numbering id for a list of ``style`` that starts at ``start``."""
        self._abstract_ids.append(self._abstract[style])
        self._starts.append(max(0, min(start, 2**31 - 1)))
        return self._first + len(self._starts) - 1

    def write(self, stream: BinaryIO, source: bytes) -> None:
        """The template's numbering.xml (``source``) with the lists' instances added."""
        # w:num elements go after the abstract ones and before w:numIdMacAtCleanup.
        anchor = source.find(b"<w:numIdMacAtCleanup")
        if anchor < 0:
            anchor = source.rindex(b"</w:numbering>")
        stream.write(source[:anchor])
        for offset in range(0, len(self._starts), 1000):  # in pieces: there can be many
            pairs = zip(
                self._abstract_ids[offset : offset + 1000],
                self._starts[offset : offset + 1000],
                strict=True,
            )
            stream.write(
                "".join(
                    f'<w:num w:numId="{self._first + offset + index}">'
                    f'<w:abstractNumId w:val="{abstract}"/><w:lvlOverride w:ilvl="0">'
                    f'<w:startOverride w:val="{start}"/></w:lvlOverride></w:num>'
                    for index, (abstract, start) in enumerate(pairs)
                ).encode()
            )
        stream.write(source[anchor:])


def set_up(document: DocxDocument, report: Report) -> None:
    """Page, settings, properties and language of the (still empty) document."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(25))
    settings = document.settings.element
    # Word then offers to update the fields on opening, which builds the contents.
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.insert_element_before(update, *AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")
    properties = document.core_properties
    # The package's core properties hold at most 255 characters each.
    properties.title = clean(report.title)[:255]
    properties.subject = clean(report.selection)[:255]
    properties.author = ""
    properties.comments = ""
    properties.created = properties.modified = as_utc(report.generated_at).replace(tzinfo=None)
    # Spelling and hyphenation in the language the report is written in.
    language = document.styles.element.find(f"{qn('w:docDefaults')}//{qn('w:lang')}")
    if language is not None:
        language.set(qn("w:val"), "pl-PL" if current_language() == "pl" else "en-GB")
    body = document.element.body
    body.remove_all("w:p", "w:tbl")
    body.sectPr.addprevious(etree.Comment(BODY_MARKER))


def skeleton(document: DocxDocument) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """The saved package's parts, and its document.xml split where the body goes."""
    buffer = BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = [(info.filename, package.read(info)) for info in package.infolist()]
    xml = dict(parts)[DOCUMENT_PART]
    head, tail = xml.split(f"<!--{BODY_MARKER}-->".encode())
    return head, tail, parts


def style_ids(document: DocxDocument) -> dict[str, str]:
    return {name: document.styles[name].style_id for name in STYLES}


def text_width(document: DocxDocument) -> int:
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in _BLANK_LINES.split(clean(text or "")) if part.strip()]


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
