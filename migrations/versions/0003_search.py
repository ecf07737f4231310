"""search: recommendation_search, its FTS5 index (SQLite) or GIN index (PostgreSQL)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:00:00.000000

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

FTS_TABLE = 'recommendation_search_fts'
PG_INDEX = 'ix_recommendation_search_document_tsvector'

# The external-content pattern from the FTS5 documentation: the index holds no
# copy of the text, and these triggers keep it in step with recommendation_search
# (deletes by the foreign key's cascade included).
SQLITE_STATEMENTS = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        document,
        content='recommendation_search',
        content_rowid='recommendation_id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    f"""CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON recommendation_search BEGIN
        INSERT INTO {FTS_TABLE}(rowid, document)
        VALUES (new.recommendation_id, new.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON recommendation_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.recommendation_id, old.document);
    END""",
    f"""CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE ON recommendation_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, document)
        VALUES ('delete', old.recommendation_id, old.document);
        INSERT INTO {FTS_TABLE}(rowid, document)
        VALUES (new.recommendation_id, new.document);
    END""",
)

# A copy of app.search.normalise / search_document as they were when this
# migration was written (migrations do not import the application).
_FOLD = str.maketrans({'ł': 'l', 'đ': 'd', 'ø': 'o', 'ħ': 'h', 'ı': 'i', 'æ': 'ae', 'œ': 'oe'})
_WORD = re.compile(r'[^\W_]+')


def normalise(text):
    decomposed = unicodedata.normalize('NFKD', text.casefold())
    bare = ''.join(char for char in decomposed if not unicodedata.combining(char))
    return ' '.join(bare.casefold().translate(_FOLD).split())


def search_document(parts):
    return ' '.join(word for part in parts if part for word in _WORD.findall(normalise(part)))


def upgrade():
    op.create_table('recommendation_search',
    sa.Column('recommendation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_recommendation_search_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', name=op.f('pk_recommendation_search'))
    )
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for statement in SQLITE_STATEMENTS:
            op.execute(statement)
    elif bind.dialect.name == 'postgresql':
        op.execute(
            f"CREATE INDEX {PG_INDEX} ON recommendation_search "
            "USING gin (to_tsvector('simple', document))"
        )
    # Offline (--sql) there are no rows to read; the documents need Python anyway.
    if not op.get_context().as_sql:
        _backfill(bind)


def _backfill(bind):
    """A document for every recommendation: the fields the application indexes
    (app.recommendations.services.reindex) and the comments not deleted."""
    fields = ('title', 'summary', 'body', 'addressee', 'expected_impact')
    recommendations = sa.table('recommendations', sa.column('id'), *map(sa.column, fields))
    comments = sa.table(
        'comments', sa.column('id'), sa.column('recommendation_id'), sa.column('body'),
        sa.column('created_at'), sa.column('deleted_at'),
    )
    search = sa.table('recommendation_search', sa.column('recommendation_id'), sa.column('document'))

    parts = {
        row.id: [getattr(row, field) for field in fields]
        for row in bind.execute(sa.select(recommendations).order_by(recommendations.c.id))
    }
    for row in bind.execute(
        sa.select(comments.c.recommendation_id, comments.c.body)
        .where(comments.c.recommendation_id.is_not(None), comments.c.deleted_at.is_(None))
        .order_by(comments.c.created_at, comments.c.id)
    ):
        parts[row.recommendation_id].append(row.body)
    if parts:
        bind.execute(search.insert(), [
            {'recommendation_id': rec_id, 'document': search_document(texts)}
            for rec_id, texts in parts.items()
        ])


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        for suffix in ('au', 'ad', 'ai'):
            op.execute(f'DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix}')
        op.execute(f'DROP TABLE IF EXISTS {FTS_TABLE}')
    elif dialect == 'postgresql':
        op.execute(f'DROP INDEX IF EXISTS {PG_INDEX}')
    op.drop_table('recommendation_search')
