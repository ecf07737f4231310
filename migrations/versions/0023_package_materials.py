"""a package's annex: the materials of its recommendations as they were when it was sent

Revision ID: 0023
Revises: 0022
"""

from alembic import op
import sqlalchemy as sa

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "package_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("attachment_file_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_file_id"],
            ["attachment_files.id"],
            name=op.f("fk_package_materials_attachment_file_id_attachment_files"),
        ),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["submission_packages.id"],
            name=op.f("fk_package_materials_package_id_submission_packages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["recommendations.id"],
            name=op.f("fk_package_materials_recommendation_id_recommendations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_materials")),
        sa.UniqueConstraint("package_id", "path", name="uq_package_material_path"),
    )
    op.create_index(
        op.f("ix_package_materials_package_id"), "package_materials", ["package_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_package_materials_package_id"), table_name="package_materials")
    op.drop_table("package_materials")
