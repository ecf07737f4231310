"""Second-look fixes: what reviewers must not read, tokens after a role change, races,
unsafe cell text, garbage paging, and typed text kept on refusal."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.auth import api_tokens
from app.exports.models import PackageItem, SubmissionPackage
from app.extensions import db
from app.recommendations import answers, services
from app.recommendations.models import MinistryAnswer, Recommendation
from tests import factories
from tests.exports.helpers import MINISTRY, agreed_set, send_package
from tests.recommendations.helpers import make_rec, text


def _reopen_and_edit(rec_id, author, facilitator, title):
    rec = db.session.get(Recommendation, rec_id)
    services.change_status(rec, facilitator, "discussion", note="Poprawki.")
    services.update_recommendation(
        rec, author, expected_version=rec.version, text=text(title=title), note="x"
    )


def test_reviewers_never_read_texts_back_in_discussion(auth):
    author, facilitator, recs, _ = agreed_set()
    send_package(auth, facilitator, area="G03", category="R2")
    package = db.session.scalar(select(SubmissionPackage))
    _reopen_and_edit(recs[0].id, author, facilitator, "SEKRET w dyskusji")
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY, language="en")
    changes = auth.client.get(f"/exports/packages/{package.id}/changes").get_data(as_text=True)
    assert "SEKRET" not in changes
    assert "1 recommendation is being revised by the subgroup" in changes
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert "In discussion" not in page and "Being revised by the subgroup." in page
    assert "Stage the answer" not in page  # nothing to answer while it is being revised
    auth.logout()
    auth.login_as(facilitator)
    changes = auth.client.get(f"/exports/packages/{package.id}/changes").get_data(as_text=True)
    assert "SEKRET w dyskusji" in changes


def test_a_token_stops_working_when_its_owner_loses_the_role(client):
    reviewer = factories.make_user("reviewer")
    token = api_tokens.create(reviewer, "skrypt")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/meetings", headers=headers).status_code == 200
    reviewer.role = "member"
    db.session.commit()
    assert client.get("/api/v1/meetings", headers=headers).status_code == 401


def test_two_first_answers_at_once_end_in_a_conflict_not_a_500(auth, monkeypatch):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator, area="G01")
    package = db.session.scalar(select(SubmissionPackage))
    item = db.session.scalar(select(PackageItem))
    auth.logout()
    reviewer = auth.login("reviewer", organisation=MINISTRY, language="en")
    # The other reviewer's first answer lands between our read and our insert.
    db.session.add(
        MinistryAnswer(
            recommendation_id=item.recommendation_id,
            organisation_id=reviewer.organisation_id,
            staged_verdict="accepted",
            staged_reasoning="Theirs",
        )
    )
    db.session.commit()
    monkeypatch.setattr(answers, "answer_of", lambda *a: None)
    prefix = f"a{item.recommendation_id}"
    response = auth.post(
        f"/exports/packages/{package.id}/answers/{item.recommendation_id}",
        {f"{prefix}-verdict": "rejected", f"{prefix}-reasoning": "Mine, typed at length"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Another reviewer changed this answer" in page
    assert "Mine, typed at length" in page  # nothing typed is lost


def test_refused_answers_and_messages_keep_the_typed_text(auth):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator, area="G01")
    package = db.session.scalar(select(SubmissionPackage))
    item = db.session.scalar(select(PackageItem))
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY, language="en")
    prefix = f"a{item.recommendation_id}"
    response = auth.post(
        f"/exports/packages/{package.id}/answers/{item.recommendation_id}",
        {f"{prefix}-reasoning": "Reasoning without a verdict"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Reasoning without a verdict" in page
    assert 'aria-invalid="true"' in page
    response = auth.post(f"/exports/packages/{package.id}/notes", {"body": "x" * 10_001})
    assert response.status_code == 422
    assert "x" * 10_001 in response.get_data(as_text=True)


def test_answers_belong_to_the_newest_package_of_a_recommendation(auth):
    author, facilitator, recs, _ = agreed_set()
    send_package(auth, facilitator, area="G01")
    first = db.session.scalar(select(SubmissionPackage))
    rec_id = db.session.scalar(select(PackageItem.recommendation_id))
    rec = db.session.get(Recommendation, rec_id)
    services.change_status(rec, facilitator, "discussion", note="Poprawki.")
    services.change_status(db.session.get(Recommendation, rec_id), facilitator, "agreed")
    send_package(auth, facilitator, area="G01")
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY, language="en")
    prefix = f"a{rec_id}"
    response = auth.post(
        f"/exports/packages/{first.id}/answers/{rec_id}",
        {f"{prefix}-verdict": "accepted", f"{prefix}-reasoning": "Old package"},
    )
    assert response.status_code == 409
    assert db.session.scalar(select(MinistryAnswer)) is None


def test_spreadsheet_cells_are_safe(auth):
    author = factories.make_user("member")
    make_rec(author, title='=HYPERLINK("http://evil","x")', summary="Soft\x0bbreak")
    auth.login("facilitator")
    rows = list(
        csv.reader(
            io.StringIO(auth.client.get("/exports/recommendations.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows[1][6] == '\'=HYPERLINK("http://evil","x")'
    response = auth.client.get("/exports/recommendations.xlsx")
    assert response.status_code == 200
    row = list(load_workbook(io.BytesIO(response.data)).worksheets[0].iter_rows(values_only=True))[
        1
    ]
    assert row[7] == "Softbreak"


def test_absurd_page_numbers_are_400(client):
    headers = {"Authorization": f"Bearer {api_tokens.create(factories.make_user('admin'), 't')}"}
    response = client.get("/api/v1/recommendations?page=" + "9" * 5000, headers=headers)
    assert response.status_code == 400
