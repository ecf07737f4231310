"""The export files, opened with their readers: CSV, JSON, XLSX; filters and the audit trail."""

import csv
import hashlib
import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit import AuditEvent
from app.extensions import db
from tests import factories
from tests.exports.helpers import agreed_set


def _audit(action="export.downloaded"):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_csv_has_bom_headers_and_rows_in_report_order(auth):
    author, _, recs, draft = agreed_set()
    auth.login("facilitator", language="en")
    response = auth.client.get("/exports/recommendations.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Number", "Id", "Problem area"]
    # G01 before G03; within G03 R1 before R2; the draft is there for a facilitator.
    assert [r[0] for r in rows[1:]] == ["G01/R1/1", "G01/R4/1", "G03/R1/1", "G03/R2/1"]
    titles = {r[0]: r[6] for r in rows[1:]}
    assert titles["G01/R4/1"] == "Żłobki przy parkach"
    by_ref = {r[0]: r for r in rows[1:]}
    assert by_ref["G03/R2/1"][12] == author.name
    assert by_ref["G03/R2/1"][13] == "krk UrbanHub"
    # The audit trail has the hash of exactly the bytes that were sent.
    event = _audit()[-1]
    assert event.data["format"] == "csv"
    assert event.data["count"] == 4
    assert event.data["sha256"] == hashlib.sha256(body).hexdigest()


def test_reviewer_export_never_contains_drafts(auth):
    agreed_set()
    auth.login("reviewer")
    rows = list(
        csv.reader(
            io.StringIO(auth.client.get("/exports/recommendations.csv").get_data(as_text=True))
        )
    )
    titles = [r[6] for r in rows[1:]]
    assert "Szkic tajny" not in titles
    assert len(titles) == 3
    # Asking for drafts explicitly is refused, with the reason.
    response = auth.client.get("/exports/recommendations.csv?status=draft")
    assert response.status_code == 400
    assert "draft" in response.get_data(as_text=True)


def test_filters_narrow_the_export(auth):
    agreed_set()
    auth.login("member")
    data = json.loads(auth.client.get("/exports/recommendations.json?area=g03&category=R2").data)
    assert [r["reference"] for r in data["recommendations"]] == ["G03/R2/1"]
    assert data["selection"] == {"area": "G03", "category": "R2"}


def test_unknown_filters_and_values_are_400_with_a_message(auth):
    agreed_set()
    auth.login("member", language="en")
    cases = {
        "/exports/recommendations.csv?colour=red": "Unknown filter: colour",
        "/exports/recommendations.xlsx?area=G99": "There is no problem area G99",
        "/exports/recommendations.json?category=R9": "There is no category R9",
        "/exports/recommendations.csv?status=sleeping": "Unknown status sleeping",
        "/exports/recommendations.csv?author=abc": "takes a number",
    }
    for url, message in cases.items():
        response = auth.client.get(url)
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True), url
    assert _audit() == []


def test_an_empty_selection_says_so_instead_of_an_empty_file(auth):
    agreed_set()
    auth.login("member", language="en")
    response = auth.client.get("/exports/recommendations.xlsx?area=G07")
    assert response.status_code == 422
    assert "nothing to export" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    page = auth.client.get("/exports/?area=G07").get_data(as_text=True)
    assert "nothing to export" in page


def test_json_follows_the_schema(auth):
    import jsonschema_rs

    from app.exports.schema import EXPORT_DOCUMENT
    from app.recommendations import services

    author, facilitator, recs, _ = agreed_set()
    for org in ("krk UrbanHub", "krk UrbanHub", None):
        services.set_support(recs[1], factories.make_user("member", organisation=org), True)
    auth.login("member")
    data = json.loads(auth.client.get("/exports/recommendations.json").data)
    published = auth.client.get("/exports/recommendations.schema.json").json
    assert published == EXPORT_DOCUMENT
    jsonschema_rs.validate(published, data)
    assert data["$schema"] == published["$id"]
    assert data["schema_version"] == 1
    first = data["recommendations"][0]
    assert first["reference"] == "G01/R1/1"
    assert first["authors"] == [
        {
            "name": author.name,
            "organisation": "krk UrbanHub",
            "sector": first["authors"][0]["sector"],
        }
    ]
    assert first["url"].endswith(f"/recommendations/{first['id']}")
    supported = next(r for r in data["recommendations"] if r["id"] == recs[1].id)
    assert supported["support"]["total"] == 3
    assert sum(s["count"] for s in supported["support"]["by_sector"]) == 3
    assert len(supported["support"]["by_sector"]) == 2  # the cluster's sector, and "other"


def test_xlsx_has_sheets_frozen_header_filters_and_every_row(auth):
    agreed_set()
    factories.make_challenge("G03", title="Odpływ absolwentów")
    auth.login("facilitator", language="en")
    response = auth.client.get("/exports/recommendations.xlsx?status=agreed")
    assert response.status_code == 200
    assert response.headers["X-Content-SHA256"] == hashlib.sha256(response.data).hexdigest()
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Recommendations", "Challenges", "Strategies"]
    sheet = book["Recommendations"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["G"].width == 50
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number" and rows[0][6] == "Title"
    assert [r[0] for r in rows[1:]] == ["G01/R4/1", "G03/R1/1", "G03/R2/1"]
    assert rows[1][6] == "Żłobki przy parkach"
    challenges = list(book["Challenges"].iter_rows(values_only=True))
    assert ("G03", "Odpływ absolwentów") in [(r[0], r[2]) for r in challenges[1:]]


def test_xlsx_cells_never_become_formulas(auth):
    from tests.recommendations.helpers import make_rec

    author = factories.make_user("member")
    make_rec(author, title='=HYPERLINK("http://evil")')
    auth.login("facilitator")
    book = load_workbook(io.BytesIO(auth.client.get("/exports/recommendations.xlsx").data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][6] == '\'=HYPERLINK("http://evil")'


def test_export_page_counts_and_links_the_formats(auth):
    agreed_set()
    auth.login("member", language="en")
    page = auth.client.get("/exports/?area=G03").get_data(as_text=True)
    assert "3 recommendations match" not in page
    assert "2 recommendations match." in page
    assert "/exports/recommendations.docx?area=G03" in page
    assert "Send the agreed ones" not in page  # members do not send packages
    bad = auth.client.get("/exports/?area=G42")
    assert bad.status_code == 200 and "There is no problem area G42" in bad.get_data(as_text=True)


def test_admins_read_exports_in_the_audit_log(auth):
    agreed_set()
    auth.login("member")
    body = auth.client.get("/exports/recommendations.csv?area=G03").get_data()
    auth.logout()
    auth.login("admin", language="en")
    page = auth.client.get("/admin/audit?action=export.").get_data(as_text=True)
    assert "Export downloaded" in page and "export.downloaded" in page
    assert hashlib.sha256(body).hexdigest() in page
    assert "<dt>filters</dt><dd>area=G03</dd>" in page  # in words, not raw JSON
    assert auth.client.get("/admin/audit?action=<script>").status_code == 400
    assert auth.client.get("/admin/audit?page=abc").status_code == 400
