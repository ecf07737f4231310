"""Meetings: the list, one meeting's page, planning and cancelling."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.attachments import pages as attachment_pages
from app.auth import queries as account_queries
from app.forms import ToggleForm
from app.meetings import queries, searching, services
from app.meetings.forms import (
    AnswerForm,
    CancelForm,
    EditMeetingForm,
    GuestForm,
    InviteMemberForm,
    MeetingForm,
)
from app.meetings.pages import bp, get_meeting_or_404, meeting_fields, schedule, sectors, to_local
from app.meetings.rules import may_see_agenda
from app.permissions import can, is_staff, require
from app.problems import queries as problem_queries

# --- list and detail ----------------------------------------------------------------------


@bp.get("/")
@require("view_meeting")
def index():
    """Upcoming and past meetings, or those a search finds (``?q=``)."""
    q = request.args.get("q", "").strip()[:200]
    found = searching.matching(q) if q else None
    upcoming = queries.upcoming() if found is None else []
    past = queries.past() if found is None else []
    return render_template(
        "meetings/index.html",
        q=q,
        found=found,
        upcoming=upcoming,
        past=past,
        participant_counts=queries.participant_counts(upcoming + past + (found or [])),
    )


@bp.get("/<int:meeting_id>")
@require("view_meeting")
def detail(meeting_id):
    """One meeting: agenda by part, participants by sector, decisions, actions, minutes."""
    meeting = get_meeting_or_404(meeting_id)
    parts, overrun = schedule(meeting)
    minutes, revisions = queries.minutes_of(meeting.id)
    staff = is_staff(current_user)
    context = {
        "meeting": meeting,
        "parts": parts,
        "overrun": overrun,
        "breakdown": queries.sector_breakdown(meeting),
        "org_breakdown": queries.organisation_breakdown(meeting),
        "decisions": queries.decisions_of(meeting.id),
        "actions": queries.actions_of(meeting.id),
        "minutes": minutes,
        "minutes_text": revisions[0].body
        if revisions and (staff or minutes.published_at)
        else None,
        "my_invitation": queries.invitation_of(meeting.id, current_user.id),
        "answer_form": AnswerForm(),
        "toggle_form": ToggleForm(),
        "materials": attachment_pages.shown(meeting),
        "item_materials": attachment_pages.sections(meeting.agenda_items)
        if may_see_agenda(current_user, meeting)
        else {},
    }
    if staff and can(current_user, "manage_meeting", meeting):
        invited = {p.user_id for p in meeting.participants if p.user_id}
        context.update(
            invite_form=InviteMemberForm(
                people=[u for u in account_queries.active_people() if u.id not in invited]
            ),
            guest_form=GuestForm(
                organisations=account_queries.organisations(), sectors=sectors(), prefix="guest"
            ),
            cancel_form=CancelForm(),
        )
    return render_template("meetings/detail.html", **context)


# --- planning -----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@require("manage_meeting")
def new():
    """Plan a meeting."""
    form = MeetingForm()
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        subgroup = problem_queries.the_subgroup()
        try:
            meeting = services.create_meeting(current_user, subgroup.id, meeting_fields(form))
        except services.MeetingError as exc:
            form.ends_at.errors.append(str(exc))
        else:
            page = url_for("meetings.detail", meeting_id=meeting.id)
            once.done(form, page)
            flash(_("The meeting is planned. Add its agenda and invite participants."), "success")
            return redirect(page, code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=None), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@require("manage_meeting")
def edit(meeting_id):
    """Change the meeting's details; invitees' reminders follow a new time."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = EditMeetingForm(obj=meeting)
    if request.method == "GET":
        form.starts_at.data = to_local(meeting.starts_at)
        form.ends_at.data = to_local(meeting.ends_at)
        form.base_version.data = str(meeting.version)
    elif form.validate_on_submit():
        try:
            services.update_meeting(
                meeting,
                current_user,
                meeting_fields(form),
                expected_version=int(form.base_version.data),
            )
        except services.MeetingError as exc:
            form.title.errors.append(str(exc))
            return render_template("meetings/form.html", form=form, meeting=meeting), 409
        flash(_("The meeting has been saved."), "success")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("meetings/form.html", form=form, meeting=meeting), status


@bp.post("/<int:meeting_id>/cancel")
@require("manage_meeting")
def cancel(meeting_id):
    """Cancel a planned meeting, saying why."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = CancelForm()
    if not form.validate_on_submit():
        flash(_("Say why the meeting is cancelled: the invitees will read it."), "error")
        return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)
    try:
        services.cancel_meeting(meeting, current_user, form.reason.data)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The meeting has been cancelled."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id), code=303)
