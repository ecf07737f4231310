"""The schema comes only from migrations; the models must agree with them."""

import json

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.extensions import db
from app.search import is_search_internal


def not_search_internal(name, type_, parent_names):
    """The search engine's own tables and indexes live outside the models."""
    return type_ not in ("table", "index") or not is_search_internal(name)


def test_models_and_migrations_agree(db_session):
    context = MigrationContext.configure(
        db_session.connection(),
        opts={"compare_type": True, "render_as_batch": True, "include_name": not_search_internal},
    )
    differences = compare_metadata(context, db.metadata)
    assert differences == [], f"run `flask db migrate`: {differences}"


def test_the_database_was_built_by_migrations(db_session):
    tables = set(inspect(db_session.connection()).get_table_names())
    assert "alembic_version" in tables
    assert set(db.metadata.tables) <= tables


@pytest.mark.postgres_only
def test_the_postgresql_run_really_uses_postgresql(db_session):
    """Guards the CI's second pass: TEST_DATABASE_URL must reach a real server."""
    connection = db_session.connection()
    assert connection.dialect.name == "postgresql"
    assert connection.dialect.driver == "psycopg"
    assert "PostgreSQL" in connection.execute(text("SELECT version()")).scalar()


@pytest.mark.own_app
def _old_app(tmp_path):
    from app import create_app
    from config import TestingConfig

    class Old(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"
        INSTANCE_DIR = tmp_path / "instance"

    return create_app(Old)


def _an_old_recommendation(conn) -> None:
    """A subgroup, an area, a category, a member and a recommendation, as version 0001
    stored them."""
    conn.execute(
        text(
            "INSERT INTO subgroups (id, slug, name_pl, name_en, description_pl, "
            "description_en) VALUES (1, 's', 'S', 'S', '', '')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO problem_areas (id, subgroup_id, code, position, title_pl, "
            "title_en, description_pl, description_en) VALUES (1, 1, 'G01', 1, 'T', 'T', "
            "'', '')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO recommendation_categories (id, code, position, name_pl, name_en, "
            "description_pl, description_en) VALUES (1, 'R1', 1, 'N', 'N', '', '')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO users (id, email, name, role, language, digest_frequency, active, "
            "session_token, created_at) VALUES (1, 'a@b.pl', 'A', 'member', 'pl', "
            "'weekly', 1, 't', '2021-01-29 10:00:00')"
        )
    )
    conn.execute(
        text(
            "INSERT INTO recommendations (id, problem_area_id, category_id, number, title, "
            "summary, body, addressee, expected_impact, status, version, created_by_id, "
            "created_at, updated_at) VALUES (1, 1, 1, 1, 'Łódź', 'S', 'B', '', '', "
            "'discussion', 1, 1, '2021-01-29 10:00:00', '2021-01-29 10:00:00')"
        )
    )


def test_upgrading_gives_older_recommendations_an_author_revision_and_timeline(tmp_path):
    app = _old_app(tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        with db.engine.begin() as conn:
            _an_old_recommendation(conn)
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(
                text("SELECT user_id, state FROM recommendation_authors")
            ).all() == [(1, "accepted")]
            assert conn.execute(text("SELECT number, title FROM revisions")).all() == [(1, "Łódź")]
            assert conn.execute(text("SELECT to_status FROM status_changes")).all() == [
                ("discussion",)
            ]
            assert (
                conn.execute(text("SELECT document FROM recommendation_search")).scalar()
                == "lodz s b"
            )
        db.engine.dispose()


def test_upgrading_turns_notes_warsztat_wrote_into_codes(tmp_path):
    """Notes written as words by earlier versions, in either language, become codes
    worded for each reader; what people wrote stays as it was."""
    app = _old_app(tmp_path)
    with app.app_context():
        flask_migrate.upgrade(revision="0001")
        with db.engine.begin() as conn:
            _an_old_recommendation(conn)
        flask_migrate.upgrade(revision="0012")
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM revisions"))
            for number, note in enumerate(
                [
                    "Pierwsza wersja.",
                    "Amendment by Anna Nowak accepted.",
                    "Przyjęto poprawkę – autorstwo: Jan Kowalski.",
                    "Tekst w postaci wysłanej w pakiecie 4.",
                    "Poprawiłam literówki.",
                ],
                start=1,
            ):
                conn.execute(
                    text(
                        "INSERT INTO revisions (recommendation_id, number, "
                        "recommendation_version, title, summary, body, addressee, "
                        "expected_impact, author_id, note, created_at) VALUES (1, :n, 1, 'T', "
                        "'', '', '', '', 1, :note, '2021-02-01 10:00:00')"
                    ),
                    {"n": number, "note": note},
                )
            conn.execute(text("DELETE FROM status_changes"))
            for note in ("Wysłana w pakiecie 12.", "Sent in package 3.", "Zgoda na spotkaniu."):
                conn.execute(
                    text(
                        "INSERT INTO status_changes (recommendation_id, from_status, to_status, "
                        "actor_id, note, created_at) VALUES (1, 'agreed', 'submitted', 1, :note, "
                        "'2021-02-01 10:00:00')"
                    ),
                    {"note": note},
                )
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            revisions = conn.execute(
                text("SELECT note, note_code, note_params FROM revisions ORDER BY number")
            ).all()
            changes = conn.execute(
                text("SELECT note, note_code, note_params FROM status_changes ORDER BY id")
            ).all()
        db.engine.dispose()
    decoded = [
        (note, code, json.loads(params) if params else None) for note, code, params in revisions
    ]
    assert decoded == [
        ("", "revision.first", {}),
        ("", "revision.amendment_accepted", {"name": "Anna Nowak"}),
        ("", "revision.amendment_accepted", {"name": "Jan Kowalski"}),
        ("", "revision.sent_in_package", {"number": 4}),
        ("Poprawiłam literówki.", None, None),
    ]
    assert [(n, c, json.loads(p) if p else None) for n, c, p in changes] == [
        ("", "status.sent_in_package", {"number": 12}),
        ("", "status.sent_in_package", {"number": 3}),
        ("Zgoda na spotkaniu.", None, None),
    ]
