"""reference texts in Czech, Slovak and Hungarian: problem areas, categories, sectors,
SDG goals and targets, Green Deal areas and smart-city dimensions (empty: English shown)

Revision ID: 0018
Revises: 0017
"""

from alembic import op
import sqlalchemy as sa

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("green_deal_areas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_cs", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_sk", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_hu", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_cs", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_sk", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_hu", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("problem_areas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("title_cs", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("title_sk", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("title_hu", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_cs", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_sk", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_hu", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("recommendation_categories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_cs", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_sk", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_hu", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_cs", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_sk", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_hu", sa.Text(), server_default="", nullable=False)
        )

    with op.batch_alter_table("sdg_goals", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("short_name_cs", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("short_name_sk", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("short_name_hu", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("title_cs", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("title_sk", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("title_hu", sa.Text(), server_default="", nullable=False))

    with op.batch_alter_table("sdg_targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_cs", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("text_sk", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("text_hu", sa.Text(), server_default="", nullable=False))

    with op.batch_alter_table("sectors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_cs", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_sk", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_hu", sa.String(length=120), server_default="", nullable=False)
        )

    with op.batch_alter_table("smart_dimensions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_cs", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_sk", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("name_hu", sa.String(length=120), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_cs", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_sk", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("description_hu", sa.Text(), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("smart_dimensions", schema=None) as batch_op:
        batch_op.drop_column("description_hu")
        batch_op.drop_column("description_sk")
        batch_op.drop_column("description_cs")
        batch_op.drop_column("name_hu")
        batch_op.drop_column("name_sk")
        batch_op.drop_column("name_cs")

    with op.batch_alter_table("sectors", schema=None) as batch_op:
        batch_op.drop_column("name_hu")
        batch_op.drop_column("name_sk")
        batch_op.drop_column("name_cs")

    with op.batch_alter_table("sdg_targets", schema=None) as batch_op:
        batch_op.drop_column("text_hu")
        batch_op.drop_column("text_sk")
        batch_op.drop_column("text_cs")

    with op.batch_alter_table("sdg_goals", schema=None) as batch_op:
        batch_op.drop_column("title_hu")
        batch_op.drop_column("title_sk")
        batch_op.drop_column("title_cs")
        batch_op.drop_column("short_name_hu")
        batch_op.drop_column("short_name_sk")
        batch_op.drop_column("short_name_cs")

    with op.batch_alter_table("recommendation_categories", schema=None) as batch_op:
        batch_op.drop_column("description_hu")
        batch_op.drop_column("description_sk")
        batch_op.drop_column("description_cs")
        batch_op.drop_column("name_hu")
        batch_op.drop_column("name_sk")
        batch_op.drop_column("name_cs")

    with op.batch_alter_table("problem_areas", schema=None) as batch_op:
        batch_op.drop_column("description_hu")
        batch_op.drop_column("description_sk")
        batch_op.drop_column("description_cs")
        batch_op.drop_column("title_hu")
        batch_op.drop_column("title_sk")
        batch_op.drop_column("title_cs")

    with op.batch_alter_table("green_deal_areas", schema=None) as batch_op:
        batch_op.drop_column("description_hu")
        batch_op.drop_column("description_sk")
        batch_op.drop_column("description_cs")
        batch_op.drop_column("name_hu")
        batch_op.drop_column("name_sk")
        batch_op.drop_column("name_cs")
