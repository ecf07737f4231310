"""The list of organisations, for admins and facilitators: add, correct, merge, delete."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import organisations as service
from app.admin.forms import MergeOrganisationForm, OrganisationForm
from app.admin.views import bp
from app.auth import queries
from app.auth.models import Organisation
from app.extensions import db
from app.forms import Form
from app.permissions import require


def _country_names() -> dict[str, str]:
    """Territory names in the reader's language, from CLDR (Babel)."""
    return get_locale().territories


def _fields(form: OrganisationForm) -> service.OrganisationFields:
    return service.OrganisationFields(
        name=form.name.data or "",
        sector_code=form.sector_code.data or "",
        name_en=form.name_en.data or "",
        short_name=form.short_name.data or "",
        country=form.country.data or "",
        website=form.website.data or "",
    )


def _get_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.get("/organisations")
@require("manage_organisations")
def organisations():
    """Every organisation with its country, sector and how many people belong to it."""
    return render_template(
        "admin/organisations.html",
        organisations=queries.organisations(),
        members=queries.members_by_organisation(),
        country_names=_country_names(),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@require("manage_organisations")
def new_organisation():
    form = OrganisationForm(queries.sectors(), _country_names())
    if form.validate_on_submit():
        try:
            organisation = service.create_organisation(current_user, _fields(form))
        except service.OrganisationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("%(name)s is on the list.", name=organisation.name), "success")
            return redirect(url_for("admin.organisations"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/organisation.html", form=form, organisation=None), status


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@require("manage_organisations")
def organisation(organisation_id):
    record = _get_or_404(organisation_id)
    form = OrganisationForm(queries.sectors(), _country_names(), obj=record)
    if request.method == "GET":
        form.country.data = record.country or ""
    if form.validate_on_submit():
        try:
            service.update_organisation(record, current_user, _fields(form))
        except service.OrganisationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("admin.organisations"), code=303)
    status = 400 if request.method == "POST" else 200
    return _page(record, form), status


def _page(record: Organisation, form: OrganisationForm, merge_form=None, problem: str = ""):
    others = [o for o in queries.organisations() if o.id != record.id]
    return render_template(
        "admin/organisation.html",
        form=form,
        organisation=record,
        uses=service.uses_of(record.id),
        merge_form=merge_form or MergeOrganisationForm(others),
        problem=problem,
    )


@bp.post("/organisations/<int:organisation_id>/merge")
@require("manage_organisations")
def merge_organisation(organisation_id):
    record = _get_or_404(organisation_id)
    others = [o for o in queries.organisations() if o.id != record.id]
    form = MergeOrganisationForm(others)
    problem = ""
    if form.validate_on_submit():
        target = _get_or_404(form.target_id.data)
        name = record.name
        try:
            service.merge_organisations(record, target, current_user)
        except service.OrganisationError as exc:
            problem = str(exc)
        else:
            flash(_("%(old)s is merged into %(new)s.", old=name, new=target.name), "success")
            return redirect(url_for("admin.organisations"), code=303)
    edit = OrganisationForm(queries.sectors(), _country_names(), obj=record, formdata=None)
    return _page(record, edit, merge_form=form, problem=problem), 400


@bp.post("/organisations/<int:organisation_id>/delete")
@require("manage_organisations")
def delete_organisation(organisation_id):
    record = _get_or_404(organisation_id)
    form = Form()
    problem = ""
    if form.validate_on_submit():
        name = record.name
        try:
            service.delete_organisation(record, current_user)
        except service.OrganisationError as exc:
            problem = str(exc)
        else:
            flash(_("%(name)s is deleted.", name=name), "success")
            return redirect(url_for("admin.organisations"), code=303)
    edit = OrganisationForm(queries.sectors(), _country_names(), obj=record, formdata=None)
    return _page(record, edit, problem=problem or _("The form has expired; try again.")), 409
