"""Problem areas: the list and one area with its challenges and recommendations."""

from flask import abort, render_template
from flask_login import current_user

from app.permissions import require, visible_statuses
from app.problems import bp, queries
from app.recommendations import queries as recommendation_queries


@bp.get("/")
@require("view_workspace")
def index():
    """The seven problem areas with their counts."""
    statuses = visible_statuses(current_user)
    counts = queries.coverage_counts(statuses)
    per_area: dict[int, int] = {}
    for (area_id, _cat), n in counts.items():
        per_area[area_id] = per_area.get(area_id, 0) + n
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
    area = queries.problem_area_by_code(code)
    if area is None:
        abort(404)
    statuses = visible_statuses(current_user)
    return render_template(
        "problems/detail.html",
        area=area,
        challenges=queries.challenges_of(area),
        categories=queries.categories(),
        by_category=recommendation_queries.of_area_by_category(area, statuses),
    )
