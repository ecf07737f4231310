"""Materials' pages: the materials of one object (the section its page includes, or a
page of its own without scripts), adding files, new versions, removal and downloads."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import filestore
from app.attachments import kinds, owners, pages, queries, services
from app.attachments.forms import RemoveForm, ReplaceForm
from app.attachments.models import AttachmentFile
from app.extensions import htmx
from app.permissions import can
from app.security import large_body

bp = Blueprint("materials", __name__)

#: Downloads are never shown inside Warsztat's origin: no script, no plug-in, no form.
DOWNLOAD_POLICY = "default-src 'none'; sandbox"


def _owner_or_404(kind: str, owner_id: int, need: str = "view"):
    obj = owners.load(kind, owner_id)
    if obj is None:
        abort(404)
    rules = owners.of(obj)
    if not rules.may_see(current_user, obj):
        abort(404)
    if need == "attach" and not can(current_user, "attach", obj):
        abort(403)
    return obj


def _attachment_or_404(attachment_id: int, need: str = "view_attachment"):
    attachment = queries.attachment_with_files(attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        abort(404)
    obj = owners.load(attachment.owner_type, attachment.owner_id)
    if obj is None or not can(current_user, "view_attachment", attachment, owner=obj):
        abort(404)
    if need != "view_attachment" and not can(current_user, need, attachment, owner=obj):
        abort(403)
    return attachment, obj


@bp.record_once
def _template_globals(state) -> None:
    # The section is included by other features' pages, which know nothing of kinds.
    state.app.jinja_env.globals["material_kinds"] = {k.mime: k.label for k in kinds.KINDS}


def _section_response(obj, status: int = 200, form=None, **context):
    """The section for htmx, else the materials page of the object."""
    rules = owners.of(obj)
    fragment = htmx and not htmx.history_restore_request
    return render_template(
        "attachments/_section.html" if fragment else "attachments/page.html",
        section=pages.section(obj, form),
        owner_name=rules.name(obj),
        owner_page=rules.page(obj),
        **context,
    ), status


def _back_to_page(obj, message: str):
    if htmx:
        return _section_response(obj, announce=message)
    flash(message, "success")
    rules = owners.of(obj)
    return redirect(f"{rules.page(obj)}#{pages.anchor(rules.kind, obj.id)}", code=303)


@bp.get("/<owner_kind>/<int:owner_id>")
@login_required
def section(owner_kind, owner_id):
    """The materials of one object, with the form to add more."""
    obj = _owner_or_404(owner_kind, owner_id)
    return _section_response(obj)


@bp.post("/<owner_kind>/<int:owner_id>")
@login_required
@large_body("MATERIALS_MAX_REQUEST_MB")
def upload(owner_kind, owner_id):
    """Attach one or several files to an object."""
    obj = _owner_or_404(owner_kind, owner_id, need="attach")
    form = pages.upload_form(owner_kind, owner_id)
    if not form.validate_on_submit():
        return _section_response(obj, 422, form)
    uploads = [
        services.Upload(storage.filename or "", storage.stream)
        for storage in request.files.getlist(form.files.name)
        if storage.filename or storage.content_length
    ]
    try:
        created = services.attach(
            obj,
            current_user,
            uploads,
            (form.title.data or "").strip(),
            (form.description.data or "").strip(),
        )
    except services.UploadRefused as refusal:
        form.files.errors = [
            f"{name}: {reason}" if name else reason for name, reason in refusal.problems
        ]
        return _section_response(obj, 422, form)
    return _back_to_page(
        obj,
        _("The file is attached.")
        if len(created) == 1
        else _("%(num)s files are attached.", num=len(created)),
    )


@bp.get("/<int:attachment_id>/file")
@login_required
def download(attachment_id):
    """The current version of a material's file."""
    attachment, _obj = _attachment_or_404(attachment_id)
    return _send(attachment.files[-1])


@bp.get("/<int:attachment_id>/versions/<int:number>")
@login_required
def download_version(attachment_id, number):
    """One version of a material's file."""
    attachment, _obj = _attachment_or_404(attachment_id)
    chosen = next((f for f in attachment.files if f.number == number), None)
    if chosen is None:
        abort(404)
    return _send(chosen)


@bp.post("/<int:attachment_id>/replace")
@login_required
@large_body("MATERIALS_MAX_REQUEST_MB")
def replace(attachment_id):
    """Upload a new version of a material's file; the earlier versions stay."""
    attachment, obj = _attachment_or_404(attachment_id, need="replace_attachment")
    form = ReplaceForm()
    storage = request.files.get(form.file.name)
    if not form.validate_on_submit() or storage is None or not storage.filename:
        return _section_response(
            obj, 422, problems=[(attachment.title, _("Choose the file of the new version."))]
        )
    try:
        services.replace(
            attachment,
            current_user,
            services.Upload(storage.filename, storage.stream),
            int(form.base_version.data),
        )
    except services.UploadRefused as refusal:
        return _section_response(obj, 422, problems=refusal.problems)
    except services.StaleVersion:
        return _section_response(
            obj,
            409,
            problems=[
                (
                    attachment.title,
                    _(
                        "Someone uploaded a new version while you were choosing yours, so "
                        "yours was not saved. Look at theirs, then upload yours again if it "
                        "is still needed."
                    ),
                )
            ],
        )
    return _back_to_page(obj, _("The new version of “%(title)s” is saved.", title=attachment.title))


@bp.post("/<int:attachment_id>/remove")
@login_required
def remove(attachment_id):
    """Take a material off its object (by the person who uploaded it, or a facilitator)."""
    attachment, obj = _attachment_or_404(attachment_id, need="remove_attachment")
    if not RemoveForm().validate_on_submit():
        abort(400)
    services.remove(attachment, current_user)
    return _back_to_page(obj, _("“%(title)s” is removed.", title=attachment.title))


def _send(file: AttachmentFile):
    path = filestore.store().path(file.sha256)
    if not path.exists():
        current_app.logger.error("Material file %s (%s) is missing", file.id, file.sha256)
        abort(410, _("The file is missing from the server's store; please tell an administrator."))
    response = send_file(
        path,
        mimetype=file.content_type,
        as_attachment=True,
        download_name=file.filename,
        etag=file.sha256,
        conditional=True,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
