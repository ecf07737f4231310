"""Meetings: planning, agenda, participants, live facilitation, decisions, action items,
minutes and calendars."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import once
from app.auth import queries as account_queries
from app.auth.models import Sector
from app.database import utcnow
from app.extensions import db, htmx
from app.forms import ToggleForm, error_text
from app.meetings import queries, services
from app.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    AnswerForm,
    CancelForm,
    DecisionForm,
    EditMeetingForm,
    GuestForm,
    InviteMemberForm,
    MeetingForm,
    MinutesForm,
    NotesForm,
)
from app.meetings.minutes import compile_minutes
from app.meetings.rules import may_see_agenda
from app.permissions import can, is_staff, require
from app.problems import queries as problem_queries
from app.recommendations import queries as recommendation_queries

# The meeting page asks it of each viewer.
bp = Blueprint("meetings", __name__)

bp.add_app_template_global(may_see_agenda)

WARSAW = ZoneInfo("Europe/Warsaw")


def get_meeting_or_404(meeting_id: int, need: str | None = None):
    meeting = queries.meeting_with_details(meeting_id)
    if meeting is None:
        abort(404)
    if need and not can(current_user, need, meeting):
        abort(403)
    return meeting


def _to_utc(local):
    return local.replace(tzinfo=WARSAW).astimezone(ZoneInfo("UTC"))


def _to_local(moment):
    return moment.astimezone(WARSAW).replace(tzinfo=None)


def _fields(form) -> services.MeetingFields:
    return services.MeetingFields(
        title=form.title.data,
        starts_at=_to_utc(form.starts_at.data),
        ends_at=_to_utc(form.ends_at.data),
        mode=form.mode.data,
        place=form.place.data or "",
        link=form.link.data or "",
        description=form.description.data or "",
    )


def _schedule(meeting):
    """The agenda in running order with each item's planned start, cut into runs of the
    same part (so times, headings and live mode all follow one order); and whether the
    agenda overruns the meeting."""
    runs: list[tuple[int, list]] = []
    clock = meeting.starts_at
    for item in meeting.agenda_items:
        if not runs or runs[-1][0] != item.part:
            runs.append((item.part, []))
        runs[-1][1].append((item, clock))
        clock += timedelta(minutes=item.planned_minutes)
    return runs, clock > meeting.ends_at


# --- list and detail ----------------------------------------------------------------------


@bp.get("/")
@require("view_meeting")
def index():
    """Upcoming and past meetings."""
    upcoming = queries.upcoming()
    past = queries.past()
    return render_template(
        "meetings/index.html",
        upcoming=upcoming,
        past=past,
        participant_counts=queries.participant_counts(upcoming + past),
    )


@bp.get("/<int:meeting_id>")
@require("view_meeting")
def detail(meeting_id):
    """One meeting: agenda by part, participants by sector, decisions, actions, minutes."""
    meeting = get_meeting_or_404(meeting_id)
    parts, overrun = _schedule(meeting)
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
    }
    if staff and can(current_user, "manage_meeting", meeting):
        invited = {p.user_id for p in meeting.participants if p.user_id}
        context.update(
            invite_form=InviteMemberForm(
                people=[u for u in account_queries.active_people() if u.id not in invited]
            ),
            guest_form=GuestForm(
                organisations=account_queries.organisations(), sectors=_sectors(), prefix="guest"
            ),
            cancel_form=CancelForm(),
        )
    return render_template("meetings/detail.html", **context)


def _sectors():
    return list(db.session.scalars(select(Sector).order_by(Sector.position)))


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
            meeting = services.create_meeting(current_user, subgroup.id, _fields(form))
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
        form.starts_at.data = _to_local(meeting.starts_at)
        form.ends_at.data = _to_local(meeting.ends_at)
        form.base_version.data = str(meeting.version)
    elif form.validate_on_submit():
        try:
            services.update_meeting(
                meeting, current_user, _fields(form), expected_version=int(form.base_version.data)
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


# --- agenda -------------------------------------------------------------------------------


def _agenda_form(meeting, item=None):
    return AgendaItemForm(
        obj=item,
        people=account_queries.active_people(),
        organisations=account_queries.organisations(),
        sectors=_sectors(),
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
    parts, overrun = _schedule(meeting)
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
        )
    return redirect(url_for("meetings.detail", meeting_id=meeting_id, _anchor="agenda"), code=303)


def _get_item_or_404(meeting, item_id):
    item = queries.agenda_item(meeting, item_id)
    if item is None:
        abort(404)
    return item


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@require("manage_meeting")
def edit_agenda_item(meeting_id, item_id):
    """Change an agenda item."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = _get_item_or_404(meeting, item_id)
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
    item = _get_item_or_404(meeting, item_id)
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
    item = _get_item_or_404(meeting, item_id)
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
        organisations=account_queries.organisations(), sectors=_sectors(), prefix="guest"
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


# --- live facilitation --------------------------------------------------------------------


@bp.get("/<int:meeting_id>/live")
@require("view_meeting")
def live(meeting_id):
    """The facilitator's control room, or a read-only view that follows along."""
    meeting = get_meeting_or_404(meeting_id)
    if not may_see_agenda(current_user, meeting):
        abort(404)
    return render_template("meetings/live.html", **_live_context(meeting))


@bp.get("/<int:meeting_id>/live/state")
@require("view_meeting")
def live_state(meeting_id):
    """The part of the live page that changes; polled by participants' browsers."""
    meeting = get_meeting_or_404(meeting_id)
    if not may_see_agenda(current_user, meeting):
        abort(404)
    return render_template("meetings/_live_state.html", **_live_context(meeting))


def _live_context(meeting, **forms):
    running = services.current_item(meeting.id)
    controls = is_staff(current_user) and can(current_user, "manage_meeting", meeting)
    running_minutes = None
    if running and running.actual_start:
        running_minutes = int((utcnow() - running.actual_start).total_seconds() // 60)
    context = {
        "meeting": meeting,
        "running": running,
        "running_minutes": running_minutes,
        "decisions": queries.decisions_of(meeting.id),
        "actions": queries.actions_of(meeting.id),
        "controls": controls,
        "toggle_form": ToggleForm(),
        "poll_seconds": current_app.config["LIVE_POLL_SECONDS"],
    }
    if controls:
        context.update(
            notes_form=forms.get("notes_form") or NotesForm(notes=running.notes if running else ""),
            decision_form=forms.get("decision_form")
            or DecisionForm(
                areas=problem_queries.problem_areas(),
                categories=problem_queries.categories(),
                recommendations=recommendation_queries.in_discussion(),
            ),
            action_form=forms.get("action_form")
            or ActionItemForm(people=account_queries.active_people()),
        )
    return context


def _live_redirect(meeting):
    if htmx:
        return render_template(
            "meetings/_live_state.html", **_live_context(queries.meeting_with_details(meeting.id))
        )
    return redirect(url_for("meetings.live", meeting_id=meeting.id), code=303)


def _live_form_failed(meeting, **forms):
    """A live-mode form with errors: the fragment with the form and its errors (htmx), or
    the errors as a message on the live page."""
    if htmx:
        return render_template("meetings/_live_state.html", **_live_context(meeting, **forms)), 422
    form = next(iter(forms.values()))
    flash(error_text(form), "error")
    return redirect(url_for("meetings.live", meeting_id=meeting.id), code=303)


@bp.post("/<int:meeting_id>/live/<any(start, next, finish):step>")
@require("manage_meeting")
def live_step(meeting_id, step):
    """Start the meeting, move to the next item, or finish."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        {
            "start": services.start_meeting,
            "next": services.next_item,
            "finish": services.finish_meeting,
        }[step](meeting, current_user)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    return _live_redirect(meeting)


@bp.post("/<int:meeting_id>/live/items/<int:item_id>")
@require("manage_meeting")
def live_take_up(meeting_id, item_id):
    """Jump to a particular item."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = _get_item_or_404(meeting, item_id)
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        services.take_up_item(meeting, current_user, item)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    return _live_redirect(meeting)


@bp.post("/<int:meeting_id>/items/<int:item_id>/notes")
@require("manage_meeting")
def save_notes(meeting_id, item_id):
    """Notes on an agenda item (during the meeting or after)."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = _get_item_or_404(meeting, item_id)
    form = NotesForm()
    if not form.validate_on_submit():
        return render_template(
            "meetings/_live_state.html", **_live_context(meeting, notes_form=form)
        ), 422
    services.save_notes(item, current_user, form.notes.data or "")
    return _live_redirect(meeting)


@bp.post("/<int:meeting_id>/decisions")
@require("manage_meeting")
def record_decision(meeting_id):
    """Record a decision; it may create a challenge or a draft, or agree a recommendation."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = DecisionForm(
        areas=problem_queries.problem_areas(),
        categories=problem_queries.categories(),
        recommendations=recommendation_queries.in_discussion(),
    )
    if form.validate_on_submit():
        areas = {a.id: a for a in problem_queries.problem_areas()}
        categories = {c.id: c for c in problem_queries.categories()}
        item = services.current_item(meeting.id)
        target = (
            recommendation_queries.recommendation_for_page(form.recommendation_id.data)
            if form.recommendation_id.data
            else None
        )
        try:
            services.record_decision(
                meeting,
                current_user,
                text=form.text.data,
                kind=form.kind.data,
                item=item,
                area=areas.get(form.area_id.data),
                category=categories.get(form.category_id.data),
                recommendation=target,
            )
        except services.MeetingError as exc:
            form.text.errors.append(str(exc))
        else:
            return _live_redirect(meeting)
    return _live_form_failed(meeting, decision_form=form)


@bp.post("/<int:meeting_id>/actions")
@require("manage_meeting")
def add_action(meeting_id):
    """An action item with an owner and a due date."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    form = ActionItemForm(people=account_queries.active_people())
    if form.validate_on_submit():
        try:
            services.add_action_item(
                meeting,
                current_user,
                title=form.title.data,
                owner=account_queries.user_by_id(form.owner_id.data),
                due_on=form.due_on.data,
                item=services.current_item(meeting.id),
            )
        except services.MeetingError as exc:
            form.title.errors.append(str(exc))
        else:
            return _live_redirect(meeting)
    return _live_form_failed(meeting, action_form=form)


@bp.post("/actions/<int:action_id>/done")
@require("complete_action")
def action_done(action_id):
    """The owner (or a facilitator) marks an action item done, or open again."""
    action = queries.action(action_id)
    if action is None:
        abort(404)
    if not can(current_user, "complete_action", action):
        abort(403)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_action_done(action, current_user, form.wants_on)
    target = request.form.get("back") == "dashboard"
    return redirect(
        url_for("main.dashboard")
        if target
        else url_for("meetings.detail", meeting_id=action.meeting_id, _anchor="actions"),
        code=303,
    )


# --- minutes ------------------------------------------------------------------------------


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
@require("manage_meeting")
def minutes(meeting_id):
    """Write or correct the minutes; each save is a revision."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    current, revisions = queries.minutes_of(meeting.id)
    form = MinutesForm()
    if request.method == "GET":
        form.body.data = (
            revisions[0].body
            if revisions
            else compile_minutes(
                meeting, queries.decisions_of(meeting.id), queries.actions_of(meeting.id)
            )
        )
        form.base_version.data = str(current.version if current else 0)
    elif form.validate_on_submit():
        try:
            services.save_minutes(
                meeting,
                current_user,
                form.body.data,
                reason=form.reason.data or "",
                expected_version=int(form.base_version.data) if current else None,
            )
        except services.StaleMeeting as exc:
            form.body.errors.append(str(exc))
            current, revisions = queries.minutes_of(meeting.id)
            form.base_version.data = str(current.version)
            return render_template(
                "meetings/minutes.html",
                meeting=meeting,
                form=form,
                minutes=current,
                revisions=revisions,
            ), 409
        except services.MeetingError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("The minutes have been saved."), "success")
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "meetings/minutes.html",
        meeting=meeting,
        form=form,
        minutes=current,
        revisions=revisions,
        publish_form=ToggleForm(),
    ), status


@bp.post("/<int:meeting_id>/minutes/publish")
@require("manage_meeting")
def publish_minutes(meeting_id):
    """Publish the minutes to the participants; they are locked from then on."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        services.publish_minutes(meeting, current_user)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    else:
        flash(_("The minutes are published and mailed to those who attended."), "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id, _anchor="minutes"), code=303)
