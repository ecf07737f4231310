"""Meetings: the list (upcoming and past) and one meeting's page."""

from datetime import timedelta

from flask import abort, render_template

from app.meetings import bp, queries
from app.permissions import require


@bp.get("/")
@require("view_workspace")
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
@require("view_workspace")
def detail(meeting_id):
    """One meeting: agenda by part and participants by sector."""
    meeting = queries.meeting_with_details(meeting_id)
    if meeting is None:
        abort(404)
    # Planned start of each item: the meeting's start plus the minutes before it.
    parts: dict[int, list] = {}
    clock = meeting.starts_at
    for item in meeting.agenda_items:
        parts.setdefault(item.part, []).append((item, clock))
        clock += timedelta(minutes=item.planned_minutes)
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        parts=parts,
        breakdown=queries.sector_breakdown(meeting),
    )
