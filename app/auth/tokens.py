"""Signed, expiring, single-use links for invitations and password resets.

A token carries the user id and a fingerprint of the current password hash.
Setting a password changes the hash, so a used link stops working: no table
of spent tokens is needed."""

import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"


class TokenInvalid(Exception):
    """The link is malformed, forged, already used, or for an inactive account."""


class TokenExpired(TokenInvalid):
    """The link was genuine but is too old."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"warsztat-{purpose}")


def _fingerprint(user) -> str:
    source = f"{user.password_hash or ''}|{user.email}|{user.active}"
    return hashlib.sha256(source.encode()).hexdigest()[:20]


def make_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def max_age(purpose: str) -> int:
    key = "INVITATION_MAX_AGE" if purpose == INVITATION else "PASSWORD_RESET_MAX_AGE"
    return current_app.config[key]


def read_token(token: str, purpose: str, load_user):
    """Return the user the token is for, or raise TokenInvalid / TokenExpired."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except SignatureExpired as exc:
        raise TokenExpired from exc
    except BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        raise TokenInvalid
    user = load_user(data["uid"])
    if user is None or not user.active:
        raise TokenInvalid
    if not hmac.compare_digest(str(data.get("fp", "")), _fingerprint(user)):
        raise TokenInvalid
    return user
