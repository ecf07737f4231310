"""a package's files are built after it is sent: each file waits, is claimed and built

Revision ID: 0021
Revises: 0020
"""

from alembic import op
import sqlalchemy as sa

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("package_files", schema=None) as batch_op:
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.add_column(sa.Column("built_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("submission_packages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("files_ready_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("selection_args", sa.JSON(), nullable=True))
    # Files stored before were built in the request that sent their package.
    op.execute(
        "UPDATE package_files SET built_at = (SELECT sent_at FROM submission_packages "
        "WHERE submission_packages.id = package_files.package_id)"
    )
    op.execute("UPDATE submission_packages SET files_ready_at = sent_at")


def downgrade():
    op.execute("DELETE FROM package_files WHERE built_at IS NULL")
    with op.batch_alter_table("submission_packages", schema=None) as batch_op:
        batch_op.drop_column("selection_args")
        batch_op.drop_column("files_ready_at")
    with op.batch_alter_table("package_files", schema=None) as batch_op:
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("built_at")
        batch_op.alter_column("content", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
