"""indexes for the recommendation list's order and the coverage matrix

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_recommendations_updated", "recommendations", ["updated_at", "id"])
    op.create_index(
        "ix_recommendations_area_category_status",
        "recommendations",
        ["problem_area_id", "category_id", "status"],
    )


def downgrade():
    op.drop_index("ix_recommendations_area_category_status", table_name="recommendations")
    op.drop_index("ix_recommendations_updated", table_name="recommendations")
