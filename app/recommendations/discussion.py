"""What recommendations and challenges share on their pages: the discussion fragment,
posting to it, and the follow button. Kept apart from the views so that pages of other
features (challenges) can use it without importing the recommendation views."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import follows, once
from app.extensions import htmx
from app.forms import ToggleForm, error_text
from app.permissions import can, require
from app.recommendations import mentions, queries, services
from app.recommendations.forms import CommentForm
from app.recommendations.models import Recommendation
from app.text import render_markdown

#: Editing and deleting comments, wherever they were posted.
comments_bp = Blueprint("comments", __name__)


@comments_bp.app_template_global()
def comment_html(comment):
    """A comment's text as safe HTML, the people it mentions linked to their pages."""
    return render_markdown(comment.body, mentions.linker(comment.mentioned))


def render_fragment_or_page(fragment: str, page_endpoint: str, status: int = 200, **context):
    """htmx gets the fragment; a plain form post is redirected to the page."""
    if htmx and not htmx.history_restore_request:
        return render_template(fragment, **context), status
    if status >= 400:
        return render_template(fragment, **context), status
    return redirect(page_endpoint, code=303)


def _follow_context(target_type: str, target_id: int, follow_url: str):
    return {
        "following": follows.is_following(current_user, target_type, target_id),
        "follow_url": follow_url,
    }


def _toggle_follow(target_type: str, target_id: int, page_url: str):
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    follows.set_following(current_user, target_type, target_id, form.wants_on)
    return render_fragment_or_page(
        "_partials/_follow.html", page_url, **_follow_context(target_type, target_id, request.path)
    )


def _discussion_context(
    target, top, replies, comment_form=None, problem=None, focus_on=None, announce=None
):
    is_rec = isinstance(target, Recommendation)
    kwargs = {"recommendation_id": target.id} if is_rec else {"challenge_id": target.id}
    return {
        "discussion_target": target,
        "discussion_url": (
            url_for("recommendations.comments", rec_id=target.id)
            if is_rec
            else url_for("challenges.comments", challenge_id=target.id)
        ),
        "top_comments": top,
        "replies": replies,
        "stances": queries.stance_counts(**kwargs),
        "comment_form": comment_form or CommentForm(formdata=None),
        "may_comment": can(current_user, "comment", target),
        # A message about an edit or reply that failed, shown above the thread.
        "discussion_problem": problem,
        # After an htmx swap: the comment the keyboard focus goes to, and what to say.
        "focus_on": focus_on,
        "announce": announce,
    }


def discussion_response(
    target,
    page_url: str,
    comment_form=None,
    status: int = 200,
    problem: str | None = None,
    *,
    focus_on: int | None = None,
    announce: str | None = None,
):
    is_rec = isinstance(target, Recommendation)
    kwargs = {"recommendation_id": target.id} if is_rec else {"challenge_id": target.id}
    top, replies = queries.comments_of(**kwargs)
    context = _discussion_context(target, top, replies, comment_form, problem, focus_on, announce)
    if htmx and not htmx.history_restore_request:
        return render_template("_partials/_discussion.html", **context), status
    if status >= 400:
        errors = problem or (error_text(comment_form) if comment_form else "")
        flash(_("The comment was not posted: %(error)s", error=errors), "error")
    return redirect(page_url + "#discussion", code=303)


def post_comment(target, page_url: str):
    form = CommentForm()
    if not can(current_user, "comment", target):
        abort(403)
    if form.validate_on_submit():
        if once.claim(form):
            return discussion_response(target, page_url)  # a repeat: the thread as it is
        try:
            comment = services.add_comment(
                target,
                current_user,
                form.body.data,
                stance=form.stance.data or None,
                parent_id=form.parent_id.data,
            )
        except services.RecommendationError as exc:
            form.body.errors.append(str(exc))
            return discussion_response(target, page_url, form, 422)
        once.done(form, f"{page_url}#comment-{comment.id}")
        return discussion_response(
            target, page_url, focus_on=comment.id, announce=_("Your comment is posted.")
        )
    return discussion_response(target, page_url, form, 422)


@comments_bp.get("/people")
@require("comment")
def people():
    """Who to offer while an ``@`` mention is typed: name, handle and organisation, so
    people with the same name can be told apart (the handle is what gets inserted)."""
    query = request.args.get("q", "", type=str)[:60]
    return jsonify(
        people=[
            {
                "handle": user.handle,
                "name": user.name,
                "organisation": user.organisation.name if user.organisation else "",
            }
            for user in mentions.suggestions(query)
        ]
    )
