"""Login sessions kept on the server, and what ends them.

Each login is a ``LoginSession`` row; the browser's signed session cookie carries only
the user's id and the row's random key. Logging out ends the row, so a cookie copied
before the logout opens nothing afterwards. Changing one's password ends every other
session of the person; a password reset, deactivation or the loss of the role that may
hold them ends every session and revokes every API token too."""

import hashlib
import secrets
from functools import cache

from flask import session
from sqlalchemy import Select, bindparam, select, update

from app import audit
from app.auth.models import API_TOKEN_ROLES, ApiToken, LoginSession, User
from app.database import utcnow
from app.extensions import db, login_manager

#: Where the session cookie keeps the login's key.
KEY = "login_key"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User) -> None:
    """Record a new login for the current request's session (after ``login_user``)."""
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key)))
    db.session.commit()
    session[KEY] = key


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the active user whose live login this session is, or None
    (logging out, a password change or deactivation end a login)."""
    key = session.get(KEY)
    if not user_id.isdigit() or not isinstance(key, str) or not key:
        return None
    return db.session.scalar(_user_of_login(), {"user_id": int(user_id), "key_hash": _hash(key)})


@cache
def _user_of_login() -> Select:
    """Every signed-in request asks this first: built once per process, each request
    only binds the id and the key's hash."""
    return (
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == bindparam("user_id"),
            User.active.is_(True),
            LoginSession.key_hash == bindparam("key_hash"),
            LoginSession.ended_at.is_(None),
        )
    )


def end_current(reason: str = "logout") -> None:
    key = session.get(KEY)
    if isinstance(key, str) and key:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.key_hash == _hash(key), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_reason=reason)
        )
        db.session.commit()


def end_all(user: User, reason: str, *, keep_current: bool = False) -> None:
    """End the person's sessions (all, or all but this request's); joins the caller's
    transaction."""
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    key = session.get(KEY) if keep_current else None
    if isinstance(key, str) and key:
        query = query.where(LoginSession.key_hash != _hash(key))
    db.session.execute(query.values(ended_at=utcnow(), ended_reason=reason))


def revoke_api_tokens_unless_allowed(user: User, reason: str) -> None:
    """After a role change: revoke the tokens if the new role may not hold any."""
    if user.role not in API_TOKEN_ROLES:
        revoke_api_tokens(user, reason)


def revoke_api_tokens(user: User, reason: str) -> None:
    """Revoke every live API token of the person, for good (a token never comes back
    with a role or an account); joins the caller's transaction."""
    live = list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        )
    )
    now = utcnow()
    for token in live:
        token.revoked_at = now
        audit.record(user, "api_token.revoked", token, name=token.name, reason=reason)
