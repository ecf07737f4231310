"""Two-factor sign-in: a code from an authenticator app (TOTP, RFC 6238) after the
password, or one of ten one-time recovery codes.

Codes are checked against the same throttle as passwords, keyed by the account, so a
stolen password does not give an attacker unlimited guesses at six digits. A code is
accepted once: the step it belongs to is recorded with a conditional UPDATE, so two
requests carrying the same code cannot both pass."""

import hashlib
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update

from app import audit
from app.auth.models import RecoveryCode, User
from app.auth.services import AccountError, claim_attempt, clear_throttle
from app.database import utcnow
from app.extensions import db

ISSUER = "Warsztat"
RECOVERY_CODES = 10
#: A code from the step before or after the current one is still accepted (clock drift).
DRIFT_STEPS = 1
#: How long a password stays good for the second step of a login.
PENDING_SECONDS = 300


def required(user: User) -> bool:
    """Whether this account must use two-factor sign-in (a setting, on in production,
    names the roles: administrators and ministry reviewers)."""
    return user.role in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


def start_setup(user: User) -> str:
    """A new secret for ``user`` to scan, kept until a code from the app confirms it."""
    user.totp_pending_secret = pyotp.random_base32()
    db.session.commit()
    return user.totp_pending_secret


def setup_uri(user: User, secret: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The address as an inline SVG QR code (black on white, whatever the theme)."""
    return segno.make(uri, error="m").svg_inline(scale=5, light="#fff", title=title)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it in by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _code_step(secret: str, code: str, now: float) -> int | None:
    """The time step ``code`` belongs to, within the allowed drift, or None."""
    totp = pyotp.TOTP(secret)
    step = int(now) // totp.interval
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def _recovery_hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _n in range(RECOVERY_CODES):
        raw = secrets.token_hex(5).upper()  # 40 bits, shown as XXXXX-XXXXX
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(raw)))
    return codes


def _throttle_key(user: User) -> str:
    return f"2fa:{user.id}"


def _is_app_code(code: str) -> bool:
    return len(code) == 6 and code.isascii() and code.isdigit()


def _accept_totp(user: User, secret: str, code: str) -> bool:
    if not _is_app_code(code):
        return False
    step = _code_step(secret, code, time.time())
    if step is None:
        return False
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _accept_recovery(user: User, code: str) -> bool:
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    return used == 1


def check(user: User, code: str) -> str:
    """Check a code for ``user`` (who has two-factor sign-in on): an app code or a
    recovery code. Returns how it was passed (``totp`` or ``recovery``).

    Raises ``AccountError`` for a wrong code, or when too many were wrong lately."""
    if not claim_attempt(_throttle_key(user)):
        raise TooManyAttempts(_("Too many wrong codes. Wait a few minutes and try again."))
    code = _digits(code)
    method = None
    if _is_app_code(code):
        if _accept_totp(user, user.totp_secret, code):
            method = "totp"
    elif code and _accept_recovery(user, code):
        method = "recovery"
    if method is None:
        audit.record(user, "user.two_factor_failed", user)
        db.session.commit()  # the failed attempt stays counted, and is on record
        raise AccountError(_("This code is not correct, or it has been used already."))
    clear_throttle(_throttle_key(user))
    if method == "recovery":
        audit.record(user, "user.recovery_code_used", user)
    db.session.commit()
    return method


class TooManyAttempts(AccountError):
    """Codes for this account are refused for a while."""


def enable(user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on once a code from the app proves the secret being set
    up is in it; returns the recovery codes, to show once."""
    secret = user.totp_pending_secret
    if user.has_two_factor:
        raise AccountError(_("Two-factor sign-in is already on."))
    if not claim_attempt(_throttle_key(user)):
        raise TooManyAttempts(_("Too many wrong codes. Wait a few minutes and try again."))
    if not secret or not _accept_totp(user, secret, _digits(code)):
        db.session.commit()
        raise AccountError(
            _("This code is not correct. Check the time on your phone and try the next code.")
        )
    clear_throttle(_throttle_key(user))
    user.totp_secret = secret
    user.totp_pending_secret = None
    user.totp_enabled_at = utcnow()
    codes = _new_recovery_codes(user)
    audit.record(user, "user.two_factor_enabled", user)
    db.session.commit()
    return codes


def new_recovery_codes(user: User, code: str) -> list[str]:
    """Replace the recovery codes (a current code is asked first)."""
    check(user, code)
    codes = _new_recovery_codes(user)
    audit.record(user, "user.recovery_codes_renewed", user)
    db.session.commit()
    return codes


def disable(user: User, code: str) -> None:
    """Turn it off with a current code; refused where the role requires it."""
    if required(user):
        raise AccountError(_("Your role requires two-factor sign-in: it cannot be turned off."))
    check(user, code)
    _switch_off(user)
    audit.record(user, "user.two_factor_disabled", user)
    db.session.commit()


def reset(user: User, actor: User) -> None:
    """An administrator turns it off for someone who lost both phone and codes; they
    set it up again at their next login if their role requires it."""
    _switch_off(user)
    audit.record(actor, "user.two_factor_reset", user)
    db.session.commit()


def _switch_off(user: User) -> None:
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )
