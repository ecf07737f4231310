"""The DOCX report: sections in order, Markdown as Word structure, the contents field, the annex."""

import io
import zipfile
from datetime import UTC, datetime

import docx
import pytest
from docx.oxml.ns import qn
from flask_babel import force_locale

from app.exports.docx_report import write_docx
from app.exports.records import (
    AnswerRecord,
    AreaRecord,
    AuthorRecord,
    MeetingRecord,
    RecommendationRecord,
    Report,
    StrategyRecord,
)

OPEN_DATA_BODY = """# Why it matters

Regional offices need **comparable data** and *timely* reports;
see [the portal](https://example.org/portal) and `LMI-2`.

- first bullet
  - nested bullet
- second bullet

1. one
2. two

> A quoted sentence.

## Details

```
code line 1
code line 2
```
"""

VOUCHERS_BODY = """3. three

   more about three
4. four
"""

INNOVATION_BODY = """| Year | Value |
|------|-------|
| 2024 | **12** |
"""

MOMENT = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


def recommendation(reference: str, title: str, **fields) -> RecommendationRecord:
    area, category, number = reference.split("/")
    values = {
        "id": int(number),
        "reference": reference,
        "area_code": area,
        "area_title": area,
        "category_code": category,
        "category_name": category,
        "number": int(number),
        "title": title,
        "summary": "",
        "body": "",
        "addressee": "",
        "expected_impact": "",
        "status": "proposed",
        "status_label": "Proposed",
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "url": f"http://testserver/recommendations/{number}",
    }
    values.update(fields)
    return RecommendationRecord(**values)


def make_report(**fields) -> Report:
    records = [
        recommendation(
            "G01/R1/1",
            "Open labour-market data",
            status="agreed",
            status_label="Agreed",
            authors=[
                AuthorRecord("Anna Nowak", "University of Łódź", "Science"),
                AuthorRecord("Jan Kowalski", "", "Other"),
            ],
            addressee="Ministry of Labour",
            support_total=5,
            support_by_sector=[("Science", 3), ("Business", 2)],
            challenges=["Skills gap"],
            summary="Publish the data monthly.",
            body=OPEN_DATA_BODY,
            expected_impact="Faster decisions.",
        ),
        recommendation(
            "G01/R2/1",
            "Apprenticeship vouchers",
            body=VOUCHERS_BODY,
            strategies=[
                StrategyRecord(
                    1, "Brno Smart Strategy", "Brno", "Czechia", "implements", "implements", [8, 9]
                )
            ],
            answers=[
                AnswerRecord(
                    "Ministry of Labour",
                    "accepted",
                    "Accepted",
                    "We agree.\n\nFunding follows in 2026.",
                    # 00:30 on 2 May in Warsaw (CEST).
                    datetime(2025, 5, 1, 22, 30, tzinfo=UTC),
                )
            ],
        ),
        recommendation("G03/R1/1", "Innovation vouchers", body=INNOVATION_BODY),
    ]
    values = {
        "title": "Labour market recommendations",
        # 00:15 on 1 July in Warsaw (CEST).
        "generated_at": datetime(2025, 6, 30, 22, 15, tzinfo=UTC),
        "selection": "Problem area: G01, G03",
        "areas": [
            AreaRecord(
                "G01",
                "Labour market",
                "Where people find work.",
                [(1, "Skills gap", "Employers cannot\nfind staff."), (2, "Data", "")],
            ),
            AreaRecord("G02", "Housing", "", [(3, "Rents", "")]),
            AreaRecord("G03", "Innovation", "", []),
        ],
        "categories": [("R1", "Legislation"), ("R2", "Funding"), ("R3", "Cooperation")],
        # A generator, as the export hands it over: it can be read only once.
        "recommendations": (record for record in records),
        "meetings": [
            MeetingRecord(
                id=1,
                title="Subgroup meeting",
                # 00:30 on 15 March in Warsaw (CET).
                starts_at=datetime(2025, 3, 14, 23, 30, tzinfo=UTC),
                place="Warsaw",
                status="held",
                participants_by_sector=[("Science", 2), ("Business", 1)],
                participants=[
                    ("Anna Nowak", "University of Łódź", "Science"),
                    ("Jan Kowalski", "Chamber of Commerce", "Business"),
                    ("Zofia Wiśniewska", "University of Warsaw", "Science"),
                ],
            )
        ],
        "cover_letter": "Dear Minister,\n\nwe send **three** recommendations.",
        "addressee": "Ministry of Labour",
    }
    values.update(fields)
    return Report(**values)


def render(app, report: Report, locale: str = "en") -> bytes:
    out = io.BytesIO()
    with app.test_request_context(), force_locale(locale):
        write_docx(report, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def data(app) -> bytes:
    return render(app, make_report())


@pytest.fixture(scope="module")
def document(data):
    return docx.Document(io.BytesIO(data))


def is_heading(paragraph) -> bool:
    return paragraph.style.name.startswith(("Heading", "Title", "TOC"))


def headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if is_heading(p)]


def section(document, heading: str) -> list[tuple[str, str]]:
    """(style, text) of the paragraphs after ``heading``, up to the next Heading 1-3."""
    found, result = False, []
    for p in document.paragraphs:
        if found and p.style.name in ("Heading 1", "Heading 2", "Heading 3"):
            break
        if found:
            result.append((p.style.name, p.text))
        found = found or p.text == heading
    assert found, f"no paragraph {heading!r}"
    return result


def following(document, text: str, count: int) -> list[tuple[str, str]]:
    """(style, text) of the ``count`` paragraphs after the first one reading ``text``."""
    paragraphs = document.paragraphs
    index = [p.text for p in paragraphs].index(text)
    return [(p.style.name, p.text) for p in paragraphs[index + 1 : index + 1 + count]]


def paragraph_starting(document, text: str):
    return next(p for p in document.paragraphs if p.text.startswith(text))


def test_sections_and_headings_come_in_report_order(document):
    assert headings(document) == [
        ("Title", "Labour market recommendations"),
        ("TOC Heading", "Table of contents"),
        ("Heading 1", "G01 Labour market"),
        ("Heading 2", "Challenges"),
        ("Heading 2", "R1 Legislation"),
        ("Heading 3", "G01/R1/1 Open labour-market data"),
        ("Heading 4", "Why it matters"),
        ("Heading 5", "Details"),
        ("Heading 2", "R2 Funding"),
        ("Heading 3", "G01/R2/1 Apprenticeship vouchers"),
        ("Heading 1", "G02 Housing"),
        ("Heading 2", "Challenges"),
        ("Heading 1", "G03 Innovation"),
        ("Heading 2", "R1 Legislation"),
        ("Heading 3", "G03/R1/1 Innovation vouchers"),
        ("Heading 1", "Annex: meetings"),
        ("Heading 2", "2025-03-15 Subgroup meeting"),
    ]


def test_recommendation_references_appear_in_heading_order(document):
    references = [p.text.split()[0] for p in document.paragraphs if p.style.name == "Heading 3"]
    assert references == ["G01/R1/1", "G01/R2/1", "G03/R1/1"]


def test_title_page_has_addressee_time_in_warsaw_selection_and_cover_letter(document):
    before_contents = []
    for p in document.paragraphs:
        if p.style.name == "TOC Heading":
            break
        before_contents.append(p)
    assert [(p.style.name, p.text) for p in before_contents] == [
        ("Title", "Labour market recommendations"),
        ("Normal", "To: Ministry of Labour"),
        ("Normal", "Generated on 2025-07-01 00:15"),
        ("Normal", "Selection: Problem area: G01, G03"),
        ("Normal", "Dear Minister,"),
        ("Normal", "we send three recommendations."),
        ("Normal", ""),
    ]
    assert [r.text for r in before_contents[5].runs if r.bold] == ["three"]
    page_break = before_contents[-1]._p.find(f".//{qn('w:br')}")
    assert page_break.get(qn("w:type")) == "page"


def test_contents_is_a_word_toc_field_updated_on_opening(document, data):
    toc = section(document, "Table of contents")
    assert toc[0][1].startswith("The table of contents has not been built yet")
    field = paragraph_starting(document, "The table of contents")._p
    parts = [
        (el.get(qn("w:fldCharType")) if el.tag == qn("w:fldChar") else el.text)
        for el in field.iter(qn("w:fldChar"), qn("w:instrText"))
    ]
    assert parts == ["begin", ' TOC \\o "1-3" \\h \\z \\u ', "separate", "end"]
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"<w:updateFields" in package.read("word/settings.xml")


def test_area_chapter_lists_challenges_and_says_when_it_has_no_recommendations(document):
    assert following(document, "G01 Labour market", 4) == [
        ("Normal", "Where people find work."),
        ("Heading 2", "Challenges"),
        ("List Bullet", "Skills gap — Employers cannot find staff."),
        ("List Bullet", "Data"),
    ]
    skills_gap = paragraph_starting(document, "Skills gap")
    assert [r.text for r in skills_gap.runs if r.bold] == ["Skills gap"]
    assert following(document, "G02 Housing", 4) == [
        ("Heading 2", "Challenges"),
        ("List Bullet", "Rents"),
        ("Normal", "There are no recommendations for this problem area in this selection."),
        ("Heading 1", "G03 Innovation"),
    ]


def test_recommendation_has_facts_summary_and_markdown_body_as_word_structure(document):
    assert section(document, "G01/R1/1 Open labour-market data") == [
        (
            "Normal",
            "Status: Agreed\n"
            "Authors: Anna Nowak (University of Łódź), Jan Kowalski\n"
            "Addressee: Ministry of Labour\n"
            "Support: 5 (Science: 3, Business: 2)\n"
            "Challenges answered: Skills gap",
        ),
        ("Normal", "Publish the data monthly."),
        ("Heading 4", "Why it matters"),
        (
            "Normal",
            "Regional offices need comparable data and timely reports; "
            "see the portal (https://example.org/portal) and LMI-2.",
        ),
        ("List Bullet", "first bullet"),
        ("List Bullet 2", "nested bullet"),
        ("List Bullet", "second bullet"),
        ("List Number", "one"),
        ("List Number", "two"),
        ("Quote", "A quoted sentence."),
        ("Heading 5", "Details"),
        ("Normal", "code line 1\ncode line 2"),
        ("Normal", "Expected impact: Faster decisions."),
    ]


def test_markdown_emphasis_and_code_become_run_formatting(document):
    summary = paragraph_starting(document, "Publish the data")
    assert all(run.italic for run in summary.runs)
    paragraph = paragraph_starting(document, "Regional offices")
    assert [r.text for r in paragraph.runs if r.bold] == ["comparable data"]
    assert [r.text for r in paragraph.runs if r.italic] == ["timely"]
    assert [r.text for r in paragraph.runs if r.font.name == "Courier New"] == ["LMI-2"]
    code = paragraph_starting(document, "code line 1")
    assert {r.font.name for r in code.runs} == {"Courier New"}
    facts = paragraph_starting(document, "Status:")
    assert [r.text for r in facts.runs if r.bold][:2] == ["Status: ", "Authors: "]


def test_strategies_and_ministry_answers_follow_the_body(document):
    assert section(document, "G01/R2/1 Apprenticeship vouchers") == [
        ("Normal", "Status: Proposed\nSupport: 0"),
        ("List Number", "three"),
        # The item's second paragraph: indented with it, without a number of its own.
        ("List Continue", "more about three"),
        ("List Number", "four"),
        ("Normal", "Linked strategies"),
        ("List Bullet", "Brno Smart Strategy (Brno, Czechia) — implements; SDG 8, 9"),
        ("Normal", "Ministry answers"),
        ("Normal", "Ministry of Labour — Accepted, 2025-05-02"),
        ("Normal", "We agree."),
        ("Normal", "Funding follows in 2026."),
    ]


def test_each_ordered_list_restarts_its_numbering(document, data):
    def num_id(paragraph) -> str:
        return paragraph._p.pPr.numPr.numId.val

    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["one", "two", "three", "four"]
    first, second = num_id(numbered[0]), num_id(numbered[2])
    assert num_id(numbered[1]) == first and num_id(numbered[3]) == second
    assert first != second
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    nums = {num.numId: num for num in numbering.num_lst}
    for numbered_id, start in ((first, "1"), (second, "3")):
        num = nums[numbered_id]
        assert num.abstractNumId.val == nums[style_num].abstractNumId.val
        assert num.find(f".//{qn('w:startOverride')}").get(qn("w:val")) == start


def test_markdown_table_becomes_a_word_table_with_a_header_row(document):
    table = document.tables[0]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Year", "Value"],
        ["2024", "12"],
    ]
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert [r.text for r in table.rows[1].cells[1].paragraphs[0].runs if r.bold] == ["12"]


def test_annex_lists_participants_in_a_table_with_a_header_row(document):
    assert section(document, "2025-03-15 Subgroup meeting")[0] == (
        "Normal",
        "Place: Warsaw\nParticipants by sector: Science: 2, Business: 1",
    )
    table = document.tables[-1]
    assert table.style.name == "Table Grid"
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Name", "Organisation", "Sector"],
        ["Anna Nowak", "University of Łódź", "Science"],
        ["Jan Kowalski", "Chamber of Commerce", "Business"],
        ["Zofia Wiśniewska", "University of Warsaw", "Science"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    # The body ends with a paragraph, as Word expects, not with the table.
    assert document.element.body[-2].tag == qn("w:p")


def test_labels_follow_the_locale(app):
    document = docx.Document(io.BytesIO(render(app, make_report(), locale="pl")))
    facts = paragraph_starting(document, "Status:")
    assert "Autorzy: Anna Nowak" in facts.text
    assert ("Heading 2", "Wyzwania") in headings(document)


def test_empty_report_still_has_every_area_and_the_annex(app):
    report = make_report(recommendations=iter(()), meetings=[], cover_letter="", addressee="")
    document = docx.Document(io.BytesIO(render(app, report)))
    assert [t for s, t in headings(document) if s == "Heading 1"] == [
        "G01 Labour market",
        "G02 Housing",
        "G03 Innovation",
        "Annex: meetings",
    ]
    assert section(document, "G03 Innovation") == [
        ("Normal", "There are no recommendations for this problem area in this selection.")
    ]
    assert section(document, "Annex: meetings") == [("Normal", "No meetings have been held.")]


def test_control_characters_in_user_text_do_not_break_the_file(app):
    broken = recommendation(
        "G01/R1/1", "Vertical\x0btab", body="Form\x0cfeed **and\x01 more**", summary="a\x00b"
    )
    report = make_report(recommendations=iter([broken]), title="Report\x1f")
    document = docx.Document(io.BytesIO(render(app, report)))
    # A vertical tab is whitespace: a heading is one line, so it becomes a space.
    assert ("Heading 3", "G01/R1/1 Vertical tab") in headings(document)
    assert headings(document)[0] == ("Title", "Report")
    assert paragraph_starting(document, "Formfeed").text == "Formfeed and more"


def test_markup_characters_and_spaces_in_user_text_arrive_as_written(app):
    """Paragraphs and runs are written as XML text: what XML gives meaning to (&, <, >,
    quotes) must be escaped, and spaces at either end kept."""
    tricky = recommendation(
        "G01/R1/1",
        'Ceny <energii> & "ciepła"',
        summary="Streszczenie:  dwie spacje",
        body="Koszt < 5 % & > 2 %, <b>nie HTML</b>\n\n`a && b` i **'cytat'**\n\n- Q&A <x>",
        expected_impact="z\ttabulatorem\nw dwóch liniach",
    )
    report = make_report(recommendations=iter([tricky]))
    data = render(app, report)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml").decode()
    assert '<w:t xml:space="preserve">Expected impact: </w:t>' in xml
    document = docx.Document(io.BytesIO(data))
    assert ("Heading 3", 'G01/R1/1 Ceny <energii> & "ciepła"') in headings(document)
    texts = [p.text for p in document.paragraphs]
    assert "Streszczenie:  dwie spacje" in texts
    assert "Koszt < 5 % & > 2 %, <b>nie HTML</b>" in texts
    assert "a && b i 'cytat'" in texts and "Q&A <x>" in texts
    impact = paragraph_starting(document, "Expected impact")
    # The label's run ends in a space, which Word keeps only when told to.
    assert impact.text == "Expected impact: z\ttabulatorem\nw dwóch liniach"


def test_writes_to_a_stream_that_cannot_seek(app):
    class WriteOnly(io.RawIOBase):
        def __init__(self):
            self.chunks = []

        def writable(self):
            return True

        def write(self, data):
            self.chunks.append(bytes(data))
            return len(data)

    out = WriteOnly()
    with app.test_request_context(), force_locale("en"):
        write_docx(make_report(), out)
    document = docx.Document(io.BytesIO(b"".join(out.chunks)))
    assert headings(document)[0] == ("Title", "Labour market recommendations")


def test_long_titles_fit_the_document_properties(app):
    report = make_report(title="T" * 300, selection="S" * 400)
    document = docx.Document(io.BytesIO(render(app, report)))
    assert document.core_properties.title == "T" * 255
    assert document.paragraphs[0].text == "T" * 300
