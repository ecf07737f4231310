"""Every change to accounts: creating, inviting, logging in, passwords, settings, roles."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit, events, mail, mailqueue
from app.auth import sessions, tokens
from app.auth.models import LoginThrottle, Organisation, Role, Sector, User
from app.database import utcnow
from app.extensions import db

# Compared against when the address has no account, so both paths cost the same.
_DUMMY_HASH = None


class AccountError(Exception):
    """A request about accounts that cannot be carried out; the message is for the user."""


@dataclass
class LoginResult:
    user: User | None = None
    throttled: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def create_user(
    email: str,
    name: str,
    role: str,
    *,
    password: str | None = None,
    organisation: Organisation | None = None,
    language: str = "pl",
    actor: User | None = None,
) -> User:
    """Create an account (without a password it waits for an invitation to be accepted)."""
    email = normalise_email(email)
    if role not in tuple(Role):
        raise AccountError(_("Unknown role: %(role)s.", role=role))
    if find_user_by_email(email) is not None:
        raise AccountError(_("An account with this email address already exists."))
    user = User(
        email=email, name=name.strip(), role=role, organisation=organisation, language=language
    )
    if password:
        _set_password(user, password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user, role=role)
    db.session.commit()
    return user


def invite_user(
    email: str,
    name: str,
    role: str,
    *,
    organisation: Organisation | None,
    language: str,
    actor: User,
) -> User:
    """Create an account and mail its invitation link. Commits before sending, so a
    mail failure leaves the account in place to be invited again."""
    user = create_user(email, name, role, organisation=organisation, language=language, actor=actor)
    send_invitation(user, actor)
    return user


def send_invitation(user: User, actor: User | None) -> None:
    if user.has_password:
        raise AccountError(_("This person has already accepted an invitation."))
    token = tokens.make_token(user, tokens.INVITATION)
    link = _absolute_url("auth.accept_invitation", token=token)
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    with force_locale(user.language):
        message = mail.render_message(
            user.email,
            _("Invitation to Warsztat"),
            "mail/invitation",
            user=user,
            link=link,
            inviter=actor,
            days=days,
        )
    mail.send(message)
    user.invited_at = utcnow()
    audit.record(actor, "user.invited", user)
    db.session.commit()


def accept_invitation(user: User, password: str, name: str | None = None) -> None:
    if name:
        user.name = name.strip()
    _set_password(user, password)
    audit.record(user, "user.invitation_accepted", user)
    db.session.commit()


def request_password_reset(email: str) -> None:
    """Mail a reset link if an active account exists; say nothing either way.

    At most one mail per address per RESET_REQUEST_INTERVAL, so nobody can flood
    someone's inbox through this form."""
    email = normalise_email(email)
    if not _claim_reset_request(email):
        return
    user = find_user_by_email(email)
    if user is None or not user.active or not user.has_password:
        return
    token = tokens.make_token(user, tokens.PASSWORD_RESET)
    link = _absolute_url("auth.reset_password", token=token)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.language):
        message = mail.render_message(
            user.email,
            _("Resetting your Warsztat password"),
            "mail/password_reset",
            user=user,
            link=link,
            minutes=minutes,
        )
    mail.send(message)


def _claim_reset_request(email: str) -> bool:
    now = utcnow()
    since = now - timedelta(seconds=current_app.config["RESET_REQUEST_INTERVAL"])
    claimed = db.session.execute(
        update(LoginThrottle)
        .where(
            LoginThrottle.email == email,
            (LoginThrottle.reset_requested_at.is_(None))
            | (LoginThrottle.reset_requested_at < since),
        )
        .values(reset_requested_at=now)
    ).rowcount
    if not claimed:
        exists = db.session.scalar(select(LoginThrottle.email).where(LoginThrottle.email == email))
        if exists is not None:
            db.session.rollback()
            return False
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=email, failures=0, reset_requested_at=now))
        except IntegrityError:
            db.session.rollback()
            return False  # a parallel request for the same address won
    db.session.commit()
    return True


def reset_password(user: User, password: str) -> None:
    """A new password from a mailed link: whoever knew the old one is shut out, so every
    session ends and every API token is revoked."""
    _set_password(user, password)
    sessions.end_all(user, "password")
    sessions.revoke_api_tokens(user, "password_reset")
    clear_throttle(user.email)
    audit.record(user, "user.password_reset", user)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; wrong guesses count against the same throttle as logins."""
    if not claim_attempt(user.email):
        raise AccountError(_("Too many failed attempts. Wait a few minutes and try again."))
    if not user.password_hash or not check_password_hash(user.password_hash, current):
        raise AccountError(_("The current password is not correct."))
    clear_throttle(user.email)
    _set_password(user, new)
    sessions.end_all(user, "password", keep_current=True)
    sessions.revoke_api_tokens(user, "password_changed")
    audit.record(user, "user.password_changed", user)
    db.session.commit()


def update_account(
    user: User,
    *,
    name: str,
    language: str,
    digest_frequency: str,
    digest_hour: int | None = None,
    digest_weekday: int | None = None,
) -> None:
    user.name = name.strip()
    user.language = language
    before = (user.digest_frequency, user.digest_hour, user.digest_weekday)
    if user.digest_frequency != digest_frequency:
        audit.record(
            user, "digest.frequency_changed", user, old=user.digest_frequency, new=digest_frequency
        )
    user.digest_frequency = digest_frequency
    if digest_frequency == "off":
        mailqueue.cancel_for_user(user.id, "digest")
    if digest_hour is not None:
        user.digest_hour = digest_hour
    if digest_weekday is not None:
        user.digest_weekday = digest_weekday
    if (user.digest_frequency, user.digest_hour, user.digest_weekday) != before:
        events.digest_settings_changed.send(user)
    db.session.commit()


def unsubscribe_from_digests(user: User) -> bool:
    """Switch the digest off from a mailed link; audited. False if it was off already."""
    if user.digest_frequency == "off":
        return False
    audit.record(user, "digest.unsubscribed", user, old=user.digest_frequency, via="link")
    user.digest_frequency = "off"
    mailqueue.cancel_for_user(user.id, "digest")  # nothing more, not even a retry
    db.session.commit()
    return True


def set_language(user: User, language: str) -> None:
    user.language = language
    db.session.commit()


def update_user(
    user: User,
    *,
    role: str,
    active: bool,
    actor: User,
    organisation: Organisation | None = None,
    keep_organisation: bool = True,
) -> None:
    """An admin changes another person's role, organisation (and with it the sector)
    and active flag, in one transaction."""
    if role not in tuple(Role):
        raise AccountError(_("Unknown role: %(role)s.", role=role))
    if not keep_organisation and user.organisation_id != (organisation and organisation.id):
        audit.record(
            actor,
            "user.organisation_changed",
            user,
            old=user.organisation.name if user.organisation else None,
            new=organisation.name if organisation else None,
        )
        user.organisation = organisation
    if user.role != role:
        audit.record(actor, "user.role_changed", user, old=user.role, new=role)
        user.role = role
        sessions.revoke_api_tokens_unless_allowed(user, "role_changed")
    if user.active != active:
        user.active = active
        if not active:
            sessions.end_all(user, "deactivated")  # signs the person out everywhere
            sessions.revoke_api_tokens(user, "deactivated")
            mailqueue.cancel_for_user(user.id, "digest")
        audit.record(actor, "user.activated" if active else "user.deactivated", user)
    db.session.commit()


def organisation_named(name: str, sector_code: str) -> Organisation:
    """The organisation of that name, made (in the sector given) if it is new; the caller
    commits. A name already on the list keeps its own sector."""
    name = " ".join(name.split())
    # Compared in Python: SQL lower() leaves "Ł" as it is on SQLite (and some locales).
    existing = organisation_like(name)
    if existing is not None:
        return existing
    if db.session.get(Sector, sector_code) is None:
        raise AccountError(_("Choose the sector of the new organisation."))
    organisation = Organisation(name=name, sector_code=sector_code)
    try:
        with db.session.begin_nested():
            db.session.add(organisation)
    except IntegrityError:
        # Someone added it at the same moment: use theirs.
        existing = organisation_like(name)
        if existing is None:
            raise
        return existing
    return organisation


def organisation_like(name: str) -> Organisation | None:
    """The organisation of that name, whatever its case and spacing (or None)."""
    wanted = " ".join(name.split()).casefold()
    return next(
        (
            o
            for o in db.session.scalars(select(Organisation))
            if " ".join(o.name.split()).casefold() == wanted
        ),
        None,
    )


# --- logging in -----------------------------------------------------------------


def authenticate(email: str, password: str) -> LoginResult:
    """Check a login attempt, counting attempts per address in the database.

    The result is the same for an unknown address and a wrong password, and the
    throttle applies to both, so neither the message nor the lock-out tells an
    attacker which addresses have accounts. The attempt is counted (and
    committed) before the password is checked, so parallel guesses cannot slip
    past the limit."""
    email = normalise_email(email)
    if not email or "@" not in email:
        # Not an address: nobody's, and never one of the throttle's other keys.
        return LoginResult()
    if not claim_attempt(email):
        _failed_login(email, "locked")
        return LoginResult(throttled=True)
    user = find_user_by_email(email)
    if user is not None and user.password_hash and user.active:
        ok = check_password_hash(user.password_hash, password)
    else:
        check_password_hash(_dummy_hash(), password)
        ok = False
    if not ok:
        _failed_login(email, "wrong")
        return LoginResult()
    clear_throttle(email)
    user.last_login_at = utcnow()
    db.session.commit()
    return LoginResult(user=user)


def _failed_login(email: str, reason: str) -> None:
    """Audit a refused login, naming the address typed (no password ever)."""
    user = find_user_by_email(email)
    audit.record(None, "user.login_failed", user or "login", email=email, reason=reason)
    db.session.commit()


def claim_attempt(email: str) -> bool:
    """Count one password attempt for ``email``; False when the address is locked.

    Each step is one atomic statement, so several processes count correctly: an
    expired lock is lifted, the counter goes up, and the attempt that goes over
    the limit locks the address for the cool-down."""
    config = current_app.config
    now = utcnow()
    locked = db.session.scalar(
        select(LoginThrottle.locked_until).where(
            LoginThrottle.email == email, LoginThrottle.locked_until > now
        )
    )
    if locked is not None:
        db.session.rollback()
        return False
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.email == email, LoginThrottle.locked_until <= now)
        .values(failures=0, locked_until=None)
    )
    failures = None
    for _attempt in range(2):
        failures = db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.email == email)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            .returning(LoginThrottle.failures)
        ).scalar()
        if failures is not None:
            break
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(email=email, failures=1, last_failure_at=now))
            failures = 1
            break
        except IntegrityError:
            continue  # another process inserted it first: count on its row
    allowed = failures <= config["LOGIN_MAX_FAILURES"]
    if not allowed:
        db.session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.email == email)
            .values(locked_until=now + timedelta(seconds=config["LOGIN_LOCKOUT_SECONDS"]))
        )
    db.session.commit()
    return allowed


def clear_throttle(email: str) -> None:
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.email == email)
        .values(failures=0, locked_until=None)
    )


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


def _absolute_url(endpoint: str, **values) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + url_for(endpoint, **values)
