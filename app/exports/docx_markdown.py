"""Markdown as Word structure, for the report: styled headings, lists, quotes, code and
tables, with bold, italic, struck and code runs.

The text is read by pyromark (pulldown-cmark, in Rust) as a stream of events: a report
of 10,000 recommendations parses 10,000 bodies, and markdown-it in Python spent more
time on that than on everything else together. Both follow CommonMark with GitHub's
tables and strikethrough. As with ``html=False`` on the web pages, HTML in the text is
kept as text, never interpreted."""

from dataclasses import dataclass, field

import pyromark
from lxml import etree

from app.exports.docx_writer import (
    BOLD,
    BR,
    ITALIC,
    MONO,
    STRIKE,
    Body,
    R,
    repeat_as_header,
    run,
)

_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

_TABLE = frozenset({"Table", "TableHead", "TableRow", "TableCell"})
#: Tags of blocks; every other tag (bold, a link, an image) is inside a block's text.
_BLOCKS = _TABLE | {
    "Paragraph",
    "Heading",
    "BlockQuote",
    "CodeBlock",
    "HtmlBlock",
    "List",
    "Item",
    "FootnoteDefinition",
    "DefinitionList",
    "MetadataBlock",
}

#: Inline tags that switch run formatting on while they are open; counted, as they nest.
_MARKS = {"Strong": BOLD, "Emphasis": ITALIC, "Strikethrough": STRIKE}


def _tag(event) -> tuple[str, object]:
    """The tag of a Start or End event and its details: ("Heading", {...}), ("Item", None)."""
    if isinstance(event, str):
        return event, None
    ((name, details),) = event.items()
    return name, details


@dataclass
class _Runs:
    """Inline events written as runs of one paragraph: links as their text followed by
    the address in parentheses (paper has no links), images as their description and
    address. Text in the same formatting is gathered into one run, written when the
    formatting changes, at a break and at the block's end (``flush``): a paragraph with
    ten links is a few runs, not thirty."""

    p: etree._Element
    base: int = 0
    depth: dict[int, int] = field(default_factory=lambda: dict.fromkeys(_MARKS.values(), 0))
    #: The formatting that text written now gets (base and the open marks).
    fmt: int = -1
    #: The open link: its address and the text written inside it so far.
    link: tuple[str, list[str]] | None = None
    #: The open image: its address and its description so far (written at its end).
    image: tuple[str, list[str]] | None = None
    #: Whether any text is written yet.
    written: bool = False
    #: Text not yet written, all in the formatting ``pending_fmt``: it becomes one run.
    pending: list[str] = field(default_factory=list)
    pending_fmt: int = 0

    def __post_init__(self):
        self.fmt = self.base

    def mark(self, flag: int, step: int) -> None:
        self.depth[flag] += step
        self.fmt = self.base | sum(bit for bit, count in self.depth.items() if count > 0)

    def text(self, text: str, extra: int = 0) -> None:
        if not text:
            return
        if self.image is not None:
            self.image[1].append(text)
            return
        fmt = self.fmt | extra
        if self.pending and fmt != self.pending_fmt:
            self.flush()
        self.pending.append(text)
        self.pending_fmt = fmt
        self.written = True
        if self.link is not None:
            self.link[1].append(text)

    def line_break(self) -> None:
        self.flush()
        etree.SubElement(etree.SubElement(self.p, R), BR)

    def flush(self) -> None:
        """Write the pending text; called before a break and when the block ends."""
        if self.pending:
            run(self.p, "".join(self.pending), self.pending_fmt)
            self.pending.clear()

    def event(self, event) -> None:
        if isinstance(event, dict):
            if "Text" in event:
                self.text(event["Text"])
                return
            if "Code" in event:
                self.text(event["Code"], MONO)
                return
            if "InlineHtml" in event:  # kept as written, as html=False keeps it
                self.text(event["InlineHtml"])
                return
            if "Html" in event:  # a line of an HTML block: lines join as soft breaks do
                line = event["Html"].rstrip("\n")
                self.text(f" {line}" if self.written else line)
                return
        if event == "SoftBreak":
            self.text(" ")
            return
        if event == "HardBreak":
            self.line_break()
            return
        if not isinstance(event, dict):
            return
        if "Start" in event:
            name, details = _tag(event["Start"])
            if name in _MARKS:
                self.mark(_MARKS[name], +1)
            elif name == "Link":
                self.link = (details["dest_url"], [])
            elif name == "Image":
                self.image = (details["dest_url"], [])
        elif "End" in event:
            name, _details = _tag(event["End"])
            if name in _MARKS:
                self.mark(_MARKS[name], -1)
            elif name == "Link" and self.link is not None:
                href, shown = self.link
                self.link = None
                if _shows_address(href, "".join(shown)):
                    self.text(f" ({href})")
            elif name == "Image" and self.image is not None:
                source, alt = self.image
                self.image = None
                description = "".join(alt)
                self.text(f"{description} ({source})" if source else description)


def _shows_address(href: str, text: str) -> bool:
    """Whether a link needs its address after the text (not when the text is the address)."""
    return bool(href) and text.strip() not in (href, href.removeprefix("mailto:"))


def _continued(lists: list[tuple[str, int | None]]) -> str:
    return "List Continue" if len(lists) == 1 else "List Continue 2"


class MarkdownBlocks:
    """Markdown as Word structure in ``body``."""

    def __init__(self, body: Body):
        self.body = body

    def render(self, source: str) -> None:
        if not source or not source.strip():
            return
        events = tuple(pyromark.events(source, options=_OPTIONS))
        # The body's top heading level becomes Heading 4 (whether the author wrote # or
        # ##), the next Heading 5, and deeper levels stay at 5.
        levels = [
            int(e["Start"]["Heading"]["level"][1:])
            for e in events
            if isinstance(e, dict) and isinstance(e.get("Start"), dict) and "Heading" in e["Start"]
        ]
        top = min(levels, default=1)
        body = self.body
        #: Open lists, innermost last: (paragraph style, numbering id or None).
        lists: list[tuple[str, int | None]] = []
        #: Per open list item: whether its first paragraph (the one with the bullet) exists.
        items: list[bool] = []
        quotes = 0
        #: The runs being written: a paragraph, a heading or a table cell.
        runs: _Runs | None = None
        #: In a table: its rows, each a list of cells, each a list of inline events.
        rows: list[list[list]] | None = None
        code: list[str] | None = None
        for event in events:
            if code is not None and not (isinstance(event, dict) and "End" in event):
                code.append(event.get("Text", "") if isinstance(event, dict) else "")
                continue
            start = isinstance(event, dict) and "Start" in event
            end = isinstance(event, dict) and "End" in event
            if not (start or end):
                if rows is not None:
                    if rows and rows[-1]:
                        rows[-1][-1].append(event)
                    continue
                if runs is None:
                    if event == "Rule":
                        continue
                    # Text straight in a list item (a tight list), or HTML between blocks.
                    runs = _Runs(self._paragraph(lists, items, quotes))
                runs.event(event)
                continue
            name, details = _tag(event["Start"] if start else event["End"])
            if rows is not None and name not in _TABLE:
                if rows and rows[-1]:
                    rows[-1][-1].append(event)
                continue
            if name not in _BLOCKS:  # bold, italic, a link...: the runs being written
                if runs is None:
                    runs = _Runs(self._paragraph(lists, items, quotes))
                runs.event(event)
            elif start:
                if runs is not None:  # a block in a list item's text: that text ends here
                    runs.flush()
                runs = None
                if name in ("Paragraph", "HtmlBlock"):
                    runs = _Runs(self._paragraph(lists, items, quotes))
                elif name == "Heading":
                    level = min(4 + int(details["level"][1:]) - top, 5)
                    runs = _Runs(body.paragraph(f"Heading {level}"))
                elif name == "List":
                    if details is None:
                        lists.append(("List Bullet" if not lists else "List Bullet 2", None))
                    else:
                        style = "List Number" if not lists else "List Number 2"
                        lists.append((style, body.numbering.restart(style, int(details))))
                elif name == "Item":
                    items.append(False)
                elif name == "BlockQuote":
                    quotes += 1
                elif name == "CodeBlock":
                    code = []
                elif name == "Table":
                    rows = []
                elif name in ("TableHead", "TableRow") and rows is not None:
                    rows.append([])
                elif name == "TableCell" and rows is not None:
                    rows[-1].append([])
            else:
                if runs is not None:
                    runs.flush()
                runs = None
                if name == "List":
                    lists.pop()
                elif name == "Item":
                    items.pop()
                elif name == "BlockQuote":
                    quotes -= 1
                elif name == "CodeBlock" and code is not None:
                    style = _continued(lists) if lists else None
                    body.paragraph(style, "".join(code).rstrip("\n"), MONO)
                    code = None
                elif name == "Table" and rows is not None:
                    self._table(rows)
                    rows = None
        if runs is not None:
            runs.flush()

    def _paragraph(self, lists, items, quotes) -> etree._Element:
        if not lists:
            return self.body.paragraph("Quote" if quotes else None)
        if items and not items[-1]:
            items[-1] = True
            style, num_id = lists[-1]
            return self.body.paragraph(style, num_id=num_id)
        # A further paragraph of the same item: indented with the item, no new bullet.
        return self.body.paragraph(_continued(lists))

    def _table(self, rows: list[list[list]]) -> None:
        if not rows:
            return
        table = self.body.table(max(len(row) for row in rows))
        for index, row in enumerate(rows):
            added = table.add_row()
            if index == 0:  # GFM tables always start with their header row
                repeat_as_header(added._tr)
            for cell, events in zip(added.cells, row, strict=False):
                runs = _Runs(cell.paragraphs[0]._p, BOLD if index == 0 else 0)
                for event in events:
                    runs.event(event)
                runs.flush()
