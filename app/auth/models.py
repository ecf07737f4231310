"""People and the organisations they come from, and the login throttle."""

import enum
import re
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.i18n import LANGUAGES as INTERFACE_LANGUAGES
from app.search import normalise


class Role(enum.StrEnum):
    ADMIN = "admin"
    FACILITATOR = "facilitator"
    MEMBER = "member"
    REVIEWER = "reviewer"


class DigestFrequency(enum.StrEnum):
    OFF = "off"
    DAILY = "daily"
    WEEKLY = "weekly"


ROLES = tuple(r.value for r in Role)
HANDLE_MAX = 40
#: What a handle is made of; a mention ``@`` is followed by exactly this.
HANDLE_PATTERN = r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?"
#: The roles that may hold API tokens (the permission rule "api_tokens" is this set).
API_TOKEN_ROLES = frozenset({Role.ADMIN, Role.REVIEWER})
LANGUAGES = INTERFACE_LANGUAGES
DIGEST_FREQUENCIES = tuple(f.value for f in DigestFrequency)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Sector(db.Model):
    """A stakeholder sector: science, local government, business ..."""

    __tablename__ = "sectors"

    #: Stable code used in seeds and URLs, e.g. ``local_government``.
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: Order in lists and breakdowns.
    position: Mapped[int] = mapped_column(default=0)
    #: Names in Polish and English.
    name_pl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    name_cs: Mapped[str] = mapped_column(String(120), default="", server_default="")
    name_sk: Mapped[str] = mapped_column(String(120), default="", server_default="")
    name_hu: Mapped[str] = mapped_column(String(120), default="", server_default="")


class Organisation(db.Model):
    """An institution a user, speaker or participant belongs to."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Official name in its own language; unique.
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: English name, where it differs.
    name_en: Mapped[str | None] = mapped_column(String(200))
    #: Abbreviation such as ``MFiPR``.
    short_name: Mapped[str | None] = mapped_column(String(40))
    #: ISO 3166-1 alpha-2 code; empty for international bodies.
    country: Mapped[str | None] = mapped_column(String(2))
    #: Stakeholder sector.
    sector_code: Mapped[str] = mapped_column(ForeignKey("sectors.code"))
    #: Its website (http or https), for partners looking for each other.
    website: Mapped[str | None] = mapped_column(String(300))

    sector: Mapped[Sector] = relationship(lazy="joined")


class User(UserMixin, db.Model):
    """A person with an account: member, facilitator, reviewer or admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role_known"),
        CheckConstraint(_in("language", LANGUAGES), name="language_known"),
        CheckConstraint(_in("digest_frequency", DIGEST_FREQUENCIES), name="digest_known"),
        CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour_valid"),
        CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="digest_weekday_valid"),
        # Addresses are stored lower-case, which makes the unique index case-insensitive.
        CheckConstraint("email = lower(email)", name="email_lower"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login and mail address, stored lower-case; unique regardless of case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Display name.
    name: Mapped[str] = mapped_column(String(120))
    #: For mentions (``@anna.nowak``): unique and never changed, so a mention always
    #: reaches the person it was written for, whatever names people give themselves.
    #: Given when the account is made (see ``_give_handles``).
    handle: Mapped[str] = mapped_column(String(HANDLE_MAX), unique=True)
    #: Where the person works; shapes sector breakdowns.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: One of ``Role``.
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER.value)
    #: Interface and mail language, ``pl`` or ``en``.
    language: Mapped[str] = mapped_column(String(2), default="pl")
    #: How often the digest mail goes out.
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DigestFrequency.WEEKLY.value)
    #: Local (Warsaw) hour the digest is sent at, 0-23.
    digest_hour: Mapped[int] = mapped_column(default=8, server_default="8")
    #: Weekday of the weekly digest, 0 = Monday.
    digest_weekday: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The last digest period handled (``daily:2027-01-15``), sent or found empty.
    digest_period: Mapped[str | None] = mapped_column(String(20))
    #: Deactivated users cannot log in; their contributions stay.
    active: Mapped[bool] = mapped_column(default=True)
    #: Werkzeug hash; empty until the invitation is accepted.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the last invitation mail was sent.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Secret in the private calendar-feed URL; a new one revokes the old link.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Two-factor sign-in: the TOTP secret (base32), set once the first code confirmed it.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The 30-second step of the last code accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    #: A secret being set up (shown as a QR code until a code confirms it); kept here,
    #: not in the session cookie, which is signed but readable.
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def get_id(self) -> str:
        # Which login this is lives in the session too (auth/sessions.py), and a login
        # that has ended finds nobody.
        return str(self.id)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users.
        return self.active

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class LoginThrottle(db.Model):
    """Failed logins and reset requests per email address, in the database for every process.

    Keyed by the address typed, whether or not an account exists, so the
    throttle itself does not tell which addresses have accounts."""

    __tablename__ = "login_throttles"

    #: The lower-cased email address that was tried.
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    #: Failures since the last success or cool-down.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Until when logins for this address are refused.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a password-reset mail was last sent for this address (limits mail floods).
    reset_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """A one-time code that signs in instead of the authenticator app (a lost phone).
    Only a hash is kept; the codes are shown once, when they are made."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the normalised code (the codes are random, so no slow hash is needed).
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginSession(db.Model):
    """One login, kept on the server: the browser's signed cookie holds only its key.
    Logging out ends it, so a copied cookie stops working."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the random key in the session cookie.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it ended (logout, password change, deactivation); None while it lasts.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it ended: "logout", "password", "deactivated".
    ended_reason: Mapped[str | None] = mapped_column(String(20))


class ApiToken(db.Model):
    """A personal token for the read-only JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The owner's label, e.g. "Excel at the ministry".
    name: Mapped[str] = mapped_column(String(100))
    #: The first characters, shown so the owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise")


# --- handles ------------------------------------------------------------------------------

_NOT_HANDLE = re.compile(r"[^a-z0-9._-]+")


def handle_base(email: str) -> str:
    """The handle an address suggests: its local part, folded to ASCII ("Łucja.K" ->
    "lucja.k"); "member" when nothing usable is left."""
    local = normalise(email.split("@")[0]).replace(" ", ".")
    base = _NOT_HANDLE.sub("", local).strip("._-")
    return (base or "member")[: HANDLE_MAX - 4].rstrip("._-") or "member"


def free_handle(session: Session, base: str, taken: set[str] = frozenset()) -> str:
    """``base``, or ``base2``, ``base3``... : the first one nobody has."""
    used = set(
        session.scalars(select(User.handle).where(User.handle.startswith(base, autoescape=True)))
    ) | set(taken)
    if base not in used:
        return base
    number = 2
    while f"{base}{number}" in used:
        number += 1
    return f"{base}{number}"


@event.listens_for(Session, "before_flush")
def _give_handles(session: Session, flush_context, instances) -> None:
    """Every new account gets a handle from its address, however it was made (an
    invitation, the CLI, the demo data)."""
    new = [obj for obj in session.new if isinstance(obj, User) and not obj.handle]
    if not new:
        return
    given: set[str] = set()
    with session.no_autoflush:
        for user in new:
            user.handle = free_handle(session, handle_base(user.email), given)
            given.add(user.handle)
