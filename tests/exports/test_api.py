"""The read-only JSON API: tokens, scoping, pagination, errors, and schemathesis against
the published OpenAPI description."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from app.auth import api_tokens
from app.auth.models import ApiToken
from app.extensions import db
from tests import factories
from tests.exports.helpers import agreed_set


def _bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_tokens.create(user, 'test')}"}


def test_no_token_is_401_with_a_json_reason(client):
    response = client.get("/api/v1/recommendations")
    assert response.status_code == 401
    assert response.is_json and response.json["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    bad = client.get("/api/v1/recommendations", headers={"Authorization": "Bearer wt_nope"})
    assert bad.status_code == 401


def test_a_reviewer_token_reads_only_what_reviewers_see(client):
    _, _, recs, draft = agreed_set()
    reviewer = factories.make_user("reviewer")
    headers = _bearer(reviewer)
    body = client.get("/api/v1/recommendations", headers=headers).json
    assert [r["reference"] for r in body["data"]] == ["G01/R4/1", "G03/R1/1", "G03/R2/1"]
    assert body["meta"] == {"page": 1, "per_page": 25, "total": 3, "pages": 1}
    assert client.get(f"/api/v1/recommendations/{draft.id}", headers=headers).status_code == 404
    one = client.get(f"/api/v1/recommendations/{recs[0].id}", headers=headers).json["data"]
    assert one["title"] == "Fundusz powrotów"
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == reviewer.id))
    assert token.last_used_at is not None


def test_pagination_links_and_bad_parameters(client):
    agreed_set()
    headers = _bearer(factories.make_user("admin"))
    first = client.get("/api/v1/recommendations?per_page=2", headers=headers).json
    assert first["meta"]["pages"] == 2 and len(first["data"]) == 2
    assert first["links"]["prev"] is None
    second = client.get(first["links"]["next"], headers=headers).json
    assert len(second["data"]) == 2 and second["links"]["next"] is None
    assert {r["id"] for r in first["data"]}.isdisjoint({r["id"] for r in second["data"]})
    for url in (
        "/api/v1/recommendations?per_page=0",
        "/api/v1/recommendations?page=x",
        "/api/v1/recommendations?area=G99",
        "/api/v1/recommendations?colour=red",
        "/api/v1/strategies?country=Poland",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 400, url
        assert response.is_json and response.json["error"], url


def test_a_revoked_token_stops_working(auth, client):
    admin = auth.login("admin", language="en")
    page = auth.post("/account/api-tokens", {"token-name": "Skrypt"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "shown only now" in text
    token = text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        client.application.test_client().get("/api/v1/meetings", headers=headers).status_code == 200
    )
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == admin.id))
    assert auth.post(f"/account/api-tokens/{row.id}/revoke").status_code == 303
    assert (
        client.application.test_client().get("/api/v1/meetings", headers=headers).status_code == 401
    )


def test_members_cannot_make_tokens(auth):
    auth.login("member")
    assert auth.post("/account/api-tokens", {"token-name": "x"}).status_code == 403
    assert "api-tokens" not in auth.client.get("/account/").get_data(as_text=True)


def test_api_conforms_to_its_openapi_description(app):
    """Every operation, with generated parameters, answers as its description says.

    (Schemathesis's lazy pytest loader does not run on pytest 9 yet, so the
    operations are driven through Hypothesis directly.)"""
    agreed_set()
    factories.make_meeting()
    headers = _bearer(factories.make_user("reviewer"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 5
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers)

        check()


def test_links_come_from_base_url_not_from_the_host_header(app, client, monkeypatch):
    """A forged Host header must not plant another site's address in the answers."""
    from tests.meetings.helpers import plan
    from tests.test_permissions import sample_strategy

    monkeypatch.setitem(app.config, "BASE_URL", "https://warsztat.example.gov.pl")
    agreed_set()
    meeting, facilitator = plan()
    sample_strategy(facilitator)
    headers = {**_bearer(factories.make_user("admin")), "Host": "evil.example"}
    body = client.get("/api/v1/recommendations?per_page=2", headers=headers).json
    assert body["links"]["next"].startswith("https://warsztat.example.gov.pl/api/v1/")
    for url in ("/api/v1/meetings", "/api/v1/strategies"):
        (first,) = client.get(url, headers=headers).json["data"][:1]
        assert first["url"].startswith("https://warsztat.example.gov.pl/"), url
    spec = client.get("/api/v1/openapi.json", headers=headers).json
    assert spec["servers"] == [{"url": "https://warsztat.example.gov.pl/api/v1"}]
