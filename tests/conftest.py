"""Test harness: the app, a rolled-back database per test, clients per role, a query counter.

The schema is built once per run by the migrations (never by create_all), the
reference data is seeded once, and every test runs inside a transaction that
is rolled back, so tests see the seeds and never each other's data.

SQLite by default; set TEST_DATABASE_URL to run everything on PostgreSQL."""

import os
import re
import socket
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from app import create_app, kept
from app.extensions import db
from config import TestingConfig, _normalise_db_url
from seeds.loader import load_reference
from tests import factories

IN_CI = os.environ.get("CI", "").lower() == "true"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
ROLES = ("member", "facilitator", "reviewer", "admin")


def pytest_report_header(config):
    return f"database: {_database_kind()}; CI: {IN_CI}"


def _database_kind() -> str:
    return "postgresql" if TEST_DATABASE_URL else "sqlite"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are left out of a SQLite run (the PostgreSQL run has them),
    and SQLite-only ones out of a PostgreSQL run: deselected, never skipped."""
    other = "sqlite_only" if TEST_DATABASE_URL else "postgres_only"
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(other) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser or database test counts as a failure."""
    outcome = yield
    report = outcome.get_result()
    if (
        IN_CI
        and report.skipped
        and (item.get_closest_marker("browser") or item.get_closest_marker("postgres_only"))
    ):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure: {report.longrepr}"


def reset_database(engine) -> None:
    """Drop everything, alembic's version table included, before migrating afresh."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            rows = connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ).all()
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            for (name,) in rows:
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}"'))


def make_config(database_url: str, tmp: Path) -> type[TestingConfig]:
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_DIR = tmp / "instance"
        MAIL_BACKEND = "outbox"
        MAIL_OUTBOX_DIR = tmp / "outbox"

    return Config


def build_app(database_url: str, tmp: Path, config: type[TestingConfig] | None = None):
    """A migrated, seeded app on ``database_url`` (used for the suite and the live server);
    ``config``, if given, is a ``make_config`` class with changes."""
    app = create_app(config or make_config(database_url, tmp))
    with app.app_context():
        reset_database(db.engine)
        flask_migrate.upgrade()
        load_reference()
        db.session.remove()
    return app


def separate_database(database_url: str, suffix: str, tmp: Path) -> str:
    """An empty database of the same kind for a test that runs its own app: a new
    PostgreSQL database next to the suite's, or a SQLite file in ``tmp``."""
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{tmp / (suffix + '.db')}"
    url = make_url(database_url)
    name = f"{url.database}_{suffix}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def suggestions_ready():
    """The suggestions' lemma tables exist before any test (as `make setup` leaves
    them): built in a request, they would make a browser test's first page wait."""
    from app.strategies.suggest import prepare

    prepare()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return _normalise_db_url(TEST_DATABASE_URL)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


class FreshRequestClient(FlaskClient):
    """Each request starts with an empty ``g``, as it would in production, even though
    the test keeps one app context open around its requests."""

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        response = super().open(*args, **kwargs)
        # A request body over 500 KB is spooled to a temporary file, which werkzeug's
        # client closes only when it follows redirects. The view has run by now (no view
        # here reads the body while streaming), so close it, or it is left to the garbage
        # collector: a ResourceWarning in whichever test runs then.
        response.request.input_stream.close()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = build_app(database_url, tmp_path_factory.mktemp("app"))
    app.test_client_class = FreshRequestClient
    yield app
    with app.app_context():
        db.engine.dispose()


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session always picks the engine; this one stays on the
    test's connection, so the app's work joins the test's transaction."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind or self.bind


@pytest.fixture(autouse=True)
def db_session(request, app):
    """One connection and transaction per test, rolled back afterwards; the app's
    commits become savepoints inside it."""
    if request.node.get_closest_marker("own_app") or request.node.get_closest_marker("browser"):
        # These tests run their own app (or a live server in another thread), which
        # must keep the normal per-context sessions.
        yield None
        return
    with app.app_context():
        kept.forget()  # values kept from another test's rolled-back data
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            kept.forget()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class Auth:
    """Log a test client in as a person of a given role (flaskr's `auth` fixture, grown up)."""

    def __init__(self, client):
        self.client = client
        self.user = None

    def login_as(self, user, password: str = factories.DEFAULT_PASSWORD):
        self.client.post(
            "/auth/login",
            data={
                "email": user.email,
                "password": password,
                "csrf_token": self.csrf(),
            },
        )
        self.user = user
        return user

    def login(self, role: str = "member", **kwargs):
        return self.login_as(factories.make_user(role=role, **kwargs))

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": self.csrf()})

    def csrf(self) -> str:
        """The CSRF token of the client's session, read from a page like a browser would."""
        page = self.client.get("/auth/login").get_data(as_text=True)
        if "csrf-token" not in page:  # logged in: the login page redirects
            page = self.client.get("/account/", follow_redirects=True).get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post(self, url: str, data: dict | None = None, **kwargs):
        return self.client.post(url, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)


@pytest.fixture
def auth(client):
    return Auth(client)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app, monkeypatch):
    """``with count_queries() as counter: ...`` counts the SQL statements run inside.

    The clock of what the process keeps (``app.kept``) stands still for the test: counts
    compared before and after data grows must not depend on how long the growing took
    (a kept list older than its maximum age is read again, one statement more)."""
    still = kept.clock()
    monkeypatch.setattr(kept, "clock", lambda: still)

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, params, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def unreachable_smtp(app, monkeypatch):
    """The app sends through SMTP to a loopback port that refuses every connection for the
    whole test: the socket is bound but never listens, so no other process can take the
    port meanwhile (a port merely probed free could be anyone's a moment later)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", holder.getsockname()[1])
        yield


def smtp_controller(handler):
    """aiosmtpd's threaded controller on a loopback port the OS picked. The socket is bound
    before the server starts, so the port cannot be taken in between; ``.port`` has it."""
    from aiosmtpd.controller import Controller

    class BoundController(Controller):
        def __init__(self):
            self.bound = socket.socket()
            self.bound.bind(("127.0.0.1", 0))
            super().__init__(handler, hostname="127.0.0.1", port=self.bound.getsockname()[1])

        def _create_server(self):  # aiosmtpd's hook; the server takes over our socket
            return self.loop.create_server(
                self._factory_invoker, sock=self.bound, ssl=self.ssl_context
            )

    return BoundController()


class Outbox:
    """Messages received by a real SMTP server (aiosmtpd) on loopback."""

    def __init__(self):
        self.messages = []
        #: The client's address and port of each message: one connection, one port.
        self.peers = []
        #: Recipients whose next message is refused with a temporary error (once each).
        self.refuse_once: set[str] = set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        from email import message_from_bytes
        from email.policy import default

        refused = self.refuse_once.intersection(envelope.rcpt_tos)
        if refused:
            self.refuse_once -= refused
            return "451 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        self.peers.append(session.peer)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on 127.0.0.1; the app is switched to send through it."""
    outbox = Outbox()
    controller = smtp_controller(outbox)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
        yield outbox
    finally:
        controller.stop()


@pytest.fixture
def outbox_dir(app, tmp_path, monkeypatch):
    """The file outbox of the embedded default, in a fresh folder."""
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "outbox")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", tmp_path / "outbox")
    return tmp_path / "outbox"
