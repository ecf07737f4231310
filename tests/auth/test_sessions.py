"""Sessions end on the server: a cookie copied before logging out opens nothing after it,
and API tokens do not outlive a password change, a lost role or a deactivation."""

from sqlalchemy import select

from app.auth import api_tokens
from app.auth.models import LoginSession
from app.extensions import db
from tests import factories
from tests.conftest import Auth

NEW_PASSWORD = "another long password"


def copy_of(app, client):
    """A second client holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, client, auth):
    user = auth.login("member")
    thief = copy_of(app, client)
    assert thief.get("/account/").status_code == 200  # the copy works while the login lasts
    csrf = Auth(thief).csrf()
    auth.logout()
    assert thief.get("/account/").status_code == 302  # to the login page
    changed = thief.post("/account/", data={"name": "Przejęte konto", "csrf_token": csrf})
    assert changed.status_code in (302, 400)
    db.session.refresh(user)
    assert user.name != "Przejęte konto"
    row = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
    assert row.ended_at is not None and row.ended_reason == "logout"


def test_logging_out_on_one_device_keeps_the_others(app, client, auth):
    user = factories.make_user("member")
    auth.login_as(user)
    laptop = app.test_client()
    Auth(laptop).login_as(user)
    Auth(laptop).logout()
    assert laptop.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_deactivation_ends_every_session(app, client, auth):
    person = factories.make_user("member")
    phone = app.test_client()
    Auth(phone).login_as(person)
    assert phone.get("/").status_code == 200
    auth.login("admin")
    auth.post(f"/admin/users/{person.id}", {"role": "member"})  # unchecked box: inactive
    assert phone.get("/").status_code == 302
    rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == person.id))
    assert {row.ended_reason for row in rows} == {"deactivated"}


def api(client, token: str) -> int:
    return client.get("/api/v1/meetings", headers={"Authorization": f"Bearer {token}"}).status_code


def change_password(auth) -> int:
    return auth.post(
        "/account/password",
        {
            "pw-current": factories.DEFAULT_PASSWORD,
            "pw-password": NEW_PASSWORD,
            "pw-confirm": NEW_PASSWORD,
        },
    ).status_code


def test_a_password_change_revokes_the_api_tokens(client, auth):
    reviewer = auth.login("reviewer")
    token = api_tokens.create(reviewer, "Excel")
    assert api(client.application.test_client(), token) == 200
    assert change_password(auth) == 302
    assert api(client.application.test_client(), token) == 401
    assert api_tokens.tokens_of(reviewer) == []


def test_a_token_does_not_come_back_with_the_role_or_the_account(app, client, auth):
    reviewer = factories.make_user("reviewer")
    first = api_tokens.create(reviewer, "Excel")
    auth.login("admin")
    auth.post(f"/admin/users/{reviewer.id}", {"role": "member", "active": "y"})
    auth.post(f"/admin/users/{reviewer.id}", {"role": "reviewer", "active": "y"})
    assert api(app.test_client(), first) == 401

    second = api_tokens.create(reviewer, "Skrypt")
    auth.post(f"/admin/users/{reviewer.id}", {"role": "reviewer"})  # deactivated
    auth.post(f"/admin/users/{reviewer.id}", {"role": "reviewer", "active": "y"})
    assert api(app.test_client(), second) == 401


def test_a_password_reset_ends_sessions_and_revokes_tokens(app, client, auth):
    from app.auth import services

    reviewer = factories.make_user("reviewer")
    token = api_tokens.create(reviewer, "Excel")
    Auth(client).login_as(reviewer)
    services.reset_password(reviewer, NEW_PASSWORD)
    assert client.get("/").status_code == 302
    assert api(app.test_client(), token) == 401
