"""What the meeting pages share: the blueprint, finding a meeting, Warsaw time on
forms, and the agenda's running order."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort
from sqlalchemy import select

from app.auth.models import Sector
from app.extensions import db
from app.meetings import queries, services
from app.meetings.rules import may_see_agenda
from app.permissions import object_or_404

bp = Blueprint("meetings", __name__)
# The meeting page asks it of each viewer.
bp.add_app_template_global(may_see_agenda)

WARSAW = ZoneInfo("Europe/Warsaw")


def get_meeting_or_404(meeting_id: int, need: str | None = None):
    return object_or_404(queries.meeting_with_details(meeting_id), need)


def to_utc(local):
    return local.replace(tzinfo=WARSAW).astimezone(ZoneInfo("UTC"))


def to_local(moment):
    return moment.astimezone(WARSAW).replace(tzinfo=None)


def meeting_fields(form) -> services.MeetingFields:
    return services.MeetingFields(
        title=form.title.data,
        starts_at=to_utc(form.starts_at.data),
        ends_at=to_utc(form.ends_at.data),
        mode=form.mode.data,
        place=form.place.data or "",
        link=form.link.data or "",
        description=form.description.data or "",
        language=form.language.data,
    )


def schedule(meeting):
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


def sectors():
    return list(db.session.scalars(select(Sector).order_by(Sector.position)))


def get_item_or_404(meeting, item_id):
    item = queries.agenda_item(meeting, item_id)
    if item is None:
        abort(404)
    return item
