"""The discussion and support: comments and replies (with mentions), their editing
and removal, and members' support."""

from flask import current_app, has_request_context
from flask_babel import gettext as _
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, events
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.follows import FollowTarget, ensure_follow
from app.permissions import can
from app.problems.models import Challenge
from app.recommendations import mentions
from app.recommendations.drafting import RecommendationError, adjust_counter, reindex
from app.recommendations.models import (
    Comment,
    Recommendation,
    Support,
    comment_mentions,
)
from app.text import RENDER_VERSION, render_markdown

# --- discussion ---------------------------------------------------------------------------


def _record_mentions(comment_id: int, people, *, replace: bool = False) -> None:
    if replace:
        db.session.execute(
            delete(comment_mentions).where(comment_mentions.c.comment_id == comment_id)
        )
    if people:
        db.session.execute(
            insert(comment_mentions),
            [{"comment_id": comment_id, "user_id": user.id} for user in people],
        )


def render_body(comment: Comment, people) -> None:
    """Store the comment's HTML, ``people`` (those it mentions) linked to their pages.
    Done when the text is saved, so a thread's views only read it."""
    if has_request_context():
        html = render_markdown(comment.body, mentions.linker(people))
    else:
        # A command or a job: the links to people are built against the app's root.
        with current_app.test_request_context():
            html = render_markdown(comment.body, mentions.linker(people))
    comment.body_html = str(html)
    comment.html_version = RENDER_VERSION


def render_stored(*, everything: bool = False, batch: int = 500) -> int:
    """Render the comments whose stored HTML is missing or from another renderer
    version (all of them with ``everything``), a batch per transaction; how many."""
    done, after = 0, 0
    while True:
        query = (
            select(Comment)
            .options(selectinload(Comment.mentioned))
            .where(Comment.id > after)
            .order_by(Comment.id)
            .limit(batch)
        )
        if not everything:
            query = query.where(
                or_(Comment.html_version.is_(None), Comment.html_version != RENDER_VERSION)
            )
        comments = db.session.scalars(query).all()
        if not comments:
            return done
        for comment in comments:
            render_body(comment, comment.mentioned)
        after = comments[-1].id
        done += len(comments)
        db.session.commit()


def add_comment(
    target, actor: User, body: str, *, stance: str | None = None, parent_id: int | None = None
) -> Comment:
    """Post a comment (or a reply) on a recommendation or a challenge."""
    is_rec = isinstance(target, Recommendation)
    parent = None
    if parent_id is not None:
        parent = db.session.get(Comment, parent_id)
        same_target = parent is not None and (
            parent.recommendation_id == target.id if is_rec else parent.challenge_id == target.id
        )
        if not same_target:
            raise RecommendationError(
                _("The comment you are replying to is not in this discussion.")
            )
        if parent.deleted_at is not None:
            raise RecommendationError(_("You cannot reply to a deleted comment."))
    named = mentions.resolve(body)
    if named.ambiguous:
        raise RecommendationError(mentions.ambiguity_message(named.ambiguous))
    comment = Comment(
        author_id=actor.id,
        body=body.strip(),
        stance=stance or None,
        parent_id=parent.id if parent else None,
        recommendation_id=target.id if is_rec else None,
        challenge_id=None if is_rec else target.id,
    )
    render_body(comment, named.people)
    db.session.add(comment)
    db.session.flush()
    _record_mentions(comment.id, named.people)
    adjust_counter(type(target), target.id, "comment_count", +1)
    follow_type = FollowTarget.RECOMMENDATION if is_rec else FollowTarget.CHALLENGE
    ensure_follow(actor, follow_type, target.id)
    if is_rec:
        reindex(target.id)
    mentioned = [u for u in named.people if u.id != actor.id]
    audit.record(actor, "comment.posted", comment)
    events.comment_posted.send(comment, actor=actor, target=target, mentioned=mentioned)
    db.session.commit()
    return comment


def edit_comment(comment: Comment, actor: User, body: str) -> None:
    if not can(actor, "edit_comment", comment):
        raise RecommendationError(_("Comments can be edited by their author for 15 minutes."))
    named = mentions.resolve(body)
    if named.ambiguous:
        raise RecommendationError(mentions.ambiguity_message(named.ambiguous))
    comment.body = body.strip()
    comment.edited_at = utcnow()
    render_body(comment, named.people)
    _record_mentions(comment.id, named.people, replace=True)
    if comment.recommendation_id:
        reindex(comment.recommendation_id)
    audit.record(actor, "comment.edited", comment)
    db.session.commit()


def delete_comment(comment: Comment, actor: User) -> None:
    """Soft delete: the text goes, the place in the thread stays for the replies."""
    # One conditional UPDATE: of two deletes at once only one counts.
    deleted = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(body="", body_html="", html_version=RENDER_VERSION, deleted_at=utcnow())
    ).rowcount
    if not deleted:
        db.session.rollback()
        return
    db.session.refresh(comment)
    if comment.recommendation_id:
        adjust_counter(Recommendation, comment.recommendation_id, "comment_count", -1)
        reindex(comment.recommendation_id)
    else:
        adjust_counter(Challenge, comment.challenge_id, "comment_count", -1)
    audit.record(actor, "comment.deleted", comment)
    db.session.commit()


# --- support ------------------------------------------------------------------------------


def set_support(rec: Recommendation, actor: User, support: bool) -> None:
    """Support (once per member) or withdraw one's support."""
    existing = db.session.scalar(
        select(Support).where(Support.recommendation_id == rec.id, Support.user_id == actor.id)
    )
    if support and existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(Support(recommendation_id=rec.id, user_id=actor.id))
        except IntegrityError:
            return  # a double click: the first one counted
        adjust_counter(Recommendation, rec.id, "support_count", +1)
        audit.record(actor, "recommendation.supported", rec)
    elif not support and existing is not None:
        removed = db.session.execute(delete(Support).where(Support.id == existing.id)).rowcount
        if not removed:
            db.session.rollback()
            return  # withdrawn twice at once: the first one counted
        adjust_counter(Recommendation, rec.id, "support_count", -1)
        audit.record(actor, "recommendation.support_withdrawn", rec)
    db.session.commit()
