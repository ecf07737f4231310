"""The pages of problem areas and challenges: lists, one area, one challenge,
formulating and editing. They sit here, above the features, because they gather what
recommendations, strategies and discussions say about an area or a challenge; the
problems package itself holds the areas' and challenges' data and rules."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.attachments import pages as attachment_pages
from app.permissions import can, object_or_404, require, visible_statuses
from app.problems import queries, services
from app.problems.forms import ChallengeForm, EditChallengeForm
from app.recommendations import evidence
from app.recommendations import queries as recommendation_queries
from app.recommendations.discussion import (
    _discussion_context,
    _follow_context,
    _toggle_follow,
    discussion_response,
)
from app.recommendations.discussion import post_comment as _post_comment
from app.strategies import queries as strategy_queries

bp = Blueprint("problems", __name__)
#: One challenge's page, discussion and editing.
challenges_bp = Blueprint("challenges", __name__)


def get_area_or_404(code: str):
    return object_or_404(queries.problem_area_by_code(code))


def get_challenge_or_404(challenge_id: int, need: str | None = None):
    return object_or_404(queries.challenge_for_page(challenge_id), need)


@bp.get("/")
@require("view_workspace")
def index():
    """The seven problem areas with their counts."""
    statuses = visible_statuses(current_user)
    per_area: dict[int, int] = {}
    for (area_id, _cat), cell in recommendation_queries.coverage(statuses).items():
        per_area[area_id] = per_area.get(area_id, 0) + cell.total
    return render_template(
        "problems/index.html",
        areas=queries.problem_areas(),
        recommendation_counts=per_area,
        challenge_counts=queries.challenge_counts(),
    )


@bp.get("/<code>")
@require("view_workspace")
def detail(code):
    """One problem area: its challenges and its recommendations grouped by R1-R5."""
    area = get_area_or_404(code)
    statuses = visible_statuses(current_user)
    by_category, totals = recommendation_queries.of_area_by_category(area, statuses)
    return render_template(
        "problems/detail.html",
        area=area,
        challenges=queries.challenges_of(area),
        categories=queries.categories(),
        by_category=by_category,
        totals=totals,
        **_reach(area, statuses),
        **_follow_context("problem_area", area.id, url_for("problems.follow", code=area.code)),
    )


def _reach(area, statuses) -> dict:
    goal_reach, gd_reach = evidence.area_reach(area.id, statuses)
    return {
        "goal_reach": goal_reach,
        "gd_reach": gd_reach,
        "goals": strategy_queries.goals(),
        "green_deal": strategy_queries.green_deal_areas(),
    }


@bp.post("/<code>/follow")
@require("follow")
def follow(code):
    """Follow everything new in a problem area (or stop)."""
    area = get_area_or_404(code)
    return _toggle_follow("problem_area", area.id, url_for("problems.detail", code=area.code))


@bp.route("/<code>/challenges/new", methods=["GET", "POST"])
@require("create_challenge")
def new_challenge(code):
    """Formulate a challenge in this problem area."""
    area = get_area_or_404(code)
    form = ChallengeForm()
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        challenge = services.create_challenge(
            current_user, area, title=form.title.data, description=form.description.data or ""
        )
        page = url_for("challenges.detail", challenge_id=challenge.id)
        once.done(form, page)
        flash(_("The challenge has been added."), "success")
        return redirect(page, code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "problems/challenge_form.html", form=form, area=area, challenge=None
    ), status


@challenges_bp.get("/<int:challenge_id>", endpoint="detail")
@require("view_workspace")
def challenge_detail(challenge_id):
    """One challenge: its description, the recommendations answering it, its discussion."""
    challenge = get_challenge_or_404(challenge_id)
    return render_template(
        "problems/challenge.html",
        challenge=challenge,
        answers=recommendation_queries.recommendations_answering(
            challenge, visible_statuses(current_user)
        ),
        materials=attachment_pages.shown(challenge),
        **_follow_context(
            "challenge", challenge.id, url_for("challenges.follow", challenge_id=challenge.id)
        ),
        **_discussion_context(challenge),
    )


@challenges_bp.route("/<int:challenge_id>/edit", methods=["GET", "POST"], endpoint="edit")
@require("edit_challenge")
def edit_challenge(challenge_id):
    """The author or a facilitator rewords a challenge."""
    challenge = get_challenge_or_404(challenge_id, "edit_challenge")
    form = EditChallengeForm(obj=challenge)
    if request.method == "GET":
        form.base_version.data = str(challenge.version)
    elif form.validate_on_submit():
        version = str(form.base_version.data or "")
        try:
            services.update_challenge(
                challenge,
                current_user,
                expected_version=int(version),
                title=form.title.data,
                description=form.description.data or "",
            )
        except services.StaleChallenge:
            current = queries.challenge_for_page(challenge_id)  # reloaded after the rollback
            form.base_version.data = str(current.version)
            form.title.errors.append(
                _(
                    "Someone changed this challenge while you were editing. Your text is kept "
                    "below; compare it with the current version and save again."
                )
            )
            return render_template(
                "problems/challenge_form.html",
                form=form,
                area=current.problem_area,
                challenge=current,
                current=current,
            ), 409
        flash(_("The challenge has been saved."), "success")
        return redirect(url_for("challenges.detail", challenge_id=challenge.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "problems/challenge_form.html", form=form, area=challenge.problem_area, challenge=challenge
    ), status


@challenges_bp.route("/<int:challenge_id>/comments", methods=["GET", "POST"], endpoint="comments")
@require("view_workspace")
def challenge_comments(challenge_id):
    """The challenge's discussion fragment (GET) or a new comment (POST)."""
    challenge = get_challenge_or_404(challenge_id)
    page_url = url_for("challenges.detail", challenge_id=challenge.id)
    if request.method == "GET":
        return discussion_response(challenge, page_url)
    if not can(current_user, "comment", challenge):
        abort(403)
    return _post_comment(challenge, page_url)


@challenges_bp.post("/<int:challenge_id>/follow", endpoint="follow")
@require("follow")
def follow_challenge(challenge_id):
    """Follow a challenge (or stop)."""
    challenge = get_challenge_or_404(challenge_id)
    return _toggle_follow(
        "challenge", challenge.id, url_for("challenges.detail", challenge_id=challenge.id)
    )
