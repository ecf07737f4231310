"""The agenda: items with speakers and links, their order, publishing."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.attachments import pages as attachment_pages
from app.auth import queries as account_queries
from app.extensions import htmx
from app.forms import ToggleForm
from app.meetings import queries, services
from app.meetings.forms import (
    AgendaItemForm,
)
from app.meetings.pages import bp, get_item_or_404, get_meeting_or_404, schedule, sectors
from app.permissions import require
from app.problems import queries as problem_queries
from app.recommendations import queries as recommendation_queries

# --- agenda -------------------------------------------------------------------------------


def _agenda_form(meeting, item=None):
    return AgendaItemForm(
        obj=item,
        people=account_queries.active_people(),
        organisations=account_queries.organisations(),
        sectors=sectors(),
        areas=problem_queries.problem_areas(),
        challenges=problem_queries.all_challenges(),
        recommendations=_open_recommendations(),
    )


def _open_recommendations():
    return recommendation_queries.open_for_linking()


def _agenda_fields(form) -> services.AgendaFields:
    return services.AgendaFields(
        title=form.title.data,
        kind=form.kind.data,
        part=form.part.data,
        planned_minutes=form.planned_minutes.data,
        speaker_user_id=form.speaker_user_id.data or None,
        speaker_name=form.speaker_name.data or "",
        speaker_organisation_id=form.speaker_organisation_id.data or None,
        speaker_sector_code=form.speaker_sector_code.data or None,
        problem_area_ids=tuple(form.problem_area_ids.data or ()),
        challenge_ids=tuple(form.challenge_ids.data or ()),
        recommendation_ids=tuple(form.recommendation_ids.data or ()),
    )


@bp.route("/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@require("manage_meeting")
def new_agenda_item(meeting_id):
    """Add an item to the agenda."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = _agenda_form(meeting)
    if form.validate_on_submit():
        if once.claim(form):
            return _after_agenda_change(meeting.id)  # a repeat: the agenda as it is
        try:
            services.add_agenda_item(meeting, current_user, _agenda_fields(form))
        except services.MeetingError as exc:
            form.speaker_name.errors.append(str(exc))
        else:
            once.done(form, url_for("meetings.detail", meeting_id=meeting.id, _anchor="agenda"))
            return _after_agenda_change(meeting.id)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "meetings/agenda_form.html", form=form, meeting=meeting, item=None
    ), status


def _after_agenda_change(meeting_id: int):
    meeting = queries.meeting_with_details(meeting_id)
    parts, overrun = schedule(meeting)
    if overrun:
        flash(
            _("The agenda is longer than the meeting. Shorten an item or extend the meeting."),
            "info",
        )
    if htmx:
        return render_template(
            "meetings/_agenda.html",
            meeting=meeting,
            parts=parts,
            overrun=overrun,
            toggle_form=ToggleForm(),
            item_materials=attachment_pages.sections(meeting.agenda_items),
        )
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="agenda"), code=303)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@require("manage_meeting")
def edit_agenda_item(meeting_id, item_id):
    """Change an agenda item."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = get_item_or_404(meeting, item_id)
    form = _agenda_form(meeting, item)
    if request.method == "GET":
        form.speaker_user_id.data = item.speaker_user_id or 0
        form.speaker_organisation_id.data = item.speaker_organisation_id or 0
        form.speaker_sector_code.data = item.speaker_sector_code or ""
        form.problem_area_ids.data = [a.id for a in _linked(item, "problem_areas")]
        form.challenge_ids.data = [c.id for c in _linked(item, "challenges")]
        form.recommendation_ids.data = [r.id for r in _linked(item, "recommendations")]
    elif form.validate_on_submit():
        try:
            services.update_agenda_item(item, current_user, _agenda_fields(form))
        except services.MeetingError as exc:
            form.speaker_name.errors.append(str(exc))
        else:
            return _after_agenda_change(meeting.id)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "meetings/agenda_form.html", form=form, meeting=meeting, item=item
    ), status


def _linked(item, name):
    full = next(
        (i for i in queries.meeting_with_details(item.meeting_id).agenda_items if i.id == item.id),
        None,
    )
    return getattr(full, name) if full is not None else []


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/move")
@require("manage_meeting")
def move_agenda_item(meeting_id, item_id):
    """Move an item up or down (htmx swaps the agenda in place)."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = get_item_or_404(meeting, item_id)
    form = ToggleForm()
    if not form.validate_on_submit() or request.form.get("direction") not in ("up", "down"):
        abort(400)
    services.move_agenda_item(item, current_user, -1 if request.form["direction"] == "up" else 1)
    return _after_agenda_change(meeting.id)


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/delete")
@require("manage_meeting")
def delete_agenda_item(meeting_id, item_id):
    """Remove an item that has not been taken up."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = get_item_or_404(meeting, item_id)
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        services.remove_agenda_item(item, current_user)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    return _after_agenda_change(meeting.id)


@bp.post("/<int:meeting_id>/agenda/publish")
@require("manage_meeting")
def publish_agenda(meeting_id):
    """Show the agenda to everyone."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.publish_agenda(meeting, current_user)
    flash(_("The agenda is published."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor="agenda"), code=303)
