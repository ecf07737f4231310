"""The discussion's routes: a recommendation's thread, and editing and deleting any
comment (on a recommendation or a challenge)."""

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.forms import error_text
from app.permissions import can, require
from app.problems import queries as problem_queries
from app.recommendations import services
from app.recommendations.discussion import (
    comments_bp,
    discussion_response,
    post_comment,
)
from app.recommendations.forms import (
    CommentEditForm,
    CommentForm,
    ToggleForm,
)
from app.recommendations.models import Comment
from app.recommendations.pages import bp, get_recommendation_or_404

# --- discussion ---------------------------------------------------------------------------


@bp.route("/<int:rec_id>/comments", methods=["GET", "POST"])
@require("view_recommendation")
def comments(rec_id):
    """The discussion fragment (GET) or a new comment or reply (POST)."""
    rec = get_recommendation_or_404(rec_id)
    page_url = url_for("recommendations.detail", rec_id=rec.id)
    if request.method == "GET":
        return discussion_response(rec, page_url)
    return post_comment(rec, page_url)


def _comment_target(comment: Comment):
    """The recommendation or challenge a comment belongs to, checked for visibility."""
    if comment.recommendation_id:
        rec = get_recommendation_or_404(comment.recommendation_id)
        return rec, url_for("recommendations.detail", rec_id=rec.id)

    challenge = problem_queries.challenge_for_page(comment.challenge_id)
    if challenge is None:
        abort(404)
    return challenge, url_for("challenges.detail", challenge_id=challenge.id)


def _get_comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    return comment


@comments_bp.post("/<int:comment_id>/edit")
@require("edit_comment")
def edit_comment(comment_id):
    """The author corrects their comment within 15 minutes."""
    comment = _get_comment_or_404(comment_id)
    target, page_url = _comment_target(comment)
    if not can(current_user, "edit_comment", comment, target=target):
        abort(403)
    form = CommentEditForm()
    if not form.validate_on_submit():
        problem = error_text(form)
        return discussion_response(
            target,
            page_url,
            CommentForm(formdata=None),
            422,
            reaching=comment.id,
            problem=_("The comment was not changed: %(error)s", error=problem),
        )
    try:
        services.edit_comment(comment, current_user, form.body.data)
    except services.RecommendationError as exc:
        return discussion_response(
            target,
            page_url,
            CommentForm(formdata=None),
            422,
            reaching=comment.id,
            problem=_("The comment was not changed: %(error)s", error=str(exc)),
        )
    return discussion_response(
        target, page_url, focus_on=comment.id, announce=_("Your comment is changed.")
    )


@comments_bp.post("/<int:comment_id>/delete")
@require("delete_comment")
def delete_comment(comment_id):
    """Remove a comment's text; the thread keeps its place for the replies."""
    comment = _get_comment_or_404(comment_id)
    target, page_url = _comment_target(comment)
    if not can(current_user, "delete_comment", comment, target=target):
        abort(403)
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.delete_comment(comment, current_user)
    return discussion_response(
        target, page_url, focus_on=comment.id, announce=_("The comment is deleted.")
    )
