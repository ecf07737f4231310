"""materials: attachments on meetings, agenda items, recommendations, challenges and
strategies, with their files' versions; meeting search (meeting_search with its FTS5
index on SQLite or GIN index on PostgreSQL, filled from every meeting's texts)

Revision ID: 0022
Revises: 0021
"""

import re
import unicodedata

from alembic import op
import sqlalchemy as sa

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

FTS_TABLE = "meeting_search_fts"
PG_INDEX = "ix_meeting_search_document_tsvector"
# The external-content pattern of migrations 0003 and 0014, for meetings.
SQLITE_STATEMENTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        document,
        content='meeting_search',
        content_rowid='meeting_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON meeting_search BEGIN
        INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.meeting_id, new.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON meeting_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.meeting_id, old.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON meeting_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.meeting_id, old.document);
        INSERT INTO {FTS_TABLE}(rowid, document) VALUES (new.meeting_id, new.document);
    END""",
)

# app.search.normalise / search_document as they were when this migration was written.
_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})
_WORD = re.compile(r"[^\W_]+")


def normalise(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().translate(_FOLD).split())


def search_document(parts):
    return " ".join(word for part in parts if part for word in _WORD.findall(normalise(part)))


def upgrade():
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_type", sa.String(length=30), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("current_number", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_attachments_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deleted_by_id"], ["users.id"], name=op.f("fk_attachments_deleted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_index("ix_attachments_owner", "attachments", ["owner_type", "owner_id"])
    op.create_table(
        "attachment_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text_state", sa.String(length=12), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text_attempts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_attachment_files_attachment_id_attachments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_attachment_files_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_files")),
        sa.UniqueConstraint(
            "attachment_id", "number", name=op.f("uq_attachment_files_attachment_id_number")
        ),
    )
    op.create_index(
        op.f("ix_attachment_files_sha256"), "attachment_files", ["sha256"], unique=False
    )
    _create_meeting_search()


def _create_meeting_search():
    op.create_table(
        "meeting_search",
        sa.Column("meeting_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_search_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_search")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_STATEMENTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX {PG_INDEX} ON meeting_search "
            "USING gin (to_tsvector('simple', document))"
        )
    if op.get_context().as_sql:
        return
    meetings = sa.table(
        "meetings",
        sa.column("id"),
        sa.column("title"),
        sa.column("place"),
        sa.column("description"),
        sa.column("agenda_published_at"),
    )
    items = sa.table(
        "agenda_items",
        sa.column("meeting_id"),
        sa.column("position"),
        sa.column("title"),
        sa.column("speaker_name"),
    )
    agenda = {}
    for row in bind.execute(sa.select(items).order_by(items.c.meeting_id, items.c.position)):
        agenda.setdefault(row.meeting_id, []).extend([row.title, row.speaker_name])
    search = sa.table("meeting_search", sa.column("meeting_id"), sa.column("document"))
    rows = [
        {
            "meeting_id": row.id,
            "document": search_document(
                [
                    row.title,
                    row.place,
                    row.description,
                    *(agenda.get(row.id, []) if row.agenda_published_at else []),
                ]
            ),
        }
        for row in bind.execute(sa.select(meetings).order_by(meetings.c.id))
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
    op.drop_table("meeting_search")
    op.drop_index(op.f("ix_attachment_files_sha256"), table_name="attachment_files")
    op.drop_table("attachment_files")
    op.drop_index("ix_attachments_owner", table_name="attachments")
    op.drop_table("attachments")
