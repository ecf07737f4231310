"""Work a request starts right after it commits (a package's files, a material's text,
a large export): done in a thread of this process, in the caller, or left to the
scheduler's job, as a setting says (``"thread"``, ``"inline"``, ``"scheduler"``).

The work itself is claimed in the database, never held in memory: what a thread fails
or leaves undone when its process ends, the scheduler's job finds and does."""

import logging
import threading
from collections.abc import Callable

from flask import Flask, current_app

from app.extensions import db

log = logging.getLogger(__name__)


def after_commit(setting: str, work: Callable[[], object]) -> None:
    """Do ``work`` as ``current_app.config[setting]`` says."""
    app = current_app._get_current_object()
    how = app.config[setting]
    if how == "inline":
        work()
    elif how == "thread":
        threading.Thread(target=_in_thread, args=(app, work), daemon=True).start()


def _in_thread(app: Flask, work: Callable[[], object]) -> None:
    with app.app_context():
        try:
            work()
        except Exception:  # noqa: BLE001  what is left waits for the scheduler's job
            log.exception("background work failed (the scheduler's job takes it up): %r", work)
        finally:
            db.session.remove()
