"""The permission matrix: every route, every role, the expected outcome.

A new route fails `test_every_route_has_a_row` until it gets a row here, so no
route ships without a decision about who may use it. Requests are sent with a
valid CSRF token and no form data: an allowed POST answers 400 (the form is
invalid) or redirects, a refused one 403 or a redirect to the login page."""

import pytest
from sqlalchemy import select

from app.meetings.models import Meeting
from tests import factories
from tests.conftest import Auth

ROLES = ("anonymous", "member", "facilitator", "reviewer", "admin")


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    """Any account may; anonymous visitors are sent to log in."""
    return {"anonymous": 302, **dict.fromkeys(ROLES[1:], status)}


def admin_only(status):
    return {"anonymous": 302, "member": 403, "facilitator": 403, "reviewer": 403, "admin": status}


def anonymous_only(status, signed_in_status=302):
    return {"anonymous": status, **dict.fromkeys(ROLES[1:], signed_in_status)}


MATRIX = {
    ("GET", "static"): everyone(200),
    ("GET", "main.healthz"): everyone(200),
    ("GET", "main.readyz"): everyone(200),
    ("POST", "main.set_language"): everyone(400),
    ("GET", "main.dashboard"): signed_in(200),
    ("GET", "auth.login"): anonymous_only(200),
    ("POST", "auth.login"): anonymous_only(400),
    ("POST", "auth.logout"): everyone(302),
    ("GET", "auth.accept_invitation"): everyone(400),
    ("POST", "auth.accept_invitation"): everyone(400),
    ("GET", "auth.request_reset"): everyone(200),
    ("POST", "auth.request_reset"): everyone(400),
    ("GET", "auth.reset_password"): everyone(400),
    ("POST", "auth.reset_password"): everyone(400),
    ("GET", "account.settings"): signed_in(200),
    ("POST", "account.settings"): signed_in(302),  # absent fields keep their values
    ("POST", "account.change_password"): signed_in(400),
    ("GET", "problems.index"): signed_in(200),
    ("GET", "problems.detail"): signed_in(200),
    ("GET", "recommendations.index"): signed_in(200),
    ("GET", "meetings.index"): signed_in(200),
    ("GET", "meetings.detail"): signed_in(200),
    ("GET", "admin.users"): admin_only(200),
    ("GET", "admin.invite"): admin_only(200),
    ("POST", "admin.invite"): admin_only(400),
    ("GET", "admin.user"): admin_only(200),
    ("POST", "admin.user"): admin_only(303),
    ("POST", "admin.resend_invitation"): admin_only(303),
}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def test_every_route_has_a_row(app):
    missing = sorted(
        f"{m} {r.endpoint} ({r.rule})" for m, r in routes(app) if (m, r.endpoint) not in MATRIX
    )
    assert not missing, "add these routes to the permission matrix:\n" + "\n".join(missing)
    stale = set(MATRIX) - {(m, r.endpoint) for m, r in routes(app)}
    assert not stale, f"rows for routes that no longer exist: {stale}"


def sample_values():
    target = factories.make_user("member", name="Target Person")
    meeting = factories.db.session.scalar(select(Meeting))
    return {
        "code": "G03",
        "meeting_id": meeting.id,
        "user_id": target.id,
        "token": "not-a-valid-token",
        "filename": "css/app.css",
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_outcome_on_every_route(app, role):
    values = sample_values()
    mismatches = []
    for method, rule in routes(app):
        client = app.test_client()
        auth = Auth(client)
        if role != "anonymous":
            auth.login(role)
        url = rule.build(
            {k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False
        )[1]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": auth.csrf()})
        response.close()
        expected = MATRIX[(method, rule.endpoint)][role]
        if response.status_code != expected:
            mismatches.append(f"{method} {url}: expected {expected}, got {response.status_code}")
    assert not mismatches, f"as {role}:\n" + "\n".join(mismatches)
