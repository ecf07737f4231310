"""Live facilitation: moving through the agenda, notes, decisions and action items."""

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.attachments import queries as attachment_queries
from app.auth import queries as account_queries
from app.database import utcnow
from app.extensions import htmx
from app.forms import ToggleForm, error_text
from app.meetings import queries, services
from app.meetings.forms import (
    ActionItemForm,
    DecisionForm,
    NotesForm,
)
from app.meetings.pages import bp, get_item_or_404, get_meeting_or_404
from app.meetings.rules import may_see_agenda
from app.permissions import can, is_staff, require
from app.problems import queries as problem_queries
from app.recommendations import queries as recommendation_queries

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
        "item_materials": attachment_queries.by_owner(
            "agenda-item", [item.id for item in meeting.agenda_items]
        ),
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


def _state_after_step(meeting, *, status_changed: bool = False):
    """The state region after a step (htmx): it says where the meeting is now, moves the
    focus to the new current item, and brings the notes box of that item along."""
    if htmx:
        meeting = queries.meeting_with_details(meeting.id)
        return render_template(
            "meetings/_live_state.html",
            **_live_context(meeting),
            moved=True,
            status_changed=status_changed,
        )
    return redirect(url_for("meetings.live", meeting_id=meeting.id), code=303)


def _back_to_live(meeting):
    return redirect(url_for("meetings.live", meeting_id=meeting.id), code=303)


def _form_failed(meeting, template: str, target: str, **forms):
    """A live form with errors: the form again with its errors and the values sent, put
    back in its own place (htmx), or the errors as a message on the live page."""
    if htmx:
        response = make_response(render_template(template, **_live_context(meeting, **forms)), 422)
        response.headers["HX-Retarget"] = target
        # Morphed, the form stays the same element: a send of it still waiting in the
        # queue goes out (htmx drops requests of elements no longer on the page).
        response.headers["HX-Reswap"] = "morph:outerHTML"
        return response
    form = next(iter(forms.values()))
    flash(error_text(form), "error")
    return _back_to_live(meeting)


def _recorded(meeting, list_template: str, announce: str, **lists):
    """After a decision or an action item: only its list, saying what was added (htmx),
    so the form beside it, perhaps already holding the next one, stays as it is."""
    if not htmx:
        return _back_to_live(meeting)
    return render_template(list_template, meeting=meeting, announce=announce, **lists)


def _notes_still_current(item) -> bool:
    """Whether the notes box that was sent is for ``item`` and shows its notes as they
    are now (no one moved the meeting on, or saved other notes, meanwhile)."""
    return (
        item is not None
        and request.form.get("notes_item") == str(item.id)
        and request.form.get("notes_base", "") == (item.notes or "")
    )


def _save_pending_notes(meeting) -> None:
    """Notes typed for the current item and not saved yet come along with a step (the
    notes box is sent with it) and are kept before the meeting moves on, unless the box
    is out of date: then they are shown back in a message, never written over others'."""
    if "notes" not in request.form:
        return
    form = NotesForm()
    if not form.validate():
        return
    text = form.notes.data or ""
    if text == request.form.get("notes_base", ""):
        return  # nothing typed since the box was shown
    item = services.current_item(meeting.id)
    if _notes_still_current(item):
        services.save_notes(item, current_user, text)
    else:
        flash(
            _(
                "Your notes were not saved: the meeting moved on or someone changed the "
                "notes meanwhile. What you typed: %(text)s",
                text=text[:2000],
            ),
            "error",
        )


@bp.post("/<int:meeting_id>/live/<any(start, next, finish):step>")
@require("manage_meeting")
def live_step(meeting_id, step):
    """Start the meeting, move to the next item, or finish."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    if not ToggleForm().validate_on_submit():
        abort(400)
    _save_pending_notes(meeting)
    try:
        {
            "start": services.start_meeting,
            "next": services.next_item,
            "finish": services.finish_meeting,
        }[step](meeting, current_user)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    return _state_after_step(meeting, status_changed=step != "next")


@bp.post("/<int:meeting_id>/live/items/<int:item_id>")
@require("manage_meeting")
def live_take_up(meeting_id, item_id):
    """Jump to a particular item."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = get_item_or_404(meeting, item_id)
    if not ToggleForm().validate_on_submit():
        abort(400)
    _save_pending_notes(meeting)
    try:
        services.take_up_item(meeting, current_user, item)
    except services.MeetingError as exc:
        flash(str(exc), "error")
    return _state_after_step(meeting)


@bp.post("/<int:meeting_id>/items/<int:item_id>/notes")
@require("manage_meeting")
def save_notes(meeting_id, item_id):
    """Notes on an agenda item (during the meeting or after)."""
    meeting = get_meeting_or_404(meeting_id, "manage_meeting")
    item = get_item_or_404(meeting, item_id)
    form = NotesForm()
    valid = form.validate_on_submit()
    if valid and request.form.get("notes_base", item.notes or "") != (item.notes or ""):
        # Shown back with theirs in the box's place; saving again means "mine over it".
        form.notes.errors.append(
            _(
                "Someone saved other notes for this item meanwhile. Yours are kept below: "
                "save them again to replace theirs."
            )
        )
        valid = False
    if not valid:
        return _form_failed(meeting, "meetings/_live_notes.html", "#live-notes", notes_form=form)
    services.save_notes(item, current_user, form.notes.data or "")
    if htmx:
        return render_template(
            "meetings/_live_notes_saved.html", saved_at=utcnow(), saved_text=item.notes or ""
        )
    return _back_to_live(meeting)


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
            # The failed decision was rolled back whole: read the meeting afresh.
            meeting = get_meeting_or_404(meeting_id)
        else:
            return _recorded(
                meeting,
                "meetings/_live_decision_list.html",
                _("Decision recorded: %(text)s", text=form.text.data.strip()[:80]),
                decisions=queries.decisions_of(meeting.id),
            )
    return _form_failed(
        meeting, "meetings/_live_decision_form.html", "#decision-form", decision_form=form
    )


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
            return _recorded(
                meeting,
                "meetings/_live_action_list.html",
                _("Action item added: %(title)s", title=form.title.data.strip()[:80]),
                actions=queries.actions_of(meeting.id),
            )
    return _form_failed(
        meeting, "meetings/_live_action_form.html", "#action-form", action_form=form
    )


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
