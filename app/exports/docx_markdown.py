"""Markdown as Word structure, for the report: styled headings, lists, quotes, code and
tables, with bold, italic, struck and code runs.

The text is read by pyromark (pulldown-cmark, in Rust) as a stream of events: a report
of 10,000 recommendations parses 10,000 bodies, and markdown-it in Python spent more
time on that than on everything else together. Both follow CommonMark with GitHub's
tables and strikethrough. As with ``html=False`` on the web pages, HTML in the text is
kept as text, never interpreted."""

from dataclasses import dataclass, field

import pyromark

from app.exports.docx_writer import (
    BOLD,
    ITALIC,
    MONO,
    STRIKE,
    Body,
    CellParagraph,
    Paragraph,
    repeat_as_header,
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


def _tag(tag) -> tuple[str, object]:
    """A Start or End event's tag and its details: ("Heading", {...}), ("Item", None)."""
    if tag.__class__ is str:
        return tag, None
    ((name, details),) = tag.items()
    return name, details


@dataclass
class _Runs:
    """Inline events written as runs of one paragraph: links as their text followed by
    the address in parentheses (paper has no links), images as their description and
    address. Text in the same formatting is gathered into one run, written when the
    formatting changes, at a break and at the block's end (``flush``): a paragraph with
    ten links is a few runs, not thirty."""

    p: Paragraph | CellParagraph
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
        depth = self.depth
        depth[flag] += step
        fmt = self.base
        for bit, count in depth.items():
            if count > 0:
                fmt |= bit
        self.fmt = fmt

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
        self.p.line_break()

    def flush(self) -> None:
        """Write the pending text; called before a break and when the block ends."""
        if self.pending:
            self.p.run("".join(self.pending), self.pending_fmt)
            self.pending.clear()

    def event(self, event) -> None:
        """Any inline event (a table cell replays its events through here)."""
        if event.__class__ is str:
            self.bare(event)
            return
        ((kind, value),) = event.items()
        if kind == "Start":
            self.start(*_tag(value))
        elif kind == "End":
            self.end(_tag(value)[0])
        else:
            self.inline(kind, value)

    def bare(self, event: str) -> None:
        """An event without content: a soft or hard break (a rule is a block)."""
        if event == "SoftBreak":
            self.text(" ")
        elif event == "HardBreak":
            self.line_break()

    def inline(self, kind: str, value) -> None:
        """An event with text: text, code, HTML; others (footnotes, maths) are dropped."""
        if kind == "Text" or kind == "InlineHtml":  # HTML kept as written, as html=False
            self.text(value)
        elif kind == "Code":
            self.text(value, MONO)
        elif kind == "Html":  # a line of an HTML block: lines join as soft breaks do
            line = value.rstrip("\n")
            self.text(f" {line}" if self.written else line)

    def start(self, name: str, details) -> None:
        if name in _MARKS:
            self.mark(_MARKS[name], +1)
        elif name == "Link":
            self.link = (details["dest_url"], [])
        elif name == "Image":
            self.image = (details["dest_url"], [])

    def end(self, name: str) -> None:
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
        #: Headings written, with their Markdown level: styled once the top level is known.
        headings: list[tuple[Paragraph, int]] = []
        # One pass, dispatched on the event's kind: a report reads some 200 events for
        # each of 10,000 bodies, so this loop is the report's inner loop.
        for event in pyromark.events(source, options=_OPTIONS):
            bare = event.__class__ is str  # SoftBreak, HardBreak, Rule
            if bare:
                kind, value = event, None
            else:
                ((kind, value),) = event.items()
            if kind != "Start" and kind != "End":  # text, code, HTML, a break...
                if code is not None:
                    if kind == "Text":
                        code.append(value)
                    continue
                if rows is not None:
                    if rows and rows[-1]:
                        rows[-1][-1].append(event)
                    continue
                if runs is None:
                    if kind == "Rule":
                        continue
                    # Text straight in a list item (a tight list), or HTML between blocks.
                    runs = _Runs(self._paragraph(lists, items, quotes))
                if kind == "Text":
                    runs.text(value)
                elif bare:
                    runs.bare(kind)
                else:
                    runs.inline(kind, value)
                continue
            start = kind == "Start"
            if start and code is not None:
                continue
            name, details = _tag(value)
            if rows is not None and name not in _TABLE:
                if rows and rows[-1]:
                    rows[-1][-1].append(event)
                continue
            if name not in _BLOCKS:  # bold, italic, a link...: the runs being written
                if runs is None:
                    runs = _Runs(self._paragraph(lists, items, quotes))
                if start:
                    runs.start(name, details)
                else:
                    runs.end(name)
            elif start:
                if runs is not None:  # a block in a list item's text: that text ends here
                    runs.flush()
                runs = None
                if name == "Paragraph" or name == "HtmlBlock":
                    runs = _Runs(self._paragraph(lists, items, quotes))
                elif name == "Heading":
                    p = body.paragraph("Heading 4")
                    headings.append((p, int(details["level"][1:])))
                    runs = _Runs(p)
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
        if headings:
            # The body's top heading level becomes Heading 4 (whether the author wrote #
            # or ##), the next Heading 5, and deeper levels stay at 5.
            top = min(level for _p, level in headings)
            for p, level in headings:
                body.restyle(p, f"Heading {min(4 + level - top, 5)}")

    def _paragraph(self, lists, items, quotes) -> Paragraph:
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
                runs = _Runs(CellParagraph(cell.paragraphs[0]._p), BOLD if index == 0 else 0)
                for event in events:
                    runs.event(event)
                runs.flush()
