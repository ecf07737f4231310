"""Reads of a discussion (a recommendation's or a challenge's): the part of a long
thread a page shows, and what the comments' stored HTML needs when it is out of date.

A page shows the newest top-level comments (``PAGE`` of them) with all their replies,
oldest first; the earlier ones come a batch at a time. Two statements whatever the
thread's length: the top-level comments in the window (with how many there are in all),
then those comments and their replies with their authors."""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import User
from app.extensions import db
from app.recommendations.models import Comment, comment_mentions
from app.text import RENDER_VERSION

#: Top-level comments shown at once; each comes with all its replies.
PAGE = 30


@dataclass
class Thread:
    #: Top-level comments shown, oldest first.
    top: list[Comment] = field(default_factory=list)
    #: Replies by the id of the comment they answer, oldest first.
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    #: Top-level comments before the first one shown (0 when the thread is whole).
    earlier: int = 0
    #: How many of them "show earlier" brings (a batch at most).
    next_batch: int = 0


def _on(recommendation_id: int | None, challenge_id: int | None):
    if recommendation_id is not None:
        return Comment.recommendation_id == recommendation_id
    return Comment.challenge_id == challenge_id


def _older_than(comment_id: int):
    """Comments placed before ``comment_id`` in the thread's order (time, then id)."""
    at = select(Comment.created_at).where(Comment.id == comment_id).scalar_subquery()
    return or_(Comment.created_at < at, and_(Comment.created_at == at, Comment.id < comment_id))


def _root_of(comment_id: int, on_target) -> int | None:
    """The top-level comment whose thread holds ``comment_id`` (in this discussion)."""
    chain = (select(Comment.id, Comment.parent_id).where(Comment.id == comment_id, on_target)).cte(
        "chain", recursive=True
    )
    chain = chain.union_all(
        select(Comment.id, Comment.parent_id).join(chain, Comment.id == chain.c.parent_id)
    )
    return db.session.scalar(select(chain.c.id).where(chain.c.parent_id.is_(None)))


def thread_of(
    *,
    recommendation_id: int | None = None,
    challenge_id: int | None = None,
    before: int | None = None,
    reaching: int | None = None,
    everything: bool = False,
    size: int = PAGE,
) -> Thread:
    """The window of a discussion: the newest ``size`` top-level comments (those before
    the top-level comment ``before``, when given) with their replies; widened back to
    the thread that holds ``reaching`` (a comment a link points at), or the whole
    discussion with ``everything``."""
    on_target = _on(recommendation_id, challenge_id)
    roots = select(Comment.id, func.count().over()).where(on_target, Comment.parent_id.is_(None))
    if before is not None:
        roots = roots.where(_older_than(before))
    limit = None if everything else size
    if reaching is not None and not everything:
        root = _root_of(reaching, on_target)
        if root is not None:
            newer = db.session.scalar(
                select(func.count())
                .select_from(Comment)
                .where(on_target, Comment.parent_id.is_(None), ~_older_than(root))
            )
            limit = max(size, newer or 0)
    rows = db.session.execute(
        roots.order_by(Comment.created_at.desc(), Comment.id.desc()).limit(limit)
    ).all()
    if not rows:
        return Thread()
    root_ids = [row[0] for row in rows]
    tree = select(Comment.id).where(Comment.id.in_(root_ids)).cte("tree", recursive=True)
    tree = tree.union_all(select(Comment.id).join(tree, Comment.parent_id == tree.c.id))
    comments = db.session.scalars(
        select(Comment)
        .options(joinedload(Comment.author))
        .where(Comment.id.in_(select(tree.c.id)))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    _load_mentions_of_stale(comments)
    earlier = rows[0][1] - len(rows)
    thread = Thread(earlier=earlier, next_batch=min(earlier, size))
    for comment in comments:
        if comment.parent_id is None:
            thread.top.append(comment)
        else:
            thread.replies.setdefault(comment.parent_id, []).append(comment)
    return thread


def _load_mentions_of_stale(comments: list[Comment]) -> None:
    """The people mentioned by comments whose HTML must be rendered as they are shown
    (written before HTML was stored, or by another renderer version); none otherwise."""
    stale = {c.id: c for c in comments if c.html_version != RENDER_VERSION}
    if not stale:
        return
    people: dict[int, list[User]] = {comment_id: [] for comment_id in stale}
    rows = db.session.execute(
        select(comment_mentions.c.comment_id, User)
        .join(User, User.id == comment_mentions.c.user_id)
        .where(comment_mentions.c.comment_id.in_(stale))
    ).all()
    for comment_id, user in rows:
        people[comment_id].append(user)
    for comment_id, comment in stale.items():
        set_committed_value(comment, "mentioned", people[comment_id])
