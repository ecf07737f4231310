import sqlite3

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from app import create_app
from app.database import _wants_immediate_lock, configure_sqlite
from config import DevelopmentConfig, ProductionConfig, _normalise_db_url


@pytest.mark.own_app
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, tmp_path):
    class NoKey(ProductionConfig):
        SECRET_KEY = ""
        INSTANCE_DIR = tmp_path

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(NoKey)

    class Placeholder(NoKey):
        SECRET_KEY = "change-me"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Placeholder)


@pytest.mark.own_app
def test_an_unknown_way_of_building_package_files_stops_the_app(tmp_path):
    class Misspelt(DevelopmentConfig):
        PACKAGE_FILES = "threads"
        INSTANCE_DIR = tmp_path
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"

    with pytest.raises(RuntimeError, match="PACKAGE_FILES must be one of thread"):
        create_app(Misspelt)


@pytest.mark.own_app
def test_production_starts_with_a_real_key_and_secure_cookies(tmp_path):
    class Real(ProductionConfig):
        SECRET_KEY = "x" * 48
        INSTANCE_DIR = tmp_path
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"

    app = create_app(Real)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    hsts = app.test_client().get("/healthz").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


@pytest.mark.own_app
def test_development_makes_and_keeps_its_own_secret(tmp_path, monkeypatch):
    monkeypatch.setattr("config.INSTANCE_DIR", tmp_path)

    class Dev(DevelopmentConfig):
        SECRET_KEY = ""
        INSTANCE_DIR = tmp_path
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'd.db'}"

    first = create_app(Dev).config["SECRET_KEY"]
    second = create_app(Dev).config["SECRET_KEY"]
    assert len(first) >= 32 and first == second


def test_database_urls_go_to_psycopg_3():
    assert _normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert _normalise_db_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch):
    import importlib

    import config

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("WARSZTAT_INSTANCE", raising=False)
    fresh = importlib.reload(config)
    try:
        expected = f"sqlite:///{fresh.BASE_DIR / 'instance' / 'warsztat.db'}"
        assert fresh.Config.SQLALCHEMY_DATABASE_URI == expected
        assert fresh.Config.BABEL_DEFAULT_LOCALE == "pl"
        assert fresh.Config.MAIL_BACKEND == "outbox"
    finally:
        importlib.reload(config)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'w.db'}")
    configure_sqlite(engine, busy_timeout_ms=4321)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 4321


def test_writes_take_the_sqlite_write_lock_at_begin_and_reads_do_not(tmp_path):
    path = tmp_path / "locks.db"
    engine = create_engine(f"sqlite:///{path}")
    configure_sqlite(engine, busy_timeout_ms=0)
    app = Flask(__name__)

    def other_writer_blocked() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            other.close()

    with app.test_request_context(method="POST"), engine.connect() as conn:
        assert _wants_immediate_lock()
        conn.execute(text("SELECT 1"))  # starts the transaction
        assert other_writer_blocked()
        conn.rollback()
    with app.test_request_context(method="GET"), engine.connect() as conn:
        assert not _wants_immediate_lock()
        conn.execute(text("SELECT 1"))
        assert not other_writer_blocked()
        conn.rollback()
    # Outside a request (CLI, scheduler) any transaction may write.
    assert _wants_immediate_lock()
