from sqlalchemy import select

from app.auth.models import LoginThrottle
from app.extensions import db
from tests import factories

GENERIC = "Nieprawidłowy adres e-mail lub hasło."


def login(client, auth, email, password, **extra):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": auth.csrf(), **extra},
    )


def test_login_with_correct_password_opens_dashboard(client, auth):
    user = factories.make_user("member", email="Ala@Example.org")
    response = login(client, auth, "  ALA@example.org ", factories.DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert user.name in page or "Pulpit" in page


def test_wrong_password_and_unknown_address_get_the_same_message(client, auth):
    factories.make_user("member", email="known@example.org")
    wrong = login(client, auth, "known@example.org", "not the password")
    unknown = login(client, auth, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.get_data(as_text=True)
    assert GENERIC in unknown.get_data(as_text=True)


def test_repeated_failures_lock_the_address_in_the_database(app, client, auth):
    factories.make_user("member", email="target@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert login(client, auth, "target@example.org", "guess").status_code == 401
    # Even the right password is refused while the address is locked.
    locked = login(client, auth, "target@example.org", factories.DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert "Zbyt wiele" in locked.get_data(as_text=True)
    row = db.session.scalar(
        select(LoginThrottle).where(LoginThrottle.email == "target@example.org")
    )
    assert row.locked_until is not None


def test_lockout_is_seen_by_a_second_client(app, client, auth):
    """The throttle lives in the database, so another process (client) sees it too."""
    factories.make_user("member", email="shared@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, auth, "shared@example.org", "guess")
    other = app.test_client()
    from tests.conftest import Auth

    other_auth = Auth(other)
    response = login(other, other_auth, "shared@example.org", factories.DEFAULT_PASSWORD)
    assert response.status_code == 429


def test_unknown_addresses_are_throttled_too(app, client, auth):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        login(client, auth, "ghost@example.org", "guess")
    assert login(client, auth, "ghost@example.org", "guess").status_code == 429


def test_success_clears_earlier_failures(app, client, auth):
    factories.make_user("member", email="forgetful@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        login(client, auth, "forgetful@example.org", "guess")
    response = login(client, auth, "forgetful@example.org", factories.DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert db.session.get(LoginThrottle, "forgetful@example.org").failures == 0


def test_deactivated_user_cannot_log_in(client, auth):
    factories.make_user("member", email="gone@example.org", active=False)
    response = login(client, auth, "gone@example.org", factories.DEFAULT_PASSWORD)
    assert response.status_code == 401


def test_login_follows_a_local_next_but_never_another_host(client, auth):
    factories.make_user("member", email="next@example.org")
    response = login(
        client, auth, "next@example.org", factories.DEFAULT_PASSWORD, next="/problems/G03"
    )
    assert response.headers["Location"] == "/problems/G03"
    auth.logout()
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = login(client, auth, "next@example.org", factories.DEFAULT_PASSWORD, next=evil)
        assert response.headers["Location"] == "/", evil
        auth.logout()


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/problems/G03")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=/problems/G03")


def test_empty_login_form_shows_inline_errors(client, auth):
    response = client.post("/auth/login", data={"csrf_token": auth.csrf()})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_logout_ends_the_session(client, auth):
    auth.login("member")
    assert client.get("/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_logout_needs_post_with_csrf(client, auth):
    auth.login("member")
    assert client.get("/auth/logout").status_code == 405
    response = client.post("/auth/logout")
    assert response.status_code == 400
    assert client.get("/").status_code == 200


def test_attempts_are_counted_before_the_password_is_checked(app):
    """Parallel guesses cannot slip past the limit: each claims its attempt first."""
    from app.auth.services import claim_attempt

    allowed = [
        claim_attempt("parallel@example.org") for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3)
    ]
    assert allowed.count(True) == app.config["LOGIN_MAX_FAILURES"]
    assert allowed[-3:] == [False, False, False]


def test_lock_expires_after_the_cool_down(app, client, auth):
    from datetime import timedelta

    from app.database import utcnow

    factories.make_user("member", email="patient@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        login(client, auth, "patient@example.org", "guess")
    row = db.session.get(LoginThrottle, "patient@example.org")
    row.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = login(client, auth, "patient@example.org", factories.DEFAULT_PASSWORD)
    assert response.status_code == 302
