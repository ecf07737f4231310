"""`flask backup` makes a copy that restores with every row, and never a partial file."""

import hashlib
import io
import os
import sqlite3
import subprocess

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.attachments import services
from app.auth.models import User
from app.extensions import db
from app.recommendations.models import Recommendation
from tests.conftest import TEST_DATABASE_URL, build_app, make_config


def _attach_sample(app) -> str:
    """A material on the first recommendation; its file's SHA-256."""
    rec = db.session.scalar(select(Recommendation).order_by(Recommendation.id))
    author = db.session.get(User, rec.created_by_id)
    services.attach(rec, author, [services.Upload("kopia.txt", io.BytesIO(b"Kopia zapasowa.\n"))])
    return hashlib.sha256(b"Kopia zapasowa.\n").hexdigest()


def _files_sound(app, files_dir) -> str:
    """``flask files check`` of ``app`` with its files in ``files_dir``."""
    app.config["FILES_DIR"] = files_dir
    result = app.test_cli_runner().invoke(args=["files", "check"])
    # Run inside the caller's app context, the command's session outlives it: end it,
    # so the caller can drop the database afterwards.
    db.session.remove()
    assert result.exit_code == 0, result.output
    return result.output


def _rows(connection, table):
    return connection.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()


@pytest.mark.own_app
def test_sqlite_backup_restores_with_every_row(tmp_path):
    source_path = tmp_path / "live.db"
    app = build_app(f"sqlite:///{source_path}", tmp_path)
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
        sha256 = _attach_sample(app)
        target = tmp_path / "copy.db"
        result = runner.invoke(args=["backup", "-o", str(target)])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    stored = len(list((tmp_path / "instance" / "files").glob("??/*")))
    assert stored >= 1  # the demo's materials and the one attached here
    assert f"Files copied to {tmp_path / 'copy.db.files'} ({stored} new)" in result.output
    assert not (tmp_path / "copy.db.part").exists()
    copied = tmp_path / "copy.db.files" / sha256[:2] / sha256
    assert copied.read_bytes() == b"Kopia zapasowa.\n"

    live, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    tables = [
        t
        for (t,) in live.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    assert "recommendations" in tables and "users" in tables
    for table in tables:
        assert _rows(copy, table) == _rows(live, table), table
    assert copy.execute("SELECT count(*) FROM recommendations").fetchone()[0] > 0
    live.close()
    copy.close()

    # The copy is a working database: an app started on it answers.
    restored = create_app(make_config(f"sqlite:///{target}", tmp_path / "restored"))
    client = restored.test_client()
    assert client.get("/readyz").get_json() == {"status": "ok"}
    with restored.app_context():
        assert db.session.scalar(text("SELECT count(*) FROM users")) >= 5
        # The restored records and the copied files agree.
        report = _files_sound(restored, tmp_path / "copy.db.files")
        assert f"{stored} files checked: 0 missing, 0 changed" in report
        db.engine.dispose()


@pytest.mark.own_app
def test_a_failed_backup_leaves_no_file(tmp_path, monkeypatch):
    app = build_app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
    target = tmp_path / "copy.db"

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["backup", "-o", str(target)])
        db.engine.dispose()
    assert result.exit_code != 0
    assert "No space left on device" in result.output
    assert not target.exists() and not (tmp_path / "copy.db.part").exists()


@pytest.mark.own_app
@pytest.mark.postgres_only
def test_postgresql_backup_restores_with_every_row(tmp_path):
    url = make_url(TEST_DATABASE_URL)
    source = url.set(database=f"{url.database}_backup_source")
    restored = url.set(database=f"{url.database}_backup_restored")
    admin = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (source.database, restored.database):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    app = build_app(source.render_as_string(hide_password=False), tmp_path)
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
        _attach_sample(app)
        target = tmp_path / "warsztat.dump"
        result = runner.invoke(args=["backup", "-o", str(target), "--files", str(tmp_path / "f")])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            f"--host={url.host}",
            f"--port={url.port}",
            f"--username={url.username}",
            f"--dbname={restored.database}",
            str(target),
        ],
        check=True,
    )
    live = create_engine(source.set(drivername="postgresql+psycopg"))
    copy = create_engine(restored.set(drivername="postgresql+psycopg"))
    tables = inspect(live).get_table_names()
    assert "recommendations" in tables
    with live.connect() as a, copy.connect() as b:
        for table in tables:
            query = text(f'SELECT * FROM "{table}" ORDER BY 1')
            assert b.execute(query).all() == a.execute(query).all(), table
    live.dispose()
    copy.dispose()
    restored_app = create_app(
        make_config(restored.render_as_string(hide_password=False), tmp_path / "restored")
    )
    with restored_app.app_context():
        assert "files checked: 0 missing, 0 changed" in _files_sound(restored_app, tmp_path / "f")
        db.engine.dispose()
    with admin.connect() as conn:
        for name in (source.database, restored.database):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()
