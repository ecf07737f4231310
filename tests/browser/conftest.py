"""Browser journeys: the system Chromium, driven by Playwright, against a live server.

The live server runs the real app on 127.0.0.1 under waitress, in a thread of the test
process, with its own database (a SQLite file, or a second PostgreSQL database next to
TEST_DATABASE_URL), built by the migrations and seeded like a new installation.

Why waitress and not werkzeug's development server: when a client resets the connection
just after reading a response, werkzeug 3.1's ``run_wsgi`` raises while draining the
socket and never calls the response's ``close()`` (PEP 3333 requires it). A static
file's handle was then left to the garbage collector, and its ResourceWarning failed
whichever test was running when it was collected. ``test_live_server.py`` holds the
server to that duty."""

import gc
import os
import shutil
import threading
import time
import tracemalloc
from pathlib import Path

import pytest
from waitress.server import create_server

from app.extensions import db
from tests import factories
from tests.conftest import IN_CI, build_app, separate_database

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


class LiveServer:
    """A WSGI app served by waitress on a free loopback port, in a background thread."""

    def __init__(self, app, threads: int = 6):  # Chromium opens up to 6 connections a host
        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads, ident=None)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def start(self):
        self.thread.start()

    def busy(self) -> str | None:
        """What the server is still doing (open connections, requests in hand), or None."""
        dispatcher = self.server.task_dispatcher
        with dispatcher.lock:
            working, queued = dispatcher.active_count, len(dispatcher.queue)
        connections = len(self.server.active_channels)
        if connections or working or queued:
            return (
                f"{connections} connection(s) open, {working} request(s) running, {queued} queued"
            )
        return None

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until every connection is closed and every request finished: then nothing the
        server opened for a test can still be waiting for the garbage collector."""
        deadline = time.monotonic() + timeout
        while (state := self.busy()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert state is None, f"the live server did not settle within {timeout} s: {state}"

    def stop(self):
        # Channels belong to the server's loop thread: close them there, so that the
        # loop, left with an empty map, returns.
        def close_everything():
            for channel in list(self.server.active_channels.values()):
                channel.handle_close()  # also closes what it was still sending
            self.server.close()  # the listener and the trigger

        self.server.trigger.pull_trigger(close_everything)
        self.thread.join(timeout=10)
        self.server.task_dispatcher.shutdown()

    def make_user(self, role: str, **kwargs):
        """Create an account in the live server's database and return its email."""
        with self.app.app_context():
            user = factories.make_user(role, **kwargs)
            return user.email


@pytest.fixture(scope="package", autouse=True)
def trace_allocations(request):
    """In CI, remember where each object of the browser tests was allocated, so that a
    ResourceWarning (or any unraisable exception) also names the line that opened the
    resource: a random failure there cannot be re-run by hand. One frame costs the journeys
    about 40 % more time, so elsewhere it is opt-in with Python's own PYTHONTRACEMALLOC=N.
    Tracing starts once the live server is built: its migrations are not what we look for."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("live_server")
    started = IN_CI and not tracemalloc.is_tracing()
    if started:
        tracemalloc.start(1)
    yield
    if started:
        tracemalloc.stop()


@pytest.fixture(autouse=True)
def leaks_reported_here(request):
    """End each journey with the live server settled and the garbage collected. Whatever a
    test left open is then reported against that test, by pytest's check of unraisable
    exceptions at teardown, and not against whichever test runs when it is collected."""
    server = (
        request.getfixturevalue("live_server") if "live_server" in request.fixturenames else None
    )
    yield
    if server is not None:
        server.settle()
    gc.collect()


@pytest.fixture(scope="package")
def live_server(database_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    app = build_app(separate_database(database_url, "browser", tmp), tmp)
    app.config["BASE_URL"] = "http://127.0.0.1"
    # As deployed: a sent package's files are built in a thread after the response.
    app.config["PACKAGE_FILES"] = "thread"
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="package")
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
    # 409 (the conflict page) and 422 (a form sent back with its errors) are expected
    # answers, not errors of the page.
    problems = [p for p in group.problems if "409" not in p and "422" not in p]
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
