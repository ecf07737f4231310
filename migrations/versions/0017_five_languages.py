"""five interface languages: an account may choose Czech, Slovak or Hungarian too

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

FIVE = "language IN ('pl', 'en', 'cs', 'sk', 'hu')"
TWO = "language IN ('pl', 'en')"


def _replace_check(condition: str) -> None:
    # SQLite cannot alter a constraint: batch mode copies the table with the new one.
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_language_known"), type_="check")
        batch_op.create_check_constraint("language_known", condition)


def upgrade():
    _replace_check(FIVE)


def downgrade():
    # Accounts in a language that no longer exists go back to Polish first.
    op.execute("UPDATE users SET language = 'pl' WHERE language NOT IN ('pl', 'en')")
    _replace_check(TWO)
