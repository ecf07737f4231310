"""One visibility rule for every list: what leaves a reviewer's sight leaves every list.

A reviewer (ministry staff) follows an agreed recommendation, is mentioned on it, finds
it on a meeting's agenda and among a strategy's evidence, and is told of a package. Then
the recommendation goes back to discussion under a new title, and the reviewer moves to
another ministry. The test walks every page a reviewer may open (the permission
matrix's GET routes), the exports, the API, the notification list and bell, and the
digest: the new title appears nowhere, and what stays visible is still listed."""

import io
import json

import docx
import openpyxl
import pytest

from app.digests import digest
from app.exports import packages, selection
from app.follows import set_following
from app.meetings import services as meeting_services
from app.recommendations import services
from app.strategies import services as strategy_services
from tests import factories
from tests.exports.helpers import OTHER_MINISTRY, ministry
from tests.recommendations.helpers import make_rec, text
from tests.test_permissions import (
    MATRIX,
    build_url,
    routes,
    sample_meeting,
    sample_strategy,
    sample_values,
)

SECRET = "Tajny tytuł po cofnięciu"
HIDDEN_BEFORE = "Ulga dla pracodawców"
STILL_SHOWN = "Żłobki przy parkach"


@pytest.fixture
def scene(app, auth):
    facilitator = factories.make_user("facilitator")
    author = factories.make_user("member")
    reviewer = factories.make_user(
        "reviewer", name="Renata Recenzentka", organisation=ministry().name
    )
    hidden = make_rec(
        author, area="G03", title=HIDDEN_BEFORE, status="agreed", facilitator=facilitator
    )
    shown = make_rec(
        author, area="G01", title=STILL_SHOWN, status="agreed", facilitator=facilitator
    )
    for rec in (hidden, shown):
        set_following(reviewer, "recommendation", rec.id, True)
        services.add_comment(rec, author, "@Renata Recenzentka prosimy o uwagi.")
    package_rec = make_rec(author, area="G05", status="agreed", facilitator=facilitator)
    package = packages.send(
        facilitator,
        selection.parse({"area": "G05"}, None),
        organisation=ministry(),
        title="Pakiet",
        cover_letter="List",
    )
    assert package_rec.status == "submitted"

    meeting = sample_meeting(author)
    meeting_services.add_agenda_item(
        meeting,
        facilitator,
        meeting_services.AgendaFields(
            title="Omówienie", kind="discussion", recommendation_ids=(hidden.id,)
        ),
    )
    strategy = sample_strategy(author)
    strategy_services.link_strategy(hidden, strategy, author, "evidence")

    # Out of sight: back to discussion, renamed; the reviewer changes ministry.
    services.change_status(hidden, facilitator, "discussion", note="Wraca do dyskusji.")
    services.update_recommendation(
        hidden, author, expected_version=hidden.version, text=text(title=SECRET), note="Nowy tytuł"
    )
    reviewer.organisation = ministry(OTHER_MINISTRY)
    factories.db.session.commit()

    auth.login_as(reviewer)
    values = {
        **sample_values(),
        "rec_id": shown.id,
        "meeting_id": meeting.id,
        "strategy_id": strategy.id,
        "code": "G03",
        "package_id": package.id,
    }
    return {"reviewer": reviewer, "hidden": hidden, "shown": shown, "values": values}


def test_every_page_a_reviewer_opens_leaves_the_hidden_recommendation_out(app, scene, client):
    opened = 0
    leaks = []
    for method, rule in routes(app):
        if method != "GET" or MATRIX[(method, rule.endpoint)]["reviewer"] != 200:
            continue
        url = build_url(rule, scene["values"])
        response = client.get(url)
        body = response.get_data()
        response.close()
        if response.status_code != 200:
            continue
        opened += 1
        if SECRET.encode() in body or SECRET.encode("unicode_escape") in body:
            leaks.append(url)
    assert opened > 20, "the walk opened too few pages to mean anything"
    assert not leaks, f"the hidden recommendation's title shows on: {leaks}"


@pytest.mark.parametrize(
    "url",
    [
        "/recommendations/?q=Tajny",
        "/recommendations/?status=discussion",
        "/problems/G03",
        "/exports/recommendations.csv",
        "/exports/recommendations.json",
        "/api/v1/recommendations?q=Tajny",
        "/api/v1/recommendations?status=discussion",
    ],
)
def test_searches_filters_and_exports_leave_it_out(scene, client, url):
    response = client.get(url)
    body = response.get_data()
    response.close()
    assert response.status_code in (200, 400), url
    assert SECRET.encode() not in body
    assert SECRET.encode("unicode_escape") not in body


def test_the_spreadsheet_export_leaves_it_out(scene, client):
    response = client.get("/exports/recommendations.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    assert not [cell for cell in cells if SECRET in cell or HIDDEN_BEFORE in cell]
    assert any(STILL_SHOWN in cell for cell in cells)


def test_the_word_report_leaves_it_out(scene, client):
    response = client.get("/exports/recommendations.docx")
    document = docx.Document(io.BytesIO(response.get_data()))
    paragraphs = [p.text for p in document.paragraphs]
    paragraphs += [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert not [p for p in paragraphs if SECRET in p or HIDDEN_BEFORE in p]
    assert any(STILL_SHOWN in p for p in paragraphs)


def test_what_the_reviewer_follows_lists_only_what_they_still_see(scene, client):
    page = client.get("/account/").get_data(as_text=True)
    assert SECRET not in page
    assert HIDDEN_BEFORE not in page
    assert STILL_SHOWN in page


def test_notifications_and_the_bell_count_only_what_they_still_see(scene, client):
    page = client.get("/notifications/").get_data(as_text=True)
    assert HIDDEN_BEFORE not in page and SECRET not in page
    assert STILL_SHOWN in page  # the mention on the recommendation still in sight
    assert "Pakiet" not in page  # addressed to the ministry the reviewer left
    bell = client.get("/notifications/bell").get_data(as_text=True)
    assert '<span class="bell-count">1</span>' in bell


def test_the_digest_carries_only_what_they_still_see(scene):
    reviewer = scene["reviewer"]
    # Due now: the slot is this hour (Warsaw time).
    reviewer.digest_frequency, reviewer.digest_hour = (
        "daily",
        digest.utcnow().astimezone(digest.WARSAW).hour,
    )
    factories.db.session.commit()
    plan = digest.plan_round(digest.utcnow(), frequency="daily")
    (planned,) = [d for d in plan.digests if d.user.id == reviewer.id]
    subject, plain, html, _ = digest.render(planned)
    for part in (subject, plain, html):
        assert SECRET not in part and HIDDEN_BEFORE not in part and "Pakiet" not in part
    assert STILL_SHOWN in plain
    assert planned.item_count == 1


def test_the_api_detail_and_list_agree(scene, client):
    listing = json.loads(client.get("/api/v1/recommendations").get_data())
    ids = {item["id"] for item in listing["data"]}
    assert scene["shown"].id in ids and scene["hidden"].id not in ids
    assert client.get(f"/api/v1/recommendations/{scene['hidden'].id}").status_code == 404
