"""Rendering and comparing user text: sanitised Markdown and word-level diffs."""

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup, escape

# The allowlist is the security boundary: nh3 drops every tag and attribute not named
# here, so hx-*, on*, style, class and id can never reach the page even if the Markdown
# renderer (or a future option such as html=True) lets raw HTML through.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"}), "ol": frozenset({"start"})}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

#: Stored renderings (a comment's ``body_html``) carry the version that made them. Raise
#: it when the allowlist above or the Markdown options change what a text turns into:
#: older renderings are then rendered again when shown, and ``flask comments render``
#: rewrites them.
RENDER_VERSION = 1

# The page owns h1, so user headings start at h2; h6 has nowhere lower to go.
_SHIFTED_HEADING = {f"h{level}": f"h{min(level + 1, 6)}" for level in range(1, 7)}

#: ``@`` then up to three words (a name) or a handle; not inside an address (jan@x.pl)
#: or a web address (https://x.org/@jan).
MENTION = re.compile(r"(?<![\w@./])@(\w[\w.\-]*(?:[ \t]+\w[\w.\-]*){0,2})")

#: Given the words after an ``@`` (up to three), how many characters of them name a
#: person, with the link to that person and a title; None when they name nobody.
MentionLink = Callable[[str], tuple[int, str, str] | None]

_markdown = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable(["table", "strikethrough"])


def _adjust_inline(children: list[Token]) -> list[Token]:
    adjusted = []
    for child in children:
        if child.type in ("s_open", "s_close"):
            # markdown-it writes strikethrough as <s>; the allowlist speaks <del>.
            child.tag = "del"
        elif child.type == "image":
            # Images are not allowed; keep the alt text rather than let the sanitiser
            # silently drop the whole element and the words with it.
            alt = _markdown.renderer.renderInlineAsText(child.children or [], _markdown.options, {})
            child = Token("text", "", 0, content=alt)
        adjusted.append(child)
    return adjusted


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _link_mentions(children: list[Token], link: MentionLink) -> list[Token]:
    """Turn each ``@name`` that ``link`` knows into a link, outside links and code."""
    result, inside_link = [], 0
    for child in children:
        if child.type == "link_open":
            inside_link += 1
        elif child.type == "link_close":
            inside_link -= 1
        if child.type != "text" or inside_link:
            result.append(child)
            continue
        text, done = child.content, 0
        for found in MENTION.finditer(text):
            named = link(found.group(1))
            if named is None:
                continue
            used, href, title = named
            end = found.start(1) + used
            if found.start() > done:
                result.append(_text(text[done : found.start()]))
            result.append(Token("link_open", "a", 1, attrs={"href": href, "title": title}))
            result.append(_text(text[found.start() : end]))
            result.append(Token("link_close", "a", -1))
            done = end
        if done < len(text):
            result.append(_text(text[done:]))
    return result


def _adjust_tokens(tokens: list[Token], mention_link: MentionLink | None = None) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _SHIFTED_HEADING[token.tag]
        elif token.type == "inline" and token.children:
            token.children = _adjust_inline(token.children)
            if mention_link is not None:
                token.children = _link_mentions(token.children, mention_link)


def sanitise_html(html: str) -> Markup:
    """Reduce an HTML fragment to the allowlist; the last step of every user-text render."""
    return Markup(
        nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(ALLOWED_URL_SCHEMES),
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )


def render_markdown(source: str | None, mention_link: MentionLink | None = None) -> Markup:
    """User Markdown (recommendations, comments) as safe HTML, headings from h2 down;
    with ``mention_link``, the people a comment mentions become links."""
    if not source:
        return Markup("")
    env: dict = {}
    tokens = _markdown.parse(source, env)
    _adjust_tokens(tokens, mention_link)
    return sanitise_html(_markdown.renderer.render(tokens, _markdown.options, env))


@dataclass(frozen=True)
class DiffChunk:
    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True)
class FieldDiff:
    key: str
    label: str
    changed: bool
    html: Markup


_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def tokenise(text: str) -> list[str]:
    """Words, whitespace runs and single punctuation marks; \\w keeps "Łódź" one word."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[DiffChunk]:
    """The changes from ``old`` to ``new`` as runs of equal, deleted and inserted text."""
    a, b = tokenise(old or ""), tokenise(new or "")
    # autojunk would treat frequent tokens (spaces, "i", "w") as junk in longer texts
    # and produce diffs that jump around.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    chunks: list[DiffChunk] = []

    def add(op: Literal["equal", "insert", "delete"], text: str) -> None:
        if not text:
            return
        if chunks and chunks[-1].op == op:
            chunks[-1] = DiffChunk(op, chunks[-1].text + text)
        else:
            chunks.append(DiffChunk(op, text))

    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = "".join(a[i1:i2])
            between_changes = 0 < index < len(opcodes) - 1
            if between_changes and text.isspace() and "\n" not in text:
                # A lone space between two changed words reads better inside the change:
                # "<del>old words</del><ins>new words</ins>", not four fragments.
                add("delete", text)
                add("insert", text)
            else:
                add("equal", text)
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return _regroup(chunks)


def _regroup(chunks: list[DiffChunk]) -> list[DiffChunk]:
    """Put each run of changes as all its deletions, then all its insertions."""
    grouped: list[DiffChunk] = []
    deleted, inserted = [], []

    def flush() -> None:
        if deleted:
            grouped.append(DiffChunk("delete", "".join(deleted)))
        if inserted:
            grouped.append(DiffChunk("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for chunk in chunks:
        if chunk.op == "equal":
            flush()
            grouped.append(chunk)
        else:
            (deleted if chunk.op == "delete" else inserted).append(chunk.text)
    flush()
    return grouped


def render_diff(old: str, new: str) -> Markup:
    """The diff as escaped text with <del>/<ins>; newlines are kept for a pre-wrap block."""
    parts = []
    for chunk in word_diff(old, new):
        text = escape(chunk.text)
        if chunk.op == "delete":
            parts.append(Markup("<del>{}</del>").format(text))
        elif chunk.op == "insert":
            parts.append(Markup("<ins>{}</ins>").format(text))
        else:
            parts.append(text)
    return Markup("").join(parts)


def has_changes(old: str, new: str) -> bool:
    """Whether the texts differ at all (whitespace included)."""
    return (old or "") != (new or "")


def diff_fields(
    old: Mapping[str, str], new: Mapping[str, str], fields: Sequence[tuple[str, str]]
) -> list[FieldDiff]:
    """One diff per (key, label), in the given order; a missing key counts as empty text."""
    diffs = []
    for key, label in fields:
        before, after = old.get(key) or "", new.get(key) or ""
        diffs.append(
            FieldDiff(
                key=key,
                label=label,
                changed=has_changes(before, after),
                html=render_diff(before, after),
            )
        )
    return diffs
