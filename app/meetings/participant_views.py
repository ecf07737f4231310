"""Participants: invitations, guests, answers and attendance."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import queries as account_queries
from app.forms import ToggleForm, error_text
from app.meetings import queries, services
from app.meetings.forms import (
    AnswerForm,
    GuestForm,
    InviteMemberForm,
)
from app.meetings.pages import bp, get_meeting_or_404, sectors
from app.permissions import require

# --- participants -------------------------------------------------------------------------


@bp.post("/<int:meeting_id>/participants")
@require("manage_meeting")
def invite(meeting_id):
    """Invite a member in a role."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = InviteMemberForm(people=account_queries.active_people())
    if not form.validate_on_submit():
        flash(_("Choose a member from the list."), "error")
    else:
        person = account_queries.user_by_id(form.user_id.data)
        try:
            services.invite_member(meeting, current_user, person, form.role.data)
        except services.MeetingError as exc:
            flash(str(exc), "error")
        else:
            flash(_("%(name)s is invited.", name=person.name), "success")
    return redirect(
        url_for("meetings.detail", meeting_id=meeting.id, _anchor="participants"), code=303
    )


@bp.post("/<int:meeting_id>/guests")
@require("manage_meeting")
def add_guest(meeting_id):
    """Add a guest (a speaker or observer without an account)."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = GuestForm(
        organisations=account_queries.organisations(), sectors=sectors(), prefix="guest"
    )
    if not form.validate_on_submit():
        flash(
            _("A guest needs a name.") if not form.name.data else error_text(form),
            "error",
        )
    else:
        services.add_guest(
            meeting,
            current_user,
            name=form.name.data,
            organisation_id=form.organisation_id.data or None,
            sector_code=form.sector_code.data or None,
            role=form.role.data,
            email=form.email.data or "",
        )
        flash(_("%(name)s is added.", name=form.name.data), "success")
    return redirect(
        url_for("meetings.detail", meeting_id=meeting.id, _anchor="participants"), code=303
    )


@bp.post("/<int:meeting_id>/participants/<int:participant_id>/delete")
@require("manage_meeting")
def remove_participant(meeting_id, participant_id):
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    person = queries.participant(meeting, participant_id)
    if person is None:
        abort(404)
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.remove_participant(person, current_user)
    return redirect(
        url_for("meetings.detail", meeting_id=meeting.id, _anchor="participants"), code=303
    )


@bp.post("/<int:meeting_id>/answer")
@require("answer_meeting_invitation")
def answer(meeting_id):
    """An invited member says whether they will attend."""
    meeting = get_meeting_or_404(meeting_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.answer_invitation(meeting, current_user, form.answer.data)
    except services.MeetingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)
    flash(_("Thank you for your answer."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)


@bp.post("/<int:meeting_id>/attendance")
@require("manage_meeting")
def attendance(meeting_id):
    """Record who was present."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    if not ToggleForm().validate_on_submit():
        abort(400)
    known = {p.id for p in meeting.participants}
    present = {
        int(v)
        for v in request.form.getlist("present")
        if v.isascii() and v.isdecimal() and int(v) in known
    }
    services.record_attendance(meeting, current_user, present)
    flash(_("Attendance saved."), "success")
    return redirect(
        url_for("meetings.detail", meeting_id=meeting.id, _anchor="participants"), code=303
    )
