"""`flask backup`: a consistent copy of the database, taken while the app runs.

SQLite: the online backup API copies the live database page by page into a new
file (readers and writers carry on). PostgreSQL: ``pg_dump`` in its custom
format (restore with ``pg_restore``). Either way the copy is written next to
its destination under a temporary name and renamed only when complete, so a
failed backup (a full disk) never leaves a file that looks like a backup."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine


class BackupError(Exception):
    """The backup could not be made; the message says why."""


def backup(engine: Engine, target: Path) -> dict[str, int]:
    """Copy the database behind ``engine`` to ``target``; return rows per table (SQLite)."""
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    try:
        if engine.dialect.name == "sqlite":
            counts = _sqlite(engine, partial)
        elif engine.dialect.name == "postgresql":
            counts = _postgresql(engine, partial)
        else:
            raise BackupError(f"no backup method for {engine.dialect.name}")
        os.replace(partial, target)
    except OSError as error:
        raise BackupError(f"could not write {target}: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _sqlite(engine: Engine, partial: Path) -> dict[str, int]:
    raw = engine.raw_connection()
    try:
        copy = sqlite3.connect(partial)
        try:
            raw.driver_connection.backup(copy)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"the copy failed its integrity check: {verdict}")
            tables = [
                name
                for (name,) in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            return {t: copy.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            copy.close()
    finally:
        raw.close()


def _postgresql(engine: Engine, partial: Path) -> dict[str, int]:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    url = engine.url.set(drivername="postgresql")
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = url.password
    command = [
        pg_dump,
        "--format=custom",
        "--no-owner",
        f"--file={partial}",
        f"--host={url.host or 'localhost'}",
        f"--port={url.port or 5432}",
        f"--username={url.username or 'postgres'}",
        url.database,
    ]
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return {name: -1 for name in inspect(engine).get_table_names()}
