"""Exports, submission packages and the ministry's answers (pages under /exports/)."""

import hashlib
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import audit, once
from app.auth.models import User
from app.exports import package_files, package_materials, packages, records, selection, services
from app.exports.forms import AnswerForm, NoteForm, PackageForm
from app.exports.schema import EXPORT_DOCUMENT
from app.extensions import db, htmx
from app.forms import Form
from app.permissions import can, require, visible_statuses
from app.problems import queries as problem_queries
from app.recommendations import answers
from app.recommendations.answers import ANSWERABLE
from app.recommendations.models import STATUSES, MinistryAnswer
from app.recommendations.pages import text_labels
from app.recommendations.services import RecommendationError

bp = Blueprint("exports", __name__)


@bp.app_context_processor
def review_inbox():
    """``review_inbox()`` for the dashboard: called only where a template asks for it."""

    def load():
        if not current_user.is_authenticated:
            return None
        return packages.inbox(current_user)

    return {"review_inbox": load}


def _selection_or_400(args) -> selection.Selection:
    try:
        return selection.parse(args, visible_statuses(current_user))
    except selection.SelectionError as error:
        abort(400, str(error))


@bp.get("/")
@require("export")
def index():
    """Choose filters and a format; the packages sent so far."""
    sent = packages.visible_packages(current_user) if can(current_user, "view_packages") else []
    statuses = visible_statuses(current_user) or STATUSES
    error, count = None, None
    try:
        chosen = selection.parse(request.args, visible_statuses(current_user))
    except selection.SelectionError as problem:
        error = str(problem)
    else:
        count = len(records.ordered_ids(chosen.query()))
    return render_template(
        "exports/index.html",
        error=error,
        count=count,
        packages=sent,
        counts=packages.item_counts(p.id for p in sent),
        areas=problem_queries.problem_areas(),
        categories=problem_queries.categories(),
        statuses=statuses,
        args=request.args,
        pdf_limit=current_app.config["PDF_MAX_RECOMMENDATIONS"],
    )


@bp.get("/recommendations.<any(docx, xlsx, csv, json, pdf):fmt>")
@require("export")
def download(fmt):
    """The filtered recommendations as a file; CSV and JSON stream, row by row."""
    chosen = _selection_or_400(request.args)
    try:
        ids = services.selected_ids(chosen)
    except services.EmptySelection as error:
        abort(422, str(error))
    limit = current_app.config["PDF_MAX_RECOMMENDATIONS"]
    if fmt == "pdf" and len(ids) > limit:
        abort(
            422,
            _(
                "A PDF is made here for at most %(limit)s recommendations, and these are "
                "%(count)s. Narrow the filters, or take the Word file.",
                limit=limit,
                count=len(ids),
            ),
        )
    mimetype, ext = services.FORMATS[fmt]
    filename = f"warsztat-recommendations.{ext}"
    report = services.report_for(ids, chosen.describe())
    actor_id = current_user.id
    if fmt in ("csv", "json"):
        return _stream(fmt, report, chosen, ids, actor_id, mimetype, filename)
    # DOCX and XLSX are zip files, and a PDF is laid out whole, before the first byte
    # can go out.
    out = io.BytesIO()
    sha = services.write_file(fmt, report, len(ids), chosen.as_args(), out)
    services.record_export(current_user, fmt, chosen, len(ids), sha, via="web", commit=True)
    out.seek(0)
    response = send_file(out, mimetype=mimetype, as_attachment=True, download_name=filename)
    response.headers["X-Content-SHA256"] = sha
    return response


@bp.get("/recommendations.schema.json")
@require("export")
def json_schema():
    """The JSON Schema of the JSON export (version 1), for programs that read it."""
    return jsonify(EXPORT_DOCUMENT)


def _stream(fmt, report, chosen, ids, actor_id, mimetype, filename):
    def generate():
        sha = hashlib.sha256()
        for chunk in services.text_chunks(fmt, report, chosen.as_args()):
            data = chunk.encode("utf-8")
            sha.update(data)
            yield data
        # Recorded once the whole file has gone out, with the hash of what was sent.
        actor = db.session.get(User, actor_id)
        services.record_export(
            actor, fmt, chosen, len(ids), sha.hexdigest(), via="web", commit=True
        )

    response = Response(stream_with_context(generate()), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- packages ----------------------------------------------------------------------------------


@bp.route("/packages/new", methods=["GET", "POST"])
@require("send_package")
def package_new():
    """Send the agreed recommendations matching the filters to a ministry."""
    form = PackageForm()
    ministries = packages.ministries()
    form.organisation.choices = [(m.id, m.name) for m in ministries]
    source = request.form if request.method == "POST" else request.args
    args = {k: source.get(k) for k in ("area", "category", "q") if source.get(k)}
    chosen = _selection_or_400(args)
    chosen.filters.status = "agreed"
    ids = records.ordered_ids(chosen.query())
    fingerprint = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:32]
    status = 200
    submitted = form.validate_on_submit()
    # Before the selection check: a repeat would find the selection already sent.
    if submitted and (earlier := once.claim(form)):
        return once.back_to(earlier)
    if submitted and form.selection.data != fingerprint:
        flash(
            _(
                "The selection changed since you looked at it (a recommendation was agreed, "
                "sent or re-opened). Check the list below and send again."
            ),
            "error",
        )
        form.selection.data = fingerprint
        status = 409
    elif submitted:
        organisation = next(m for m in ministries if m.id == form.organisation.data)
        try:
            package = packages.send(
                current_user,
                chosen,
                organisation=organisation,
                title=form.title.data,
                cover_letter=form.cover_letter.data,
                include_materials=form.include_materials.data,
            )
        except packages.PackageError as error:
            flash(str(error), "error")
            status = 422
        else:
            page = url_for(".package_detail", package_id=package.id)
            once.done(form, page)
            flash(_("Package %(number)s was sent.", number=package.number), "success")
            return redirect(page, 303)
    else:
        status = 422 if request.method == "POST" else 200
        if request.method == "GET":
            form.area.data, form.category.data, form.q.data = (
                args.get("area"),
                args.get("category"),
                args.get("q"),
            )
            form.selection.data = fingerprint
    preview = list(records.iter_records(ids[:200])) if ids else []
    return render_template(
        "exports/package_new.html",
        form=form,
        ids=ids,
        preview=preview,
        selection_text=chosen.describe(),
        areas=problem_queries.problem_areas(),
        categories=problem_queries.categories(),
        args=args,
        no_ministry=not ministries,
    ), status


def _package_or_404(package_id: int, need: str = "view_packages"):
    package = packages.package_for_page(package_id)
    # Another ministry's package is not there at all for a reviewer: 404, not 403.
    if package is None or not can(current_user, "view_packages", package):
        abort(404)
    if not can(current_user, need, package):
        abort(403)
    return package


@bp.get("/packages/<int:package_id>")
@require("view_packages")
def package_detail(package_id):
    return _package_page(_package_or_404(package_id))


def _package_page(package, *, failed_form=None, failed_rec=None, note_form=None, status=200):
    """The package page; after a refused POST, with the sent form, its errors and text."""
    rec_ids = [item.recommendation_id for item in package.items]
    thread = can(current_user, "package_thread", package)
    answering = can(current_user, "answer", package)
    own = {}
    latest = packages.latest_package_of(rec_ids)
    if answering:
        own = {
            a.recommendation_id: a
            for a in db.session.scalars(
                db.select(MinistryAnswer).where(
                    MinistryAnswer.organisation_id == current_user.organisation_id,
                    MinistryAnswer.recommendation_id.in_(rec_ids),
                )
            )
        }
    forms = {}
    if answering:
        for item in package.items:
            rec_id = item.recommendation_id
            if latest.get(rec_id) != package.id or item.recommendation.status not in ANSWERABLE:
                continue  # sent again later, or re-opened: answered elsewhere or later
            if rec_id == failed_rec:
                forms[rec_id] = failed_form
                continue
            answer = own.get(rec_id)
            form = AnswerForm(prefix=f"a{rec_id}", formdata=None)
            if answer is not None:
                form.verdict.data = answer.staged_verdict or answer.verdict
                form.reasoning.data = answer.staged_reasoning or answer.reasoning
                form.version.data = answer.version
            forms[rec_id] = form
    statuses = visible_statuses(current_user)
    return render_template(
        "exports/package.html",
        package=package,
        files_progress=package_files.progress(package.id),
        notes=packages.notes_of(package.id) if thread else [],
        note_form=(note_form or NoteForm(formdata=None)) if thread else None,
        thread=thread,
        answering=answering,
        own=own,
        forms=forms,
        published=answers.published_for(rec_ids),
        staged_count=sum(1 for a in own.values() if a.has_staged),
        publish_form=Form(),
        annex=package_materials.materials_of(package.id),
        # A reviewer is not told the live status of a recommendation back in discussion.
        hidden_status=lambda status: statuses is not None and status not in statuses,
    ), status


@bp.get("/packages/<int:package_id>/files")
@require("view_packages")
def package_files_part(package_id):
    """The package's files, asked for by its page every two seconds while they are
    built: 204 (nothing to swap) while nothing changed since the page's last look."""
    package = package_files.package_with_files(package_id)
    if package is None or not can(current_user, "view_packages", package):
        abort(404)
    if not htmx or htmx.history_restore_request:
        return redirect(url_for(".package_detail", package_id=package.id) + "#package-files", 303)
    progress = package_files.progress(package.id)
    if request.args.get("seen") == progress["token"]:
        return "", 204
    return render_template(
        "exports/_package_files.html",
        package=package,
        files_progress=progress,
        # Said once, when the last file arrives while the person waits on the page.
        files_announce=_("The files are ready.") if not progress["building"] else None,
    )


@bp.get("/packages/<int:package_id>/files/<any(docx, pdf, xlsx, json, sha256):file_format>")
@require("view_packages")
def package_file(package_id, file_format):
    """A package's file exactly as it was sent (its hash is on the package page)."""
    package = _package_or_404(package_id)
    fmt = file_format
    stored = packages.package_file(package.id, fmt)
    if stored is None:
        abort(404)
    if stored.built_at is None:
        abort(409, description=_("This file is still being prepared. Try again in a moment."))
    services.record_export(
        current_user,
        fmt,
        selection.Selection(filters=selection.RecommendationFilters(), statuses=None),
        len(package.items),
        stored.sha256,
        via=f"package {package.number}",
        commit=True,
    )
    response = send_file(
        io.BytesIO(stored.content),
        mimetype=services.FORMATS[fmt][0] if fmt in services.FORMATS else "text/plain",
        as_attachment=True,
        download_name=stored.filename,
    )
    response.headers["X-Content-SHA256"] = stored.sha256
    return response


@bp.get("/packages/<int:package_id>/materials.zip")
@require("view_packages")
def package_materials_zip(package_id):
    """The package's annex: its recommendations' materials as sent, with the manifest,
    streamed as one ZIP."""
    package = _package_or_404(package_id)
    if not package_materials.materials_of(package.id):
        abort(404)
    audit.record(current_user, "package.materials_downloaded", package)
    db.session.commit()
    response = Response(
        stream_with_context(package_materials.zip_chunks(package)), mimetype="application/zip"
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="warsztat-package-{package.number}-materials.zip"'
    )
    return response


@bp.get("/packages/<int:package_id>/changes")
@require("view_packages")
def package_changes(package_id):
    """What changed in the package's recommendations since it was sent."""
    package = _package_or_404(package_id)

    changes, withheld = packages.changes_since(
        package, text_labels(), visible_statuses(current_user)
    )
    return render_template(
        "exports/changes.html", package=package, changes=changes, withheld=withheld
    )


@bp.post("/packages/<int:package_id>/notes")
@require("package_thread")
def package_note(package_id):
    package = _package_or_404(package_id, "package_thread")
    form = NoteForm()
    if form.validate_on_submit():
        try:
            packages.add_note(package, current_user, form.body.data)
        except packages.PackageError as error:
            form.body.errors.append(str(error))
        else:
            return redirect(
                url_for(".package_detail", package_id=package.id, _anchor="thread"), 303
            )
    return _package_page(package, note_form=form, status=422)


@bp.post("/packages/<int:package_id>/answers/<int:rec_id>")
@require("answer")
def stage_answer(package_id, rec_id):
    package = _package_or_404(package_id, "answer")
    item = next((i for i in package.items if i.recommendation_id == rec_id), None)
    if item is None:
        abort(404)
    if packages.latest_package_of([rec_id]).get(rec_id) != package.id:
        abort(409, _("This recommendation was sent again in a later package: answer it there."))
    form = AnswerForm(prefix=f"a{rec_id}")
    if not form.validate_on_submit():
        return _package_page(package, failed_form=form, failed_rec=rec_id, status=422)
    try:
        answers.stage(
            item.recommendation,
            current_user,
            verdict=form.verdict.data,
            reasoning=form.reasoning.data,
            package_id=package.id,
            version=form.version.data,
        )
    except answers.StaleAnswer as error:
        package = _package_or_404(package_id, "answer")  # the rollback expired it
        theirs = answers.answer_of(rec_id, current_user.organisation_id)
        form.reasoning.errors.append(str(error))
        if theirs is not None:
            # Their text is shown; sending again now replaces it knowingly.
            form.reasoning.errors.append(
                _("Their text: %(text)s", text=theirs.staged_reasoning or theirs.reasoning)
            )
            form.version.data = theirs.version
            form.version.raw_data = [str(theirs.version)]
        return _package_page(package, failed_form=form, failed_rec=rec_id, status=409)
    except RecommendationError as error:
        form.reasoning.errors.append(str(error))
        package = _package_or_404(package_id, "answer")
        return _package_page(package, failed_form=form, failed_rec=rec_id, status=422)
    flash(
        _("The answer to %(ref)s is staged. Publish when all are ready.", ref=item.reference),
        "success",
    )
    return redirect(
        url_for(".package_detail", package_id=package.id, _anchor=f"item-{rec_id}"), 303
    )


@bp.post("/packages/<int:package_id>/publish")
@require("answer")
def publish_answers(package_id):
    package = _package_or_404(package_id, "answer")
    if not Form().validate_on_submit():
        abort(400)
    try:
        latest = packages.latest_package_of([i.recommendation_id for i in package.items])
        count = answers.publish(
            current_user, [rec_id for rec_id, pid in latest.items() if pid == package.id]
        )
    except RecommendationError as error:
        flash(str(error), "error")
    else:
        flash(
            ngettext("%(num)d answer was published.", "%(num)d answers were published.", count),
            "success",
        )
    return redirect(url_for(".package_detail", package_id=package.id), 303)
