"""`flask export --format … -o FILE` with the list's filters."""

import csv
import hashlib
import json

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from tests.exports.helpers import agreed_set


def test_export_writes_each_format_with_filters(app, tmp_path):
    agreed_set()
    runner = app.test_cli_runner()
    target = tmp_path / "g03.json"
    result = runner.invoke(args=["export", "--format", "json", "-o", str(target), "--area", "G03"])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text("utf-8"))
    assert [r["reference"] for r in data["recommendations"]] == ["G03/R1/1", "G03/R2/1"]
    assert data["recommendations"][0]["url"].startswith(app.config["BASE_URL"].rstrip("/"))
    sha = hashlib.sha256(target.read_bytes()).hexdigest()
    assert sha in result.output
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.downloaded")
    ).all()[-1]
    assert event.data == {
        "format": "json",
        "filters": {"area": "G03"},
        "count": 2,
        "sha256": sha,
        "via": "cli",
    }

    target = tmp_path / "all.csv"
    runner.invoke(args=["export", "--format", "csv", "-o", str(target), "--language", "en"])
    rows = list(csv.reader(target.read_text("utf-8-sig").splitlines()))
    assert rows[0][0] == "Number" and len(rows) == 5

    target = tmp_path / "agreed.xlsx"
    runner.invoke(args=["export", "--format", "xlsx", "-o", str(target), "--status", "agreed"])
    book = load_workbook(target)
    assert book.worksheets[0].max_row == 4
    book.close()


def test_export_refuses_bad_filters_and_empty_selections(app, tmp_path):
    agreed_set()
    runner = app.test_cli_runner()
    target = tmp_path / "x.csv"
    bad = runner.invoke(args=["export", "--format", "csv", "-o", str(target), "--area", "G42"])
    assert bad.exit_code != 0 and "G42" in bad.output
    empty = runner.invoke(args=["export", "--format", "csv", "-o", str(target), "--area", "G07"])
    assert empty.exit_code != 0
    assert not target.exists()
