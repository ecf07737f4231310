"""Browser journeys: the system Chromium, driven by Playwright, against a live server.

The live server runs the real app in a thread on 127.0.0.1 with its own database
(a SQLite file, or a second PostgreSQL database next to TEST_DATABASE_URL), built
by the migrations and seeded like a new installation."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from app.extensions import db
from tests import factories
from tests.conftest import build_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _browser_database(database_url: str, tmp: Path) -> str:
    if not database_url.startswith("postgresql"):
        return f"sqlite:///{tmp / 'browser.db'}"
    url = make_url(database_url)
    name = f"{url.database}_browser"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)

    def make_user(self, role: str, **kwargs):
        """Create an account in the live server's database and return its email."""
        with self.app.app_context():
            user = factories.make_user(role, **kwargs)
            return user.email


@pytest.fixture(scope="session")
def live_server(database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    app = build_app(_browser_database(database_url, tmp), tmp)
    app.config["BASE_URL"] = "http://127.0.0.1"
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()
    playwright.stop()


class Browsers:
    """Several people at once, each in their own browser context (own cookies)."""

    def __init__(self, chromium, live_server):
        self.chromium, self.live_server = chromium, live_server
        self.contexts, self.problems = [], []

    def person(self, email: str, password: str):
        context = self.chromium.new_context(base_url=self.live_server.url, locale="pl-PL")
        self.contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        tab.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda error: self.problems.append(str(error)))
        tab.goto("/auth/login")
        tab.get_by_label("E-mail").fill(email)
        tab.get_by_label("Hasło").fill(password)
        tab.get_by_role("button", name="Zaloguj się").click()
        tab.wait_for_url("**/")
        return tab

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsers(chromium, live_server):
    """Log several people in at once: ``tab = browsers.person(email, password)``."""
    group = Browsers(chromium, live_server)
    yield group
    group.close()
    # 409 (the conflict page) is an expected answer, not an error of the page.
    problems = [p for p in group.problems if "409" not in p]
    assert not problems, f"the browser reported errors: {problems}"


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab; the test fails if the page logs an error (a CSP
    violation, a failed asset, a script error)."""
    context = chromium.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, f"the browser reported errors: {problems}"
