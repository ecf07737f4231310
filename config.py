"""Configuration classes for Warsztat, read from the environment.

`DevelopmentConfig` is the embedded default (SQLite in `instance/`, mail to
`instance/outbox/`); `ProductionConfig` refuses to start without a real
`SECRET_KEY`; `TestingConfig` is what the test suite builds on.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("WARSZTAT_INSTANCE", BASE_DIR / "instance"))

# Values that must never reach a production deployment as the secret key.
PLACEHOLDER_SECRETS = {"", "change-me", "dev", "secret", "changeme"}


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _names(name: str, default: str) -> tuple[str, ...]:
    """A comma-separated setting ("admin,reviewer"); "none" or empty for nothing."""
    value = os.environ.get(name, default).strip().lower()
    if value in ("", "none"):
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


#: How a sent package's files may be built (``PACKAGE_FILES``).
#: Where background work of a request is done (PACKAGE_FILES, MATERIALS_TEXT, EXPORT_JOBS).
PACKAGE_FILES_WAYS = ("thread", "scheduler", "inline")


def _normalise_db_url(url: str) -> str:
    """Send plain postgres URLs to psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _persistent_dev_secret() -> str:
    """A per-installation random key, so dev sessions survive a restart."""
    key_file = INSTANCE_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Settings shared by every environment."""

    INSTANCE_DIR = INSTANCE_DIR
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _normalise_db_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'warsztat.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Milliseconds a SQLite writer waits for the lock before giving up.
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 15000)

    PORT = _int("PORT", 5000)
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # Absolute base for links in emails (invitations, resets, digests).
    BASE_URL = os.environ.get("BASE_URL", f"http://127.0.0.1:{_int('PORT', 5000)}")

    BABEL_DEFAULT_LOCALE = "pl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
    LANGUAGES = ("pl", "en", "cs", "sk", "hu")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 8

    # OWASP: scrypt N=2^15, r=8, p=3 is one of the recommended settings.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt:32768:8:3")
    PASSWORD_MIN_LENGTH = 12
    # Failed logins per account (email) before a cool-down, and its length.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT_SECONDS = _int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
    # Roles that must sign in with a second factor (TOTP). Off on one's own machine, so
    # the demo accounts log in with a password; on in production (ProductionConfig).
    TWO_FACTOR_REQUIRED_ROLES = _names("TWO_FACTOR_REQUIRED_ROLES", "")
    INVITATION_MAX_AGE = _int("INVITATION_MAX_AGE", 7 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _int("PASSWORD_RESET_MAX_AGE", 2 * 3600)
    # Seconds between two reset mails for the same address.
    RESET_REQUEST_INTERVAL = _int("RESET_REQUEST_INTERVAL", 5 * 60)

    # Reminders: to invitees this many hours before a meeting; to facilitators when a
    # held meeting has had no published minutes for this many hours.
    REMINDER_LEAD_HOURS = _int("REMINDER_LEAD_HOURS", 24)
    MINUTES_REMINDER_HOURS = _int("MINUTES_REMINDER_HOURS", 48)
    # Outgoing-mail ledger: retries with exponential back-off, then "failed".
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 6)
    MAIL_RETRY_BASE_SECONDS = _int("MAIL_RETRY_BASE_SECONDS", 60)
    MAIL_CLAIM_TIMEOUT_SECONDS = _int("MAIL_CLAIM_TIMEOUT_SECONDS", 600)
    # A sent package's files are built in a thread of the process that sent it
    # ("thread"), by the scheduler alone ("scheduler"), or in the request ("inline");
    # anything else stops the app at start.
    PACKAGE_FILES = os.environ.get("PACKAGE_FILES", "thread")
    # Scheduler: one tick a minute; the lease outlives two ticks.
    SCHEDULER_TICK_SECONDS = _int("SCHEDULER_TICK_SECONDS", 60)
    SCHEDULER_LEASE_SECONDS = _int("SCHEDULER_LEASE_SECONDS", 150)
    # "inprocess" runs the scheduler inside the web process (the embedded default);
    # deployments leave it empty and run `flask scheduler` as its own process.
    SCHEDULER_IN_PROCESS = os.environ.get("WARSZTAT_SCHEDULER", "") == "inprocess"

    # Request bodies: the whole body (uploads included), and the form fields other than
    # files (a pasted strategy text of 500,000 characters fits). Beyond either: 413.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH_MB", 16) * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 4 * 1024 * 1024
    # The child process that reads an uploaded .docx/.pdf: its address space, its CPU
    # time, and how long the web worker waits for it.
    EXTRACTION_MEMORY_MB = _int("EXTRACTION_MEMORY_MB", 1024)
    EXTRACTION_CPU_SECONDS = _int("EXTRACTION_CPU_SECONDS", 20)
    EXTRACTION_WALL_SECONDS = _int("EXTRACTION_WALL_SECONDS", 30)

    # Materials (attachments): where their files are kept (empty: FILES_DIR under the
    # instance folder), and the largest file accepted. An upload request may carry
    # several files up to MATERIALS_MAX_REQUEST_MB in all.
    FILES_DIR = os.environ.get("FILES_DIR") or None
    MATERIALS_MAX_FILE_MB = _int("MATERIALS_MAX_FILE_MB", 25)
    MATERIALS_MAX_REQUEST_MB = _int("MATERIALS_MAX_REQUEST_MB", 100)
    # The text of a new material is read for search in a thread of the process that
    # stored it ("thread"), by the scheduler alone ("scheduler"), or in the request
    # ("inline"); anything else stops the app at start.
    MATERIALS_TEXT = os.environ.get("MATERIALS_TEXT", "thread")

    # The most recommendations a PDF report is made of in a request (a PDF is laid out
    # whole); `flask export --format pdf` and packages take any number.
    PDF_MAX_RECOMMENDATIONS = _int("PDF_MAX_RECOMMENDATIONS", 100)
    # A larger PDF report is made in the background: in a thread of the process that
    # was asked ("thread"), by the scheduler alone ("scheduler") or in the request
    # ("inline"); anything else stops the app at start.
    EXPORT_JOBS = os.environ.get("EXPORT_JOBS", "thread")

    # Strict-Transport-Security: only in production (below), where the app is behind HTTPS.
    HSTS_SECONDS = 0

    # How often the read-only live view of a meeting asks for news (seconds).
    LIVE_POLL_SECONDS = _int("LIVE_POLL_SECONDS", 5)

    # Mail: "outbox" writes .eml files to MAIL_OUTBOX_DIR; "smtp" sends for real.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_OUTBOX_DIR = Path(os.environ.get("MAIL_OUTBOX_DIR", INSTANCE_DIR / "outbox"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")  # STARTTLS
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 30)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Warsztat <warsztat@localhost>")

    @classmethod
    def init_app(cls, app) -> None:
        """Finish settings that need the app; raise if it cannot run safely."""
        if not app.config["FILES_DIR"]:
            app.config["FILES_DIR"] = Path(app.config["INSTANCE_DIR"]) / "files"
        for setting in ("PACKAGE_FILES", "MATERIALS_TEXT", "EXPORT_JOBS"):
            how = app.config[setting]
            if how not in PACKAGE_FILES_WAYS:
                raise RuntimeError(
                    f"{setting} must be one of {', '.join(PACKAGE_FILES_WAYS)}, not {how!r}."
                )


class DevelopmentConfig(Config):
    """The embedded default: one machine, SQLite, mail to files."""

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        if not app.config["SECRET_KEY"]:
            app.config["SECRET_KEY"] = _persistent_dev_secret()


class TestingConfig(Config):
    """For the test suite: a throwaway database and fast password hashing."""

    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    SQLALCHEMY_DATABASE_URI = _normalise_db_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    BASE_URL = "http://testserver"
    SERVER_NAME = None
    # Sending a package builds its files before it returns, so a test reads them at
    # once; tests of the background build switch this to "scheduler".
    PACKAGE_FILES = "inline"
    MATERIALS_TEXT = "inline"
    EXPORT_JOBS = "inline"


class ProductionConfig(Config):
    """Deployment behind gunicorn; PostgreSQL expected, secure cookies."""

    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    # Browsers keep to HTTPS for this long once they have seen the header (0: not sent).
    HSTS_SECONDS = _int("HSTS_SECONDS", 365 * 24 * 3600)
    # Administrators and ministry reviewers hold the keys to everything and to the
    # official answers: they sign in with two factors.
    TWO_FACTOR_REQUIRED_ROLES = _names("TWO_FACTOR_REQUIRED_ROLES", "admin,reviewer")

    @classmethod
    def init_app(cls, app) -> None:
        super().init_app(app)
        key = app.config["SECRET_KEY"] or ""
        if key.strip().lower() in PLACEHOLDER_SECRETS or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (for example: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by WARSZTAT_ENV (development by default)."""
    name = os.environ.get("WARSZTAT_ENV", "development").lower()
    if name not in CONFIGS:
        raise RuntimeError(f"WARSZTAT_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
