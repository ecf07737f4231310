"""iCalendar (RFC 5545) for meetings: one meeting's file and each person's private feed."""

import secrets
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from app import audit
from app.attachments import queries as attachment_queries
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.forms import ToggleForm
from app.meetings import queries
from app.meetings.models import AgendaItem
from app.meetings.rules import may_see_agenda
from app.permissions import require

bp = Blueprint("calendar", __name__)
WARSAW = ZoneInfo("Europe/Warsaw")
STATUS = {
    "planned": "CONFIRMED",
    "in_progress": "CONFIRMED",
    "held": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def _materials(meetings, viewer) -> dict[int, list]:
    """The materials each meeting's event links to: the meeting's own, and its agenda
    items' where ``viewer`` sees the agenda; in three statements for any number."""
    found = {meeting.id: [] for meeting in meetings}
    if not meetings:
        return found
    for meeting_id, materials in attachment_queries.by_owner("meeting", found).items():
        found[meeting_id] += materials
    shown = [m.id for m in meetings if viewer is None or may_see_agenda(viewer, m)]
    items = dict(
        db.session.execute(
            select(AgendaItem.id, AgendaItem.meeting_id)
            .where(AgendaItem.meeting_id.in_(shown))
            .order_by(AgendaItem.meeting_id, AgendaItem.position)
        ).all()
    )
    for item_id, materials in attachment_queries.by_owner("agenda-item", items).items():
        found[items[item_id]] += materials
    return found


def build_calendar(meetings, *, name: str, viewer=None) -> bytes:
    """A VCALENDAR with one VEVENT per meeting, times in Europe/Warsaw with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Warsztat//KPM subgroup meetings//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    base = current_app.config["BASE_URL"].rstrip("/")
    materials = _materials(meetings, viewer)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@warsztat")
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts_at.astimezone(WARSAW))
        event.add("dtend", meeting.ends_at.astimezone(WARSAW))
        event.add("dtstamp", utcnow())
        event.add("sequence", meeting.version)
        event.add("status", STATUS.get(meeting.status, "CONFIRMED"))
        event.add("url", f"{base}/meetings/{meeting.id}")
        location = meeting.place or meeting.link
        if location:
            event.add("location", vText(location))
        description = meeting.description or ""
        if meeting.link:
            description = f"{description}\n\n{meeting.link}".strip()
        if meeting.status == "cancelled" and meeting.cancel_reason:
            description = f"{description}\n\n{meeting.cancel_reason}".strip()
        links = []
        for material in materials[meeting.id]:
            url = f"{base}/materials/{material.attachment.id}/file"
            event.add("attach", url, parameters={"FMTTYPE": material.current.content_type})
            links.append(f"- {material.attachment.title}: {url}")
        if links:
            description = "\n\n".join([description, _("Materials:") + "\n" + "\n".join(links)])
        if description.strip():
            event.add("description", description.strip())
        if viewer is not None:
            attendee = vCalAddress(f"mailto:{viewer.email}")
            attendee.params["cn"] = vText(viewer.name)
            event.add("attendee", attendee)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meetings/<int:meeting_id>.ics")
@require("view_meeting")
def meeting_ics(meeting_id):
    """One meeting as a calendar file."""
    meeting = queries.meeting_with_details(meeting_id)
    if meeting is None:
        abort(404)
    body = build_calendar([meeting], name=meeting.title, viewer=current_user)
    return _ics(body, f"warsztat-meeting-{meeting.id}.ics")


@bp.get("/calendar/<token>.ics")
def feed(token):
    """A person's private feed of the meetings they are invited to (no login: the secret
    token in the URL is the key; a new token revokes the old link)."""
    if not token or len(token) > 64:
        abort(404)
    user = db.session.scalar(
        select(User).where(User.calendar_token == token, User.active.is_(True))
    )
    if user is None:
        abort(404)
    meetings = queries.meetings_of_user(user.id)
    return _ics(build_calendar(meetings, name=_("Warsztat meetings"), viewer=user), "warsztat.ics")


@bp.post("/account/calendar")
@require("calendar_feed")
def renew_token():
    """Create the private feed address, or replace it (the old one stops working)."""
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if request.form.get("action") == "revoke":
        user.calendar_token = None
        flash(_("The calendar address has been switched off."), "success")
    else:
        user.calendar_token = secrets.token_urlsafe(32)
        flash(_("Your private calendar address is ready. Keep it to yourself."), "success")
    audit.record(user, "calendar.token_changed", user)
    db.session.commit()
    return redirect(url_for("account.settings", _anchor="calendar"), code=303)
