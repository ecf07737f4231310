"""A security reviewer's checks: every POST route refuses a missing or wrong CSRF token,
script payloads in every text field render inert, and objects of other people stay theirs."""

import pytest
from lxml import html

from tests import factories
from tests.conftest import Auth
from tests.test_permissions import build_url, routes, sample_values

#: POST routes that stand without a CSRF token, and why.
CSRF_EXEMPT = {
    # The signed unsubscribe token is the authority; mail clients POST it (RFC 8058).
    "account.unsubscribe",
}

CSRF_MESSAGE = "tokenu bezpieczeństwa"

PAYLOADS = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    "<iframe src=//evil.example></iframe>",
    "{{ 7*7 }}<b onmouseover=alert(1)>x</b>",
    "<style>body{display:none}</style>",
)


@pytest.mark.parametrize("token", [None, "not-the-token"])
def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(app, token):
    values = sample_values()
    client = app.test_client()
    Auth(client).login("admin")
    refused = []
    for method, rule in routes(app):
        if method != "POST" or rule.endpoint in CSRF_EXEMPT:
            continue
        url = build_url(rule, values)
        data = {} if token is None else {"csrf_token": token}
        response = client.post(url, data=data)
        # The CSRF refusal itself (Polish: the admin's language), not some other 400.
        if response.status_code != 400 or CSRF_MESSAGE not in response.get_data(as_text=True):
            refused.append(f"{url}: {response.status_code}")
    assert not refused, "accepted without a valid CSRF token:\n" + "\n".join(refused)


def _inert(page: str, where: str) -> None:
    """No script element, event handler or javascript: link came from user text."""
    tree = html.fromstring(page)
    for script in tree.iter("script"):
        assert script.get("src"), f"{where}: inline script"
        assert "alert" not in (script.text or ""), f"{where}: injected script"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {element.tag} {name}={value}"
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith("javascript:"), f"{where}: {value}"
        assert element.tag not in ("iframe", "object", "embed"), f"{where}: {element.tag}"
    assert "<style>body" not in page, f"{where}: injected style"


@pytest.mark.parametrize(
    "page",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src="x" onerror="alert(1)"></p>',
        '<p><a href="javascript:alert(1)">x</a></p>',
        "<p><iframe></iframe></p>",
    ],
)
def test_the_inertness_check_catches_live_markup(page):
    with pytest.raises(AssertionError):
        _inert(page, "sample")


def test_script_payloads_in_every_text_field_render_inert(app, client, auth):
    from app.exports import packages, selection
    from app.recommendations import answers, services
    from app.recommendations.services import TextFields
    from tests.exports.helpers import MINISTRY, ministry
    from tests.test_permissions import sample_meeting, sample_strategy

    payload = " ".join(PAYLOADS)
    author = factories.make_user("member", name="Ala <script>alert(1)</script>")
    facilitator = factories.make_user("facilitator")
    rec = services.create_recommendation(
        author,
        area=factories.area("G03"),
        category=factories.category("R2"),
        text=TextFields(
            title=payload[:300],
            summary=payload,
            body=payload,
            addressee=payload[:300],
            expected_impact=payload,
        ),
    )
    services.add_comment(rec, factories.make_user("member"), payload)
    services.change_status(rec, author, "discussion")
    services.propose_amendment(
        rec, factories.make_user("member"), TextFields(title="x", summary=payload), payload
    )
    services.change_status(rec, facilitator, "agreed")
    challenge = factories.make_challenge("G03", title=payload[:300])
    meeting = sample_meeting(author)
    meeting.title, meeting.description = payload[:300], payload
    strategy = sample_strategy(author)
    strategy.title_original, strategy.summary = payload[:400], payload
    factories.db.session.commit()
    package = packages.send(
        facilitator,
        selection.parse({"area": "G03"}, None),
        organisation=ministry(),
        title=payload[:300],
        cover_letter=payload,
    )
    packages.add_note(package, facilitator, payload)
    reviewer = factories.make_user("reviewer", organisation=MINISTRY)
    answers.stage(
        rec, reviewer, verdict="accepted", reasoning=payload, package_id=package.id, version=None
    )
    answers.publish(reviewer, [rec.id])

    pages = [
        "/",
        "/recommendations/",
        "/recommendations/?q=%3Cscript%3E",
        f"/recommendations/{rec.id}",
        f"/recommendations/{rec.id}/history",
        f"/challenges/{challenge.id}",
        "/problems/G03",
        f"/meetings/{meeting.id}",
        f"/strategies/{strategy.id}",
        "/strategies/",
        f"/exports/packages/{package.id}",
        f"/exports/packages/{package.id}/changes",
        "/exports/",
        "/notifications/",
        "/admin/users",
        "/admin/audit",
    ]
    for person in (facilitator, reviewer, author):
        client = app.test_client()
        Auth(client).login_as(person)
        for url in pages:
            response = client.get(url)
            if response.status_code in (403, 404):
                continue
            assert response.status_code == 200, url
            _inert(response.get_data(as_text=True), f"{person.role} {url}")
    admin = app.test_client()
    Auth(admin).login("admin")
    for url in ("/admin/users", "/admin/audit", "/admin/mail"):
        _inert(admin.get(url).get_data(as_text=True), url)


def test_people_cannot_reach_other_peoples_things(app, client, auth):
    from app.digests.models import Notification
    from app.recommendations import services
    from app.recommendations.services import TextFields

    owner = factories.make_user("member")
    draft = services.create_recommendation(
        owner,
        area=factories.area("G01"),
        category=factories.category("R1"),
        text=TextFields(title="Mój szkic", summary="s"),
    )
    note = Notification(
        user_id=owner.id,
        kind="challenge.new",
        target_type="challenge",
        target_id=1,
        url="/problems/",
        data={"title": "x"},
    )
    factories.db.session.add(note)
    factories.db.session.commit()
    auth.login("member")
    # Someone else's draft: readable in the workspace, never editable or movable.
    assert client.get(f"/recommendations/{draft.id}/edit").status_code == 403
    assert auth.post(
        f"/recommendations/{draft.id}/status", {"target": "discussion"}
    ).status_code in (403,)
    # Someone else's notification is not there.
    assert client.get(f"/notifications/{note.id}").status_code == 404
    # Reviewers never see the draft at all.
    auth.logout()
    auth.login("reviewer")
    assert client.get(f"/recommendations/{draft.id}").status_code == 404
    assert client.get(f"/recommendations/{draft.id}/history").status_code == 404


@pytest.mark.own_app
def test_production_cookies_are_secure_httponly_and_lax(tmp_path, monkeypatch):
    from app import create_app
    from config import ProductionConfig

    class Deployed(ProductionConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"
        INSTANCE_DIR = tmp_path / "instance"
        SECRET_KEY = "a-long-random-production-secret-key-for-tests"

    response = create_app(Deployed).test_client().get("/auth/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
