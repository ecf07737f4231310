import re

from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.conftest import Auth

RESET_LINK = re.compile(r"http://testserver(/auth/reset/[^\s\"<]+)")


def test_password_reset_by_mail_works_once(client, auth, smtp_server):
    factories.make_user("member", email="reset.me@example.org")
    response = client.post(
        "/auth/reset", data={"email": "Reset.Me@example.org", "csrf_token": auth.csrf()}
    )
    assert response.status_code == 302
    path = RESET_LINK.search(smtp_server.messages[0].get_body(("plain",)).get_content()).group(1)
    done = client.post(
        path,
        data={
            "password": "a brand new password",
            "confirm": "a brand new password",
            "csrf_token": auth.csrf(),
        },
    )
    assert done.status_code == 302
    assert client.get(path).status_code == 400  # used
    login = client.post(
        "/auth/login",
        data={
            "email": "reset.me@example.org",
            "password": "a brand new password",
            "csrf_token": auth.csrf(),
        },
    )
    assert login.status_code == 302


def test_reset_request_does_not_reveal_whether_an_account_exists(client, auth, smtp_server):
    factories.make_user("member", email="exists@example.org")
    known = client.post(
        "/auth/reset",
        data={"email": "exists@example.org", "csrf_token": auth.csrf()},
        follow_redirects=True,
    )
    unknown = client.post(
        "/auth/reset",
        data={"email": "nobody@example.org", "csrf_token": auth.csrf()},
        follow_redirects=True,
    )
    assert known.status_code == unknown.status_code == 200
    flash = "Jeśli z tym adresem jest powiązane konto"
    assert flash in known.get_data(as_text=True) and flash in unknown.get_data(as_text=True)
    assert len(smtp_server.messages) == 1


def test_reset_with_mismatched_passwords_shows_inline_error(app, client, auth):
    user = factories.make_user("member")
    with app.test_request_context():
        token = tokens.make_token(user, tokens.PASSWORD_RESET)
    response = client.post(
        f"/auth/reset/{token}",
        data={
            "password": "a brand new password",
            "confirm": "something else entirely",
            "csrf_token": auth.csrf(),
        },
    )
    assert response.status_code == 400
    assert "Hasła nie są takie same" in response.get_data(as_text=True)


def test_changing_password_ends_other_sessions_but_keeps_this_one(app, client, auth):
    user = factories.make_user("member", email="two.devices@example.org")
    auth.login_as(user)
    laptop = app.test_client()
    Auth(laptop).login_as(user)
    assert laptop.get("/").status_code == 200

    response = auth.post(
        "/account/password",
        {
            "pw-current": factories.DEFAULT_PASSWORD,
            "pw-password": "another long password",
            "pw-confirm": "another long password",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert laptop.get("/").status_code == 302  # the other one is logged out


def test_wrong_current_password_is_an_inline_error(client, auth):
    user = auth.login("member")
    old_hash = user.password_hash
    response = auth.post(
        "/account/password",
        {
            "pw-current": "wrong",
            "pw-password": "another long password",
            "pw-confirm": "another long password",
        },
    )
    assert response.status_code == 400
    assert "Obecne hasło jest nieprawidłowe" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == old_hash


def test_guessing_the_current_password_is_throttled(app, client, auth):
    auth.login("member")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.post(
            "/account/password",
            {"pw-current": "guess", "pw-password": "x" * 20, "pw-confirm": "x" * 20},
        )
    response = auth.post(
        "/account/password",
        {
            "pw-current": factories.DEFAULT_PASSWORD,
            "pw-password": "another long password",
            "pw-confirm": "another long password",
        },
    )
    assert response.status_code == 400
    assert "Zbyt wiele" in response.get_data(as_text=True)


def test_reset_requests_cannot_flood_an_inbox(client, auth, smtp_server):
    factories.make_user("member", email="flooded@example.org")
    for _ in range(5):
        response = client.post(
            "/auth/reset", data={"email": "flooded@example.org", "csrf_token": auth.csrf()}
        )
        assert response.status_code == 302
    assert len(smtp_server.messages) == 1


def test_reset_mail_failure_looks_like_success(client, auth, unreachable_smtp):
    """A failing mail server must not reveal that the address has an account."""
    factories.make_user("member", email="unlucky.reset@example.org")
    known = client.post(
        "/auth/reset", data={"email": "unlucky.reset@example.org", "csrf_token": auth.csrf()}
    )
    unknown = client.post(
        "/auth/reset", data={"email": "nobody.here@example.org", "csrf_token": auth.csrf()}
    )
    assert known.status_code == unknown.status_code == 302
