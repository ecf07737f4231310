"""The live server the journeys run against keeps the WSGI contract when a client drops
the connection, and what a test leaves open is reported against that test."""

import os
import socket
import struct
from pathlib import Path

import pytest

from tests.browser.conftest import LiveServer

pytest_plugins = ["pytester"]

BODY = b"x" * 1000


def read_then_reset(url: str, path: str, expect: bytes) -> None:
    """What Chromium does to a connection it has finished with: read the whole response,
    then close with a reset (SO_LINGER 0) rather than an orderly shutdown."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as client:
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        received = b""
        while expect not in received:
            chunk = client.recv(65536)
            assert chunk, f"the server closed before sending {path} in full"
            received += chunk
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_every_response_is_closed_when_the_client_resets_after_reading_it():
    """PEP 3333: the server calls the response's close() however the request ended.
    werkzeug 3.1's development server skipped it here every time (0 of 20)."""
    closed = []

    class Response:
        def __iter__(self):
            yield BODY

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "1000")])
        return Response()

    server = LiveServer(app, threads=2)
    server.start()
    try:
        for _ in range(20):
            read_then_reset(server.url, "/", BODY)
        server.settle()
    finally:
        server.stop()
    assert len(closed) == 20


def open_handles_to(path: Path) -> int:
    target = str(path.resolve())
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if os.path.realpath(fd) == target)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc (Linux)")
def test_a_static_file_is_closed_when_the_browser_drops_the_connection(live_server):
    favicon = Path(live_server.app.static_folder) / "img" / "favicon.svg"
    for _ in range(20):
        read_then_reset(live_server.url, "/static/img/favicon.svg", b"</svg>")
    live_server.settle()
    assert open_handles_to(favicon) == 0


def test_a_leak_is_reported_against_the_test_that_made_it(pytester, monkeypatch):
    """An unclosed file that only the garbage collector can free fails the test that
    opened it, and with tracing on the report shows the line that opened it."""
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    monkeypatch.setenv("PYTHONTRACEMALLOC", "1")
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    pytester.makeconftest("from tests.browser.conftest import leaks_reported_here  # noqa: F401\n")
    pytester.makepyfile(
        test_leak="""
        def test_leaves_a_file_open():
            handle = open(__file__)  # the line the report must name
            cycle = [handle]
            cycle.append(cycle)  # only the collector frees it

        def test_runs_next():
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_leaves_a_file_open*",
            "*ResourceWarning: unclosed file*",
            "*handle = open(__file__)  # the line the report must name*",
        ]
    )
