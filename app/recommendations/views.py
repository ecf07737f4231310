"""The recommendation list with its filters."""

from flask import render_template, request
from flask_login import current_user

from app.extensions import htmx
from app.permissions import require, visible_statuses
from app.problems import queries as problem_queries
from app.recommendations import bp, queries
from app.recommendations.models import STATUSES


@bp.get("/")
@require("view_workspace")
def index():
    """Recommendations filtered by area, category, status, text and author."""
    filters = queries.RecommendationFilters.from_args(request.args)
    statuses = visible_statuses(current_user)
    rows, total = queries.page_of(filters, statuses)
    template = (
        "recommendations/_list.html"
        if htmx and not htmx.history_restore_request
        else "recommendations/index.html"
    )
    return render_template(
        template,
        rows=rows,
        total=total,
        filters=filters,
        page_size=queries.PAGE_SIZE,
        areas=problem_queries.problem_areas(),
        categories=problem_queries.categories(),
        statuses=statuses or STATUSES,
    )
