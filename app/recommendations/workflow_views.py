"""Authors, the workflow and amendments: inviting co-authors, moving a recommendation
on, proposing and deciding amendments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.permissions import can, object_or_404, require
from app.recommendations import mentions, queries, services
from app.recommendations.forms import (
    AmendmentForm,
    CoauthorForm,
    InvitationAnswerForm,
    RejectAmendmentForm,
    StatusForm,
    ToggleForm,
)
from app.recommendations.pages import bp, get_recommendation_or_404, text_labels
from app.recommendations.views import detail_context, text_from
from app.text import diff_fields

# --- authors and workflow -----------------------------------------------------------------


@bp.post("/<int:rec_id>/coauthors")
@require("invite_coauthor")
def invite_coauthor(rec_id):
    """An author invites a member to co-author."""
    rec = get_recommendation_or_404(rec_id, "invite_coauthor")
    form = CoauthorForm()
    back = url_for("recommendations.detail", rec_id=rec.id, _anchor="authors")
    if not form.validate_on_submit():
        flash(_("Type the name or handle of the member to invite."), "error")
        return redirect(back, code=303)
    try:
        # Someone invited to Warsztat who has not joined yet can be invited here too.
        invitee = mentions.person_named(form.person.data, joined_only=False)
        services.invite_coauthor(rec, current_user, invitee)
    except (mentions.NotOnePerson, services.RecommendationError) as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(name)s has been invited as a co-author.", name=invitee.name), "success")
    return redirect(back, code=303)


@bp.post("/<int:rec_id>/coauthors/answer")
@require("view_recommendation")
def answer_coauthor_invitation(rec_id):
    """The invited member accepts or declines."""
    rec = get_recommendation_or_404(rec_id)
    form = InvitationAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.answer_coauthor_invitation(rec, current_user, form.answer.data == "accept")
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("You are now a co-author.")
            if form.answer.data == "accept"
            else _("You have declined the invitation."),
            "success",
        )
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)


@bp.post("/<int:rec_id>/status")
@require("transition")
def change_status(rec_id):
    """Move the recommendation through the workflow (the service checks the step)."""
    rec = get_recommendation_or_404(rec_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("The change of status was not understood; try again."), "error")
        return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)
    if not can(current_user, "transition", rec, target=form.target.data):
        abort(403)
    merged_into = None
    if form.target.data == "merged":
        merged_into = queries.recommendation_for_page(form.merged_into.data or 0)
    try:
        services.change_status(
            rec, current_user, form.target.data, note=form.note.data or "", merged_into=merged_into
        )
    except services.RecommendationError as exc:
        flash(str(exc), "error")
        return render_template(
            "recommendations/detail.html", **detail_context(rec, status_error=str(exc))
        ), 400
    flash(_("Status changed."), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id, _anchor="timeline"), code=303)


# --- amendments ---------------------------------------------------------------------------


@bp.route("/<int:rec_id>/amendments/new", methods=["GET", "POST"])
@require("amend")
def new_amendment(rec_id):
    """A member who is not an author proposes a change to the text."""
    rec = get_recommendation_or_404(rec_id, "amend")
    form = AmendmentForm(obj=rec)
    preview = None
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        try:
            amendment = services.propose_amendment(
                rec, current_user, text_from(form), form.justification.data
            )
        except services.RecommendationError as exc:
            form.title.errors.append(str(exc))
        else:
            page = url_for("recommendations.amendment", rec_id=rec.id, amendment_id=amendment.id)
            once.done(form, page)
            flash(_("Your amendment has been sent to the authors."), "success")
            return redirect(page, code=303)
    if request.method == "POST":
        preview = diff_fields(rec.text_snapshot(), text_from(form).as_dict(), text_labels())
    status = 400 if request.method == "POST" else 200
    return render_template(
        "recommendations/amendment_form.html", rec=rec, form=form, preview=preview
    ), status


def _get_amendment_or_404(rec, amendment_id, need: str | None = None):
    return object_or_404(queries.amendment_for_page(rec, amendment_id), need)


@bp.get("/<int:rec_id>/amendments/<int:amendment_id>")
@require("view_recommendation")
def amendment(rec_id, amendment_id):
    """An amendment shown as a diff against the text it was written for."""
    rec = get_recommendation_or_404(rec_id)
    return _amendment_page(rec, _get_amendment_or_404(rec, amendment_id))


def _amendment_page(rec, item, reject_form=None):
    return render_template(
        "recommendations/amendment.html",
        rec=rec,
        amendment=item,
        changes=diff_fields(
            item.base_revision.text_snapshot(), item.text_snapshot(), text_labels()
        ),
        reject_form=reject_form or RejectAmendmentForm(),
        accept_form=ToggleForm(),
    )


@bp.post("/<int:rec_id>/amendments/<int:amendment_id>/accept")
@require("decide_amendment")
def accept_amendment(rec_id, amendment_id):
    """An author accepts: the amendment becomes a revision crediting the amender."""
    rec = get_recommendation_or_404(rec_id)
    item = _get_amendment_or_404(rec, amendment_id, "decide_amendment")
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        revision = services.accept_amendment(item, current_user)
    except services.RecommendationError as exc:
        flash(str(exc), "error")
        return redirect(
            url_for("recommendations.amendment", rec_id=rec.id, amendment_id=item.id), code=303
        )
    flash(_("Amendment accepted; it is version %(n)s of the text.", n=revision.number), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)


@bp.post("/<int:rec_id>/amendments/<int:amendment_id>/reject")
@require("decide_amendment")
def reject_amendment(rec_id, amendment_id):
    """An author rejects, saying why."""
    rec = get_recommendation_or_404(rec_id)
    item = _get_amendment_or_404(rec, amendment_id, "decide_amendment")
    form = RejectAmendmentForm()
    if not form.validate_on_submit():
        return _amendment_page(rec, item, reject_form=form), 400
    services.reject_amendment(item, current_user, form.reason.data)
    flash(_("Amendment rejected; its author has been told why."), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)
