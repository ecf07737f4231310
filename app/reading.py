"""Reading the text out of a document without letting the document hurt the server.

A document is read by a short-lived child process (``extraction.py``) that limits its
own memory and CPU time, under a wall-clock timeout here; the caller only receives the
text, or ``Unreadable`` with a reason code (``too_slow``, ``too_big``, ``encrypted``,
``too_many_pages``, ``unreadable``) that it words for its reader."""

import json
import subprocess
import sys
from pathlib import Path

from flask import current_app

READER = Path(__file__).with_name("extraction.py")
#: The kinds the child reads (the keys of its READERS).
KINDS = ("pdf", "docx", "pptx", "xlsx", "odf")


class Unreadable(Exception):
    """``args[0]`` is the reason code."""


def read_document(
    kind: str, max_chars: int, *, data: bytes | None = None, path: Path | None = None
) -> tuple[str, bool]:
    """The text of a document of ``kind`` given as bytes or as a file, at most
    ``max_chars`` characters; and whether any was left out."""
    if kind not in KINDS:
        raise ValueError(f"no reader for {kind!r}")
    config = current_app.config
    command = [
        sys.executable,
        "-I",  # isolated: no user site, no PYTHONPATH, no current folder on the path
        str(READER),
        kind,
        str(max_chars),
        str(config["EXTRACTION_MEMORY_MB"] * 1024 * 1024),
        str(config["EXTRACTION_CPU_SECONDS"]),
        str(path) if path is not None else "-",
    ]
    try:
        done = subprocess.run(
            command,
            input=data if path is None else b"",
            capture_output=True,
            timeout=config["EXTRACTION_WALL_SECONDS"],
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Unreadable("too_slow") from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        # No answer: the child was killed, by its CPU limit (SIGXCPU) or for memory.
        current_app.logger.warning(
            "Document reader ended with %s: %s", done.returncode, done.stderr[-500:]
        )
        raise Unreadable("too_slow" if done.returncode < 0 else "too_big") from None
    if "refused" in answer:
        reason = answer["refused"]
        raise Unreadable(
            "too_big" if reason in ("unpacks_too_large", "needs_too_much_memory") else reason
        )
    return answer["text"], bool(answer["truncated"])
