"""comments keep their rendered HTML, so a long thread is not parsed on every view

Revision ID: 0020
Revises: 0019
"""

from alembic import op
import sqlalchemy as sa

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade():
    # Rows written before stay empty here: they are rendered when shown until
    # `flask comments render` stores their HTML.
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body_html", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("html_version", sa.SmallInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("html_version")
        batch_op.drop_column("body_html")
