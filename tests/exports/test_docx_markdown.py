"""Markdown read by pyromark becomes the same Word structure the web shows: cases where
a pull parser's events differ in shape from a token list (tight lists, HTML, images)."""

import pytest
from docx import Document
from lxml import etree

from app.exports.docx_markdown import MarkdownBlocks
from app.exports.docx_report import style_ids, text_width
from app.exports.docx_writer import Body, Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def render():
    document = Document()
    styles = style_ids(document)
    names = {style_id: name for name, style_id in styles.items()}

    def paragraphs(source: str) -> list[tuple[str | None, list[tuple[str, set[str]]]]]:
        """(style name, [(text, formatting)]) per paragraph."""
        body = Body(styles, Numbering(document), text_width(document))
        MarkdownBlocks(body).render(source)
        root = etree.fromstring(
            b'<w:body xmlns:w="' + W[1:-1].encode() + b'">' + body.take() + b"</w:body>"
        )
        found = []
        for p in root.iter(f"{W}p"):
            style = p.find(f"{W}pPr/{W}pStyle")
            runs = [
                (
                    "".join(t.text or "" for t in r.iter(f"{W}t")),
                    {child.tag.removeprefix(W) for child in r.iterfind(f"{W}rPr/*")},
                )
                for r in p.iter(f"{W}r")
            ]
            found.append((names.get(style.get(f"{W}val")) if style is not None else None, runs))
        return found

    return paragraphs


def test_a_tight_list_item_that_starts_in_bold_keeps_its_bullet_and_its_bold(render):
    [(style, runs), (second, more)] = render("- **Ważne:** najpierw\n- potem")
    assert style == "List Bullet" and runs[0] == ("Ważne:", {"b"})
    assert runs[1][0] == " najpierw" and second == "List Bullet"


def test_html_is_kept_as_text_as_on_the_page(render):
    [(_, runs), (_, block)] = render("<b>gruby?</b> nie\n\n<div>\nblok\n</div>")
    assert "".join(text for text, _ in runs) == "<b>gruby?</b> nie"
    assert "".join(text for text, _ in block) == "<div> blok </div>"


def test_images_and_links_show_their_addresses_and_code_stays_monospaced(render):
    [(_, runs)] = render("![mapa](https://a.pl/m.png), [raport](https://r.pl) i `kod`")
    text = "".join(t for t, _ in runs)
    assert text == "mapa (https://a.pl/m.png), raport (https://r.pl) i kod"
    assert ("kod", {"rFonts"}) in runs


def test_a_code_block_in_a_list_item_is_indented_with_it(render):
    found = render("1. krok\n\n   ```\n   make run\n   ```\n")
    assert [style for style, _ in found] == ["List Number", "List Continue"]
    assert found[1][1] == [("make run", {"rFonts"})]
