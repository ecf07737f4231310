"""Exports made in the background: asking for one, watching it, and downloading it.
Each job is its owner's alone; anyone else gets 404."""

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import filestore
from app.exports import export_jobs, selection, services
from app.exports.models import ExportJob
from app.extensions import db, htmx
from app.forms import Form
from app.permissions import require, visible_statuses

bp = Blueprint("export_jobs", __name__)


def _job_or_404(job_id: int) -> ExportJob:
    job = db.session.get(ExportJob, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


@bp.post("/")
@require("export")
def create():
    """Make the PDF report of the filtered recommendations in the background."""
    if not Form().validate_on_submit():
        abort(400)
    try:
        args = {name: value for name, value in request.form.items() if name != "csrf_token"}
        chosen = selection.parse(args, visible_statuses(current_user))
        ids = services.selected_ids(chosen)
    except (selection.SelectionError, services.EmptySelection) as error:
        abort(422, str(error))
    job = export_jobs.create(current_user, chosen, len(ids), str(get_locale() or "pl"))
    export_jobs.start(job.id)
    return redirect(url_for(".detail", job_id=job.id), code=303)


@bp.get("/<int:job_id>")
@require("export")
def detail(job_id):
    """How far the job is; the page asks again every two seconds until it is done."""
    job = _job_or_404(job_id)
    fragment = htmx and not htmx.history_restore_request
    return render_template(
        "exports/_job.html" if fragment else "exports/job.html",
        job=job,
        under_way=job.stage in export_jobs.UNDER_WAY,
        max_attempts=export_jobs.MAX_ATTEMPTS,
    )


@bp.get("/<int:job_id>/file")
@require("export")
def file(job_id):
    """The finished file (audited like every export)."""
    job = _job_or_404(job_id)
    if job.stage != "ready":
        abort(409, description=_("This file is still being made. Try again in a moment."))
    args = {name: str(value) for name, value in job.selection_args.items()}
    chosen = selection.parse(args, visible_statuses(current_user))
    services.record_export(
        current_user, job.format, chosen, job.total, job.sha256, via="background", commit=True
    )
    response = send_file(
        filestore.store().path(job.sha256),
        mimetype=services.FORMATS[job.format][0],
        as_attachment=True,
        download_name=f"warsztat-recommendations.{job.format}",
    )
    response.headers["X-Content-SHA256"] = job.sha256
    return response
