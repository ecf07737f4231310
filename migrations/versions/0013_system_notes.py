"""system notes: timeline and revision notes that Warsztat writes are stored as a code
with parameters and worded for each reader; meetings get the language they are held in

Revision ID: 0013
Revises: 0012
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

#: The notes earlier versions wrote as words, in either language, and their codes.
_WORDED = {
    "revisions": [
        (re.compile(r"^(?:First version|Pierwsza wersja)\.$"), "revision.first", None),
        (
            re.compile(r"^(?:Amendment by (.+) accepted|Przyjęto poprawkę – autorstwo: (.+))\.$"),
            "revision.amendment_accepted",
            "name",
        ),
        (
            re.compile(
                r"^(?:Text as sent in package|Tekst w postaci wysłanej w pakiecie) (\d+)\.$"
            ),
            "revision.sent_in_package",
            "number",
        ),
    ],
    "status_changes": [
        (
            re.compile(r"^(?:Sent in package|Wysłana w pakiecie) (\d+)\.$"),
            "status.sent_in_package",
            "number",
        ),
    ],
}


def upgrade():
    for table in _WORDED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("note_code", sa.String(length=40), nullable=True))
            batch_op.add_column(sa.Column("note_params", sa.JSON(), nullable=True))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=2), server_default="pl", nullable=False)
        )

    connection = op.get_bind()
    for table, patterns in _WORDED.items():
        rows = sa.table(
            table,
            sa.column("id", sa.Integer),
            sa.column("note", sa.Text),
            sa.column("note_code", sa.String),
            sa.column("note_params", sa.JSON),
        )
        for row_id, note in connection.execute(
            sa.select(rows.c.id, rows.c.note).where(rows.c.note != "")
        ).all():
            for pattern, code, param in patterns:
                found = pattern.match(note.strip())
                if found:
                    value = next(g for g in found.groups() if g) if param else None
                    params = {param: int(value) if param == "number" else value} if param else {}
                    connection.execute(
                        sa.update(rows)
                        .where(rows.c.id == row_id)
                        .values(note="", note_code=code, note_params=params)
                    )
                    break


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("language")
    for table in _WORDED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("note_params")
            batch_op.drop_column("note_code")
