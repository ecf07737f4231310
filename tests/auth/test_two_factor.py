"""Two-factor sign-in with a real TOTP computed here (pyotp, RFC 6238): setting it up,
logging in with a code or a recovery code, never the same code twice, the throttle, and
the setting that requires it of administrators and reviewers."""

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.audit import AuditEvent
from app.auth import api_tokens
from app.auth.models import RecoveryCode, User
from app.extensions import db
from config import ProductionConfig
from tests import factories
from tests.conftest import Auth


def secret_on(page: str) -> str:
    found = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page)
    assert found, "no secret on the set-up page"
    return found.group(1).replace(" ", "")


def fresh_code(user: User) -> str:
    """A code the server has not accepted yet: the current step's, or the next one's
    when the current one is used (both within the allowed drift)."""
    db.session.refresh(user)
    totp = pyotp.TOTP(user.totp_secret)
    step = int(time.time()) // totp.interval
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    return totp.generate_otp(step)


def set_up(auth, user) -> list[str]:
    """Turn two-factor sign-in on through the pages, as a person would; returns the
    recovery codes shown."""
    page = auth.post("/account/two-factor/start").get_data(as_text=True)
    assert "<svg" in page and "QR" in page
    secret = secret_on(page)
    code = pyotp.TOTP(secret).now()
    done = auth.post("/account/two-factor/enable", {"code": code})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    codes = re.findall(
        r"<li><code>([0-9A-F]{5}-[0-9A-F]{5})</code></li>", done.get_data(as_text=True)
    )
    db.session.refresh(user)
    assert user.has_two_factor and user.totp_secret == secret
    return codes


def password_step(client, user):
    auth = Auth(client)
    return client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": factories.DEFAULT_PASSWORD,
            "csrf_token": auth.csrf(),
        },
    )


def second_step(client, code):
    page = client.get("/auth/two-factor").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/auth/two-factor", data={"code": code, "csrf_token": csrf})


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_setting_it_up_and_logging_in_with_a_code(app, client, auth):
    me = auth.login("member", language="en")
    codes = set_up(auth, me)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == me.id))
    assert not set(codes) & set(stored)  # only hashes are kept
    auth.logout()

    # The password alone does not log in: it leads to the second step.
    first = password_step(client, me)
    assert first.status_code == 303 and first.headers["Location"] == "/auth/two-factor"
    assert not logged_in(client)
    wrong = second_step(client, "000000" if fresh_code(me) != "000000" else "111111")
    assert wrong.status_code == 401 and "not correct" in wrong.get_data(as_text=True)
    code = fresh_code(me)
    ok = second_step(client, code)
    assert ok.status_code == 302 and logged_in(client)
    auth.logout()

    # The same code never opens a second login (someone who saw it over a shoulder).
    password_step(client, me)
    replay = second_step(client, code)
    assert replay.status_code == 401 and not logged_in(client)
    assert [
        e.data.get("method")
        for e in db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "user.logged_in", AuditEvent.actor_id == me.id
            )
        )
    ] == ["password", "totp"]


def test_a_recovery_code_works_once(client, auth):
    me = auth.login("member", language="en")
    codes = set_up(auth, me)
    auth.logout()
    password_step(client, me)
    ok = second_step(client, codes[3].lower().replace("-", " "))  # typed loosely
    assert ok.status_code == 302
    assert "9 are left" in client.get("/").get_data(as_text=True)
    auth.logout()
    password_step(client, me)
    assert second_step(client, codes[3]).status_code == 401
    assert second_step(client, codes[4]).status_code == 302


def test_wrong_codes_are_throttled(app, client, auth):
    me = auth.login("member")
    set_up(auth, me)
    auth.logout()
    password_step(client, me)
    right = fresh_code(me)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert second_step(client, wrong).status_code == 401
    locked = second_step(client, right)
    assert locked.status_code == 429 and not logged_in(client)


def test_the_first_step_expires(client, auth):
    me = auth.login("member")
    set_up(auth, me)
    auth.logout()
    password_step(client, me)
    with client.session_transaction() as session:
        pending = dict(session["pending_login"])
        pending["since"] -= 301  # five minutes and a second ago
        session["pending_login"] = pending
    response = client.get("/auth/two-factor")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"


def test_a_wrong_first_code_does_not_turn_it_on(client, auth):
    me = auth.login("member", language="en")
    page = auth.post("/account/two-factor/start").get_data(as_text=True)
    secret = secret_on(page)
    right = pyotp.TOTP(secret).now()
    response = auth.post("/account/two-factor/enable", {"code": f"{(int(right) + 5) % 10**6:06d}"})
    assert response.status_code == 400 and "not correct" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert not me.has_two_factor and me.totp_secret is None


@pytest.fixture
def required(app, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("admin", "reviewer"))


def test_admins_and_reviewers_must_set_it_up_first(client, auth, required):
    reviewer = auth.login("reviewer", language="en")
    # Logged in with the password, but every page waits for the set-up.
    page = client.get("/")
    assert page.status_code == 303 and page.headers["Location"] == "/account/two-factor"
    assert client.get("/exports/").headers["Location"] == "/account/two-factor"
    # An htmx request (the bell's poll) is told to send the whole browser there; it
    # gets no page to swap into the bell, and adds no message each time.
    htmx = client.get("/notifications/bell", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"] == "/account/two-factor"
    assert "Location" not in htmx.headers
    assert "Your role requires two-factor sign-in" in client.get("/account/two-factor").get_data(
        as_text=True
    )
    set_up(auth, reviewer)
    assert client.get("/").status_code == 200
    # It cannot be turned off while the role requires it.
    refused = auth.post("/account/two-factor/disable", {"code": fresh_code(reviewer)})
    assert refused.status_code == 400 and "cannot be turned off" in refused.get_data(as_text=True)
    db.session.refresh(reviewer)
    assert reviewer.has_two_factor
    # Members are not asked.
    auth.logout()
    auth.login("member")
    assert client.get("/").status_code == 200


def test_a_member_turns_it_off_with_a_code(client, auth):
    me = auth.login("member", language="en")
    set_up(auth, me)
    response = auth.post("/account/two-factor/disable", {"code": fresh_code(me)})
    assert response.status_code == 303
    db.session.refresh(me)
    assert not me.has_two_factor
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == me.id)) is None


def test_new_recovery_codes_replace_the_old(client, auth):
    me = auth.login("member")
    old = set_up(auth, me)
    page = auth.post("/account/two-factor/recovery-codes", {"code": fresh_code(me)})
    new = re.findall(
        r"<li><code>([0-9A-F]{5}-[0-9A-F]{5})</code></li>", page.get_data(as_text=True)
    )
    assert len(new) == 10 and not set(new) & set(old)
    auth.logout()
    password_step(client, me)
    assert second_step(client, old[0]).status_code == 401
    assert second_step(client, new[0]).status_code == 302


def test_an_admin_resets_it_for_someone_who_lost_everything(app, client, auth):
    person = factories.make_user("member")
    other = app.test_client()
    other_auth = Auth(other)
    other_auth.login_as(person)
    set_up(other_auth, person)
    auth.login("admin", language="en")
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert f"/admin/users/{person.id}/two-factor/reset" in page
    response = auth.post(f"/admin/users/{person.id}/two-factor/reset")
    assert response.status_code == 303
    db.session.refresh(person)
    assert not person.has_two_factor
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.two_factor_reset")
    )
    assert event.object_id == person.id
    # Refused when there is nothing to reset.
    assert auth.post(f"/admin/users/{person.id}/two-factor/reset").status_code == 409


def test_production_requires_it_of_admins_and_reviewers():
    assert ProductionConfig.TWO_FACTOR_REQUIRED_ROLES == ("admin", "reviewer")


def test_logins_logouts_and_failures_are_audited(client, auth):
    me = factories.make_user("member", email="audited@example.org")
    client.post(
        "/auth/login", data={"email": me.email, "password": "wrong", "csrf_token": auth.csrf()}
    )
    client.post(
        "/auth/login",
        data={"email": "ghost@example.org", "password": "x", "csrf_token": auth.csrf()},
    )
    auth.login_as(me)
    auth.logout()
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.object_id, AuditEvent.data).order_by(AuditEvent.id)
    ).all()
    assert [(a, o) for a, o, _ in events if a.startswith("user.")] == [
        ("user.login_failed", me.id),
        ("user.login_failed", None),
        ("user.logged_in", me.id),
        ("user.logged_out", me.id),
    ]
    failed = [d for a, _, d in events if a == "user.login_failed"]
    assert failed[1] == {"email": "ghost@example.org", "reason": "wrong"}
    assert all("password" not in str(d) for d in failed)


def test_the_secret_being_set_up_is_not_in_the_session_cookie(app, client, auth):
    """The session cookie is signed, not encrypted: the secret stays on the server."""
    me = auth.login("member")
    secret = secret_on(auth.post("/account/two-factor/start").get_data(as_text=True))
    cookie = client.get_cookie("session").value
    session = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert secret not in repr(session)
    db.session.refresh(me)
    assert me.totp_pending_secret == secret and not me.has_two_factor


def test_the_code_throttle_cannot_be_reached_from_the_login_form(app, client, auth):
    """Typing the throttle's key for someone's codes as an address counts nothing."""
    victim = auth.login("member")
    set_up(auth, victim)
    auth.logout()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        client.post(
            "/auth/login",
            data={"email": f"2fa:{victim.id}", "password": "x", "csrf_token": auth.csrf()},
        )
    password_step(client, victim)
    assert second_step(client, fresh_code(victim)).status_code == 302


def test_wrong_codes_are_audited(client, auth):
    me = auth.login("member")
    set_up(auth, me)
    auth.logout()
    password_step(client, me)
    second_step(client, f"{(int(fresh_code(me)) + 1) % 1_000_000:06d}")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.two_factor_failed")
    )
    assert event is not None and event.object_id == me.id


def test_api_tokens_wait_for_the_set_up_where_the_role_requires_it(app, client, auth, required):

    reviewer = factories.make_user(
        "reviewer", organisation="Ministerstwo Funduszy i Polityki Regionalnej"
    )
    token = api_tokens.create(reviewer, "Excel")
    refused = client.get("/api/v1/problem-areas", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert "wymaga logowania dwuetapowego" in refused.get_data(as_text=True)
    other = app.test_client()
    other_auth = Auth(other)
    other_auth.login_as(reviewer)
    set_up(other_auth, reviewer)
    ok = client.get("/api/v1/problem-areas", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
