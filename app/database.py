"""Database plumbing shared by every feature: UTC timestamps and SQLite tuning."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.types import TypeDecorator

from app.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    return datetime.now(UTC)


_ONE_TRANSACTION = "warsztat.one_transaction"


def commit() -> None:
    """End a service's work: commit, or, inside ``one_transaction``, only flush, so the
    caller commits everything together."""
    if db.session.info.get(_ONE_TRANSACTION):
        db.session.flush()
    else:
        db.session.commit()


@contextmanager
def one_transaction() -> Iterator[None]:
    """One user action that runs several services (a meeting decision that creates a
    draft) is written whole or not at all: inside the block their ``commit()`` only
    flushes; the block commits at its end, and an error rolls all of it back."""
    outermost = not db.session.info.get(_ONE_TRANSACTION)
    db.session.info[_ONE_TRANSACTION] = True
    try:
        yield
    except BaseException:
        if outermost:
            db.session.info.pop(_ONE_TRANSACTION, None)
            db.session.rollback()
        raise
    if outermost:
        db.session.info.pop(_ONE_TRANSACTION, None)
        db.session.commit()


def next_number(column, *where) -> int:
    """One more than the largest ``column`` among the rows matching ``where`` (1 when
    there are none): the next revision, package, position. A unique constraint on the
    column still decides between two writers at once."""
    return (db.session.scalar(select(func.max(column)).where(*where)) or 0) + 1


def flush_or_raise(stale: Callable[[], Exception]) -> None:
    """Flush the session; if a version check finds that someone changed a row in the
    meantime, roll back and raise ``stale()`` instead. It is called after the rollback,
    so it may read the row as it now is (for a conflict page)."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise stale() from None


class UTCDateTime(TypeDecorator):
    """Stores UTC; always hands back an aware datetime, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime (UTC)")
        value = value.astimezone(UTC)
        # SQLite keeps no zone: store naive UTC there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _wants_immediate_lock() -> bool:
    """Writes take SQLite's write lock at BEGIN, so two writers never deadlock
    upgrading read locks; page views (GET) stay on deferred, concurrent reads.
    Outside a request (CLI, scheduler) every transaction may write."""
    if has_request_context():
        return request.method not in SAFE_METHODS
    return True


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and our own BEGIN statements."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_immediate_lock() else "BEGIN")
