"""The schema comes only from migrations; the models must agree with them."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.extensions import db


def test_models_and_migrations_agree(db_session):
    context = MigrationContext.configure(
        db_session.connection(), opts={"compare_type": True, "render_as_batch": True}
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
