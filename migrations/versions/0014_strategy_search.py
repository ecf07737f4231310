"""strategy search: strategy_search with its FTS5 index (SQLite) or GIN index
(PostgreSQL), filled from every strategy's titles, place, summary, keywords and text

Revision ID: 0014
Revises: 0013
"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FTS_TABLE = "strategy_search_fts"
PG_INDEX = "ix_strategy_search_document_tsvector"

# The external-content pattern of migration 0003, for strategies.
SQLITE_STATEMENTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        document,
        content='strategy_search',
        content_rowid='strategy_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON strategy_search BEGIN
        INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.strategy_id, new.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON strategy_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.strategy_id, old.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON strategy_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.strategy_id, old.document);
        INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.strategy_id, new.document);
    END""",
)

# app.search.normalise / search_document as they were when this migration was written.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[^\W_]+")
FIELDS = ("title_original", "title_en", "place", "summary", "keywords", "full_text")


def normalise(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().translate(_FOLD).split())


def search_document(parts):
    return " ".join(word for part in parts if part for word in _WORD.findall(normalise(part)))


def upgrade():
    op.create_table(
        "strategy_search",
        sa.Column("strategy_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["strategy_id"],
            ["smart_strategies.id"],
            name=op.f("fk_strategy_search_strategy_id_smart_strategies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("strategy_id", name=op.f("pk_strategy_search")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_STATEMENTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX {PG_INDEX} ON strategy_search "
            "USING gin (to_tsvector('simple', document))"
        )
    if not op.get_context().as_sql:
        strategies = sa.table("smart_strategies", sa.column("id"), *map(sa.column, FIELDS))
        search = sa.table("strategy_search", sa.column("strategy_id"), sa.column("document"))
        rows = [
            {"strategy_id": row.id, "document": search_document([getattr(row, f) for f in FIELDS])}
            for row in bind.execute(sa.select(strategies).order_by(strategies.c.id))
        ]
        if rows:
            bind.execute(search.insert(), rows)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for suffix in ("au", "ad", "ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif dialect == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    op.drop_table("strategy_search")
