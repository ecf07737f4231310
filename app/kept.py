"""Reads kept in the process: short lists that most pages show and that rarely change
(problem areas, categories, organisations), so a page does not ask the database for
them every time.

A kept read returns plain rows (``sqlalchemy.Row``: read-only, with the columns as
attributes), never ORM objects, so nothing kept belongs to a session or can be changed
by a page. Only display uses them; a form that saves a choice still loads the object.

A kept value is dropped
- at once in this process, when a session flushes a change to one of the models the
  read watches, and again when that transaction (or a savepoint in it) ends, committed
  or rolled back;
- after ``MAX_AGE`` seconds everywhere, which bounds what other processes (the other
  workers, ``flask seed``) may show after a change: a new organisation appears in their
  filters within a minute.

Values are kept per app, so two apps in one process (the tests' live servers) never
share them."""

import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db

#: Seconds a kept value is used before it is read again.
MAX_AGE = 60.0

#: The clock the ages are measured by (tests that compare reads hold it still).
clock: Callable[[], float] = time.monotonic

_EXTENSION = "warsztat.kept"
_CHANGED = "warsztat.kept_changed"


class Kept:
    """One read kept per app: ``kept()`` returns the value, read at most once per
    ``MAX_AGE`` and again after a watched model changed."""

    def __init__(self, read: Callable[[], Any], watch: tuple[type, ...]) -> None:
        self.read = read
        self.watch = watch
        _ALL.append(self)

    def __call__(self) -> Any:
        values = current_app.extensions[_EXTENSION]
        found = values.get(self)
        now = clock()
        if found is not None and found[0] > now:
            return found[1]
        value = self.read()
        values[self] = (now + MAX_AGE, value)
        return value


_ALL: list[Kept] = []


def table_rows(model: type, *order_by: str) -> Kept:
    """A kept read of ``model``'s whole table as read-only rows, ordered by the columns
    named, dropped when ``model`` changes: the shape of every reference list."""
    table = model.__table__
    order = [table.c[name] for name in order_by]
    return Kept(lambda: db.session.execute(select(table).order_by(*order)).all(), (model,))


def forget() -> None:
    """Drop every kept value of the current app (after reloading reference data, and
    between tests whose data is rolled back)."""
    current_app.extensions[_EXTENSION].clear()


def _drop(flagged: set[Kept]) -> None:
    values = current_app.extensions.get(_EXTENSION, {}) if current_app else {}
    for kept in flagged:
        values.pop(kept, None)


def _after_flush(session: Session, _context) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if not changed:
        return
    flagged = {kept for kept in _ALL if any(isinstance(obj, kept.watch) for obj in changed)}
    if flagged:
        session.info.setdefault(_CHANGED, set()).update(flagged)
        _drop(flagged)


def _transaction_ended(session: Session, transaction) -> None:
    # Every end drops what was flagged (a savepoint rolled back may have been read);
    # the flags go with the outermost transaction, after which nothing can undo them.
    flagged = session.info.get(_CHANGED)
    if flagged:
        _drop(flagged)
        if transaction.parent is None:
            del session.info[_CHANGED]


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = {}
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_transaction_end", _transaction_ended)
