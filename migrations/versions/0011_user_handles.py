"""user handles for mentions: unique and stable, given to existing accounts from their
address (the first account keeps the plain form, later ones get a number)

Revision ID: 0011
Revises: 0010
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"})


def _base(email):
    # The rule of app.auth.models.handle_base at the time of this revision, kept here so
    # the upgrade gives the same handles whatever the application code becomes.
    local = unicodedata.normalize("NFKD", email.split("@")[0].casefold())
    local = "".join(c for c in local if not unicodedata.combining(c)).translate(_FOLD)
    base = re.sub(r"[^a-z0-9._-]+", "", ".".join(local.split())).strip("._-")
    return (base or "member")[:36].rstrip("._-") or "member"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handle', sa.String(length=40), nullable=True))
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String),
                     sa.column('handle', sa.String))
    used = set()
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)):
        base = _base(email)
        handle, number = base, 2
        while handle in used:
            handle, number = f"{base}{number}", number + 1
        used.add(handle)
        connection.execute(users.update().where(users.c.id == user_id).values(handle=handle))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('handle', existing_type=sa.String(length=40), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_handle'), ['handle'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_handle'), type_='unique')
        batch_op.drop_column('handle')
