"""Personal tokens for the read-only JSON API: created, listed, revoked, checked.

Only a token's SHA-256 is stored; the token itself is shown once, when made."""

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from app import audit
from app.auth.models import ApiToken, User
from app.database import utcnow
from app.extensions import db
from app.permissions import can

PREFIX = "wt_"
#: A person keeps at most this many live tokens.
MAX_TOKENS = 10


class TokenError(Exception):
    """A token request that cannot be carried out; the message is for the person."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create(user: User, name: str) -> str:
    """A new token for ``user``; returns the token text (the only time it is known)."""
    if len(tokens_of(user)) >= MAX_TOKENS:
        raise TokenError(_("You have %(n)s tokens already; revoke one first.", n=MAX_TOKENS))
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip(), prefix=token[:10], token_hash=_hash(token))
    db.session.add(row)
    db.session.flush()
    audit.record(user, "api_token.created", row, name=row.name)
    db.session.commit()
    return token


def revoke(user: User, token_id: int) -> bool:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record(user, "api_token.revoked", row, name=row.name)
    db.session.commit()
    return True


def user_for(token: str) -> User | None:
    """The owner of a live token, if they are active and may still hold tokens (a
    reviewer turned member loses API access with the role); notes the last use."""
    if not token.startswith(PREFIX) or len(token) > 100:
        return None
    row = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _hash(token), ApiToken.revoked_at.is_(None))
    )
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not can(user, "api_tokens"):
        return None
    now = utcnow()
    # Written at most once a minute per token, in a short transaction of its own (a
    # read transaction cannot always become a write on SQLite); best effort.
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        token_id = row.id
        db.session.commit()
        try:
            db.session.execute(
                update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
            )
            db.session.commit()
        except OperationalError:
            db.session.rollback()
    return user
