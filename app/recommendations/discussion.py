"""What recommendations and challenges share on their pages: the discussion fragment,
posting to it, and the follow button. Kept apart from the views so that pages of other
features (challenges) can use it without importing the recommendation views."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import follows, once
from app.extensions import htmx
from app.forms import ToggleForm, error_text
from app.permissions import can, require
from app.recommendations import mentions, queries, services, thread
from app.recommendations.forms import CommentForm
from app.recommendations.models import Recommendation
from app.text import RENDER_VERSION, render_markdown, sanitise_html

#: Editing and deleting comments, wherever they were posted.
comments_bp = Blueprint("comments", __name__)


@comments_bp.app_template_global()
def comment_html(comment):
    """A comment's text as safe HTML, the people it mentions linked to their pages: as
    stored when it was saved, or rendered now if it was stored by another version."""
    if comment.html_version == RENDER_VERSION:
        # Sanitised when it was stored, and again as it is read (nh3 takes microseconds):
        # an allowlist narrowed without raising RENDER_VERSION still holds for old rows.
        return sanitise_html(comment.body_html)
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


def _of(target) -> dict[str, int]:
    """The discussion's owner as the thread reads take it (a recommendation's or a
    challenge's id)."""
    if isinstance(target, Recommendation):
        return {"recommendation_id": target.id}
    return {"challenge_id": target.id}


def _comment_id(value) -> int | None:
    """``value`` if it can be a comment's id; anything else (a number no id can be, from
    a link or a refused form) counts as not given."""
    return value if isinstance(value, int) and 0 < value < 2**31 else None


def _comment_id_arg(name: str) -> int | None:
    """A comment id from the query string (see ``_comment_id``)."""
    return _comment_id(request.args.get(name, type=int))


def _thread_window(target, focus_on: int | None = None) -> thread.Thread:
    """The part of the thread a page shows: the newest comments, or (from the page's
    query string) the whole of it, or the earlier ones back to a linked comment."""
    kwargs = _of(target)
    reaching = _comment_id(focus_on) or _comment_id_arg("comment")
    return thread.thread_of(
        **kwargs, reaching=reaching, everything=request.args.get("comments") == "all"
    )


def _comments_context(target, focus_on=None):
    """What each comment of a thread needs: where to post, who may, where focus goes."""
    is_rec = isinstance(target, Recommendation)
    return {
        "discussion_target": target,
        "discussion_url": (
            url_for("recommendations.comments", rec_id=target.id)
            if is_rec
            else url_for("challenges.comments", challenge_id=target.id)
        ),
        "may_comment": can(current_user, "comment", target),
        # After an htmx swap: the comment the keyboard focus goes to.
        "focus_on": focus_on,
    }


def _discussion_context(
    target, comment_form=None, problem=None, focus_on=None, announce=None, reaching=None
):
    """``reaching``: a comment whose thread must be shown (the one a refused reply
    answers, or a refused edit changes) without taking the focus."""
    kwargs = _of(target)
    return {
        **_comments_context(target, focus_on),
        "thread": _thread_window(target, focus_on or reaching),
        "stances": queries.stance_counts(**kwargs),
        "comment_form": comment_form or CommentForm(formdata=None),
        # A message about an edit or reply that failed, shown above the thread.
        "discussion_problem": problem,
        # After an htmx swap: what to say.
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
    reaching: int | None = None,
):
    if htmx and not htmx.history_restore_request:
        before = _comment_id_arg("before")
        if request.method == "GET" and before is not None:
            return earlier_comments(target, before)
        context = _discussion_context(target, comment_form, problem, focus_on, announce, reaching)
        return render_template("_partials/_discussion.html", **context), status
    if status >= 400:
        errors = problem or (error_text(comment_form) if comment_form else "")
        flash(_("The comment was not posted: %(error)s", error=errors), "error")
    return redirect(page_url + "#discussion", code=303)


def earlier_comments(target, before: int):
    """The batch of top-level comments (with replies) before ``before``, for "show
    earlier comments": it takes the place of the link that asked for it, and the
    keyboard focus goes to its first comment."""
    kwargs = _of(target)
    batch = thread.thread_of(**kwargs, before=before)
    shown = len(batch.top)
    return render_template(
        "_partials/_thread_batch.html",
        **_comments_context(target, batch.top[0].id if batch.top else None),
        thread=batch,
        batch_announce=ngettext(
            "%(num)s earlier comment is shown.", "%(num)s earlier comments are shown.", shown
        ),
    )


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
            return discussion_response(target, page_url, form, 422, reaching=form.parent_id.data)
        once.done(form, f"{page_url}#comment-{comment.id}")
        return discussion_response(
            target, page_url, focus_on=comment.id, announce=_("Your comment is posted.")
        )
    return discussion_response(target, page_url, form, 422, reaching=form.parent_id.data)


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
