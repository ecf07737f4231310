"""Minutes: compiled from the live record, saved as versions, published and locked."""

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
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import pdf
from app.attachments import queries as attachment_queries
from app.forms import ToggleForm, number_among, versions_to_compare
from app.meetings import queries, services
from app.meetings.forms import (
    MinutesForm,
)
from app.meetings.minutes import compile_minutes
from app.meetings.pages import bp, get_meeting_or_404
from app.permissions import is_staff, require
from app.text import diff_fields

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
                meeting,
                queries.decisions_of(meeting.id),
                queries.actions_of(meeting.id),
                {
                    item_id: [m.attachment.title for m in found]
                    for item_id, found in attachment_queries.by_owner(
                        "agenda-item", [item.id for item in meeting.agenda_items]
                    ).items()
                },
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
            return _minutes_page(meeting, form, current, revisions), 409
        except services.MeetingError as exc:
            form.reason.errors.append(str(exc))
        else:
            flash(_("The minutes have been saved."), "success")
            return redirect(url_for("meetings.minutes", meeting_id=meeting.id), code=303)
    status = 400 if request.method == "POST" else 200
    return _minutes_page(meeting, form, current, revisions), status


def _minutes_page(meeting, form, minutes, revisions):
    return render_template(
        "meetings/minutes.html", meeting=meeting, form=form, minutes=minutes, revisions=revisions
    )


@bp.get("/<int:meeting_id>/minutes/history")
@require("view_meeting")
def minutes_history(meeting_id):
    """Versions of the minutes: open any (``?version=2``) or compare two
    (``?from=1&to=3``). Facilitators see every draft; others, once the minutes are
    published, the published text and the corrections made after it."""
    meeting = get_meeting_or_404(meeting_id, "view_meeting")
    minutes, revisions = queries.minutes_of(meeting.id)
    if not is_staff(current_user):
        revisions = _published_onward(minutes, revisions)
    if not revisions:
        abort(404)
    by_number = {r.number: r for r in revisions}
    shown = number_among(request.args.get("version"), by_number)
    chosen_from, chosen_to = versions_to_compare(request.args, list(by_number))
    comparison = None
    if shown is None and chosen_from is not None and chosen_from != chosen_to:
        label = _("Minutes")
        comparison = diff_fields(
            {"body": by_number[chosen_from].body},
            {"body": by_number[chosen_to].body},
            [("body", label)],
        )
    return render_template(
        "meetings/minutes_history.html",
        meeting=meeting,
        minutes=minutes,
        revisions=revisions,
        shown=by_number.get(shown),
        chosen_from=chosen_from,
        chosen_to=chosen_to,
        comparison=comparison,
    )


def _published_onward(minutes, revisions):
    """The version that was published and those saved after it (newest first)."""
    if minutes is None or minutes.published_at is None:
        return []
    published = [r for r in revisions if r.created_at <= minutes.published_at]
    first = published[0].number if published else revisions[-1].number
    return [r for r in revisions if r.number >= first]


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


@bp.get("/<int:meeting_id>/minutes.pdf")
@require("view_meeting")
def minutes_pdf(meeting_id):
    """The published minutes as PDF/A, in the meeting's language, with the materials
    presented at each agenda item."""
    meeting = get_meeting_or_404(meeting_id, "view_meeting")
    minutes, revisions = queries.minutes_of(meeting.id)
    revisions = _published_onward(minutes, revisions)
    if not revisions:
        abort(404)
    items = [item.id for item in meeting.agenda_items]
    presented = attachment_queries.by_owner("agenda-item", items)
    with force_locale(meeting.language or "pl"):
        html = render_template(
            "pdf/minutes.html",
            meeting=meeting,
            minutes=minutes,
            text=revisions[0].body,
            presented=[
                (item, presented[item.id]) for item in meeting.agenda_items if presented[item.id]
            ],
            author=pdf.AUTHOR,
            base=current_app.config["BASE_URL"].rstrip("/"),
        )
    response = make_response(pdf.render(html))
    response.mimetype = pdf.CONTENT_TYPE
    response.headers["Content-Disposition"] = (
        f'attachment; filename="warsztat-minutes-{meeting.id}.pdf"'
    )
    return response
