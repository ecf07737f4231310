"""Dashboard, language switch, health and readiness."""

import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import text

from app.auth import queries as account_queries
from app.auth import services as account_services
from app.auth.views import safe_next
from app.extensions import db
from app.forms import LanguageForm
from app.main import styleguide as style
from app.meetings import queries as meeting_queries
from app.permissions import require, visible_statuses
from app.problems import queries as problem_queries
from app.recommendations import queries as recommendation_queries

bp = Blueprint("main", __name__)


@bp.get("/")
@require("view_workspace")
def dashboard():
    """Coverage matrix (problem areas x categories) and upcoming meetings."""
    statuses = visible_statuses(current_user)
    return render_template(
        "main/dashboard.html",
        areas=problem_queries.area_rows(),
        categories=problem_queries.category_rows(),
        cells=recommendation_queries.coverage(statuses),
        empty_cell=recommendation_queries.CoverageCell(),
        upcoming=meeting_queries.upcoming(limit=5),
        actions=meeting_queries.open_actions_for(current_user.id),
    )


@bp.get("/people/<handle>")
@require("view_workspace")
def person(handle):
    """Someone's page, where their @mentions lead: who they are, where they work, what
    they co-author. Ministry reviewers see only people whose work they can see."""
    statuses = visible_statuses(current_user)
    someone = account_queries.joined_by_handle(handle)
    if someone is None or (
        statuses is not None and not recommendation_queries.shown_author(someone.id, statuses)
    ):
        abort(404)
    return render_template(
        "main/person.html",
        person=someone,
        authored=recommendation_queries.authored_by(someone.id, statuses),
    )


@bp.get("/styleguide")
@require("view_styleguide")
def styleguide():
    """The living style guide: every component, and the palette's measured contrast."""
    sprite = Path(current_app.static_folder, "vendor", "icons", "icons.svg")
    icons = re.findall(r'<symbol id="i-([a-z0-9-]+)"', sprite.read_text(encoding="utf-8"))
    return render_template(
        "main/styleguide.html",
        swatches=style.palette(),
        form=style.refused_form(),
        icons=icons,
    )


@bp.post("/language")
def set_language():
    """Switch the interface language; remembered for the session and, if logged in, the account."""
    form = LanguageForm()
    target = safe_next(form.next.data or request.referrer and _path_of(request.referrer))
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            account_services.set_language(current_user, form.language.data)
        return redirect(target, code=303)
    return render_template(
        "errors/error.html", code=400, message=_("Choose one of the offered languages.")
    ), 400


def _path_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.netloc and parts.netloc != request.host:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.get("/healthz")
def healthz():
    """The process is up (no database touched)."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database answers; 503 otherwise, so a balancer stops sending traffic."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001  any failure means not ready
        db.session.rollback()
        return jsonify(status="unavailable", error=type(exc).__name__), 503
    return jsonify(status="ok")
