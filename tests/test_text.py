"""Markdown rendering is sanitised and word diffs keep Polish words whole."""

import itertools
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from app.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    DiffChunk,
    diff_fields,
    has_changes,
    render_diff,
    render_markdown,
    sanitise_html,
    tokenise,
    word_diff,
)


class _ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def assert_only_allowlisted(html: str) -> None:
    # rel is not in the allowlist: nh3 adds it itself to every link.
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset()) | ({"rel"} if tag == "a" else set())
        assert set(attrs) <= allowed, (tag, attrs)
        href = attrs.get("href") or ""
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:"))


# --- Markdown ---------------------------------------------------------------


def test_empty_or_none_renders_empty_markup():
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")
    assert isinstance(render_markdown(""), Markup)


def test_headings_are_shifted_down_one_level():
    html = render_markdown("# One\n\n## Two\n\n##### Five\n\n###### Six")
    assert "<h1" not in html
    assert "<h2>One</h2>" in html
    assert "<h3>Two</h3>" in html
    assert "<h6>Five</h6>" in html
    assert "<h6>Six</h6>" in html


def test_lists_emphasis_and_strikethrough_render():
    html = render_markdown("- *jeden*\n- **dwa**\n\n3. trzy\n4. cztery\n\n~~stare~~")
    assert "<ul>" in html and "<li><em>jeden</em></li>" in html
    assert "<strong>dwa</strong>" in html
    assert '<ol start="3">' in html
    assert "<del>stare</del>" in html


def test_link_renders_with_rel_and_title():
    html = render_markdown('[GUS](https://stat.gov.pl "Statystyka")')
    assert elements(html) == [
        ("p", {}),
        (
            "a",
            {
                "href": "https://stat.gov.pl",
                "title": "Statystyka",
                "rel": "noopener noreferrer nofollow",
            },
        ),
    ]


def test_table_renders_without_alignment_styles():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html and "<th>a</th>" in html and "<td>2</td>" in html
    assert "style" not in html


def test_code_block_keeps_text_and_drops_language_class():
    html = render_markdown("```python\nx = 1 < 2\n```")
    assert html == Markup("<pre><code>x = 1 &lt; 2\n</code></pre>\n")


def test_image_is_not_rendered_but_its_alt_text_is_kept():
    html = render_markdown("![wykres PKB](https://example.com/pkb.png)")
    assert "<img" not in html
    assert "wykres PKB" in html


@pytest.mark.parametrize(
    "source",
    [
        '<div hx-get="/x">hi</div>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="/x" hx-post="/y">y</a>',
        '<p style="color:red" class="c" id="i" onclick="z">p</p>',
        "<!-- komentarz -->",
    ],
)
def test_raw_html_and_script_links_never_become_markup(source):
    html = render_markdown(f"Tekst {source} dalej\n\n{source}")
    # markdown-it (html=False) shows raw HTML as escaped text, so words like "onerror"
    # may appear on the page; what matters is that none of it is markup.
    assert_only_allowlisted(html)
    for fragment in ("<script", "<div", "<img", "<!--"):
        assert fragment not in html
    assert 'href="javascript' not in html.lower()


@pytest.mark.parametrize(
    "source",
    [
        '<div hx-get="/x">hi</div>',
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="/x" hx-post="/y" hx-target="body">y</a>',
        '<a href="/x" data-hx-post="/y" data-hx-target="body">y</a>',
        '<p style="color:red" class="c" id="i" onclick="z">p</p>',
        "<h1 onmouseover=alert(1)>big</h1>",
    ],
)
def test_sanitiser_strips_raw_html_that_gets_past_markdown(source):
    html = sanitise_html(source)
    assert_only_allowlisted(html)
    for fragment in ("onerror", "onclick", "onmouseover", "hx-", "javascript:", "<script"):
        assert fragment not in html
    for fragment in ("<div", "<img", "<h1", "style", "class", "id="):
        assert fragment not in html


def test_sanitiser_keeps_allowed_link_and_adds_rel():
    html = sanitise_html('<a href="mailto:a@b.pl" hx-post="/y">napisz</a>')
    assert html == Markup('<a href="mailto:a@b.pl" rel="noopener noreferrer nofollow">napisz</a>')


# --- Diffs ------------------------------------------------------------------


def test_tokenise_keeps_polish_words_whole():
    assert tokenise("Łódź, zażółć gęślą jaźń!") == [
        "Łódź",
        ",",
        " ",
        "zażółć",
        " ",
        "gęślą",
        " ",
        "jaźń",
        "!",
    ]


def test_diff_of_polish_words_marks_whole_words():
    chunks = word_diff("Jedziemy do Łodzi dziś", "Jedziemy do Łódź dziś")
    assert chunks == [
        DiffChunk("equal", "Jedziemy do "),
        DiffChunk("delete", "Łodzi"),
        DiffChunk("insert", "Łódź"),
        DiffChunk("equal", " dziś"),
    ]
    html = render_diff("zażółć gęślą jaźń", "zażółć gęślą jaźń teraz")
    assert html == Markup("zażółć gęślą jaźń<ins> teraz</ins>")


def test_changed_word_is_shown_as_del_then_ins():
    html = render_diff("to jest stary tekst", "to jest nowy tekst")
    assert html == Markup("to jest <del>stary</del><ins>nowy</ins> tekst")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a b c", "a x y"),
        ("stary dom, nowy", "nowy dom"),
        ("Łódź i Kraków", "Kraków, Łódź i Gdańsk"),
        ("jeden\ndwa", "jeden\n\ndwa trzy"),
        ("", "coś"),
    ],
)
def test_chunks_rebuild_both_texts_and_never_repeat_an_op(old, new):
    chunks = word_diff(old, new)
    assert "".join(c.text for c in chunks if c.op != "insert") == old
    assert "".join(c.text for c in chunks if c.op != "delete") == new
    assert all(chunk.text for chunk in chunks)
    assert all(a.op != b.op for a, b in itertools.pairwise(chunks))


def test_changed_words_separated_only_by_a_space_read_as_one_change():
    assert render_diff("a b c", "a x y") == Markup("a <del>b c</del><ins>x y</ins>")
    # A line break between changes stays where it is.
    assert render_diff("a\nb", "x\ny") == Markup(
        "<del>a</del><ins>x</ins>\n<del>b</del><ins>y</ins>"
    )


def test_html_in_diffed_text_is_escaped():
    html = render_diff("<b>stary</b>", '<b>nowy</b> <script>alert("x")</script>')
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;<del>stary</del><ins>nowy</ins>&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_newlines_are_kept_in_the_diff():
    html = render_diff("jeden\ndwa\n\ntrzy", "jeden\ndwa\n\ncztery")
    assert html == Markup("jeden\ndwa\n\n<del>trzy</del><ins>cztery</ins>")


def test_identical_texts_give_one_equal_chunk_and_no_changes():
    text = "Bez zmian,\nnaprawdę."
    assert word_diff(text, text) == [DiffChunk("equal", text)]
    assert has_changes(text, text) is False
    assert render_diff(text, text) == Markup(text)


def test_has_changes_sees_any_difference():
    assert has_changes("a", "a ") is True
    assert has_changes("", "") is False


def test_diff_from_or_to_empty_text():
    assert word_diff("", "nowe") == [DiffChunk("insert", "nowe")]
    assert word_diff("stare", "") == [DiffChunk("delete", "stare")]
    assert word_diff("", "") == []


def test_diff_fields_marks_only_changed_fields():
    old = {"title": "Płaca minimalna", "summary": "Krótko.", "body": "Stary tekst"}
    new = {"title": "Płaca minimalna", "summary": "Krótko.", "body": "Nowy tekst"}
    fields = [("title", "Tytuł"), ("summary", "Streszczenie"), ("body", "Treść")]
    diffs = diff_fields(old, new, fields)
    assert [(d.key, d.label, d.changed) for d in diffs] == [
        ("title", "Tytuł", False),
        ("summary", "Streszczenie", False),
        ("body", "Treść", True),
    ]
    assert diffs[0].html == Markup("Płaca minimalna")
    assert diffs[2].html == Markup("<del>Stary</del><ins>Nowy</ins> tekst")


def test_diff_fields_treats_missing_keys_as_empty():
    diffs = diff_fields({}, {"rationale": "Bo tak"}, [("rationale", "Uzasadnienie"), ("x", "X")])
    assert diffs[0].changed is True
    assert diffs[0].html == Markup("<ins>Bo tak</ins>")
    assert diffs[1].changed is False
    assert diffs[1].html == Markup("")
