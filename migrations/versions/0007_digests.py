"""digest preferences, digested notifications, unsubscribe header

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("digest_hour", sa.Integer(), nullable=False, server_default="8"))
        batch.add_column(
            sa.Column("digest_weekday", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("digest_period", sa.String(length=20), nullable=True))
        batch.create_check_constraint(op.f("ck_users_digest_hour_valid"), "digest_hour BETWEEN 0 AND 23")
        batch.create_check_constraint(op.f("ck_users_digest_weekday_valid"), "digest_weekday BETWEEN 0 AND 6")
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("digested_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.add_column(sa.Column("unsubscribe_url", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.drop_column("unsubscribe_url")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("digested_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_digest_weekday_valid"), type_="check")
        batch.drop_constraint(op.f("ck_users_digest_hour_valid"), type_="check")
        batch.drop_column("digest_period")
        batch.drop_column("digest_weekday")
        batch.drop_column("digest_hour")
