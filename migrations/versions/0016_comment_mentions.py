"""comment mentions: who each comment mentions, so its @names link to their pages;
filled for earlier comments from the @handles they contain

Revision ID: 0016
Revises: 0015
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# app.text.MENTION as it was when this migration was written; only the first word is
# read here (a handle). Mentions by name in older comments stay plain text.
_MENTION = re.compile(r"(?<![\w@.])@(\w[\w.\-]*)")


def upgrade():
    op.create_table(
        "comment_mentions",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_comment_mentions_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_comment_mentions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("comment_id", "user_id", name=op.f("pk_comment_mentions")),
    )
    if op.get_context().as_sql:
        return
    bind = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("handle"))
    comments = sa.table("comments", sa.column("id"), sa.column("body"))
    mentions = sa.table("comment_mentions", sa.column("comment_id"), sa.column("user_id"))
    handles = dict(bind.execute(sa.select(users.c.handle, users.c.id)).all())
    rows = []
    for comment_id, body in bind.execute(
        sa.select(comments.c.id, comments.c.body).where(comments.c.body.contains("@"))
    ):
        found = {
            handles[h.rstrip(".-").lower()]
            for h in _MENTION.findall(body or "")
            if h.rstrip(".-").lower() in handles
        }
        rows += [{"comment_id": comment_id, "user_id": user_id} for user_id in sorted(found)]
    if rows:
        bind.execute(mentions.insert(), rows)


def downgrade():
    op.drop_table("comment_mentions")
