"""The first draft of a meeting's minutes, compiled from what was recorded in live mode.

The draft becomes a document that facilitators edit and publish, so it is written in the
meeting's language, whoever opens the editor first."""

from flask_babel import force_locale, format_date, format_datetime, format_time
from flask_babel import gettext as _

from app.i18n import localized


def compile_minutes(meeting, decisions, actions, materials=None) -> str:
    """Markdown: when and who, then each agenda item with its notes and the titles of
    its materials (``materials``: item id -> titles), then decisions and action items,
    in the meeting's language. Facilitators edit it before publishing."""
    with force_locale(meeting.language or "pl"):
        return _compiled(meeting, decisions, actions, materials or {})


def _heading(text: str) -> list[str]:
    return ["## " + text, ""]


def _compiled(meeting, decisions, actions, materials) -> str:
    lines = [f"# {meeting.title}", ""]
    lines.append(
        _(
            "Date: %(when)s, %(start)s–%(end)s",
            when=format_date(meeting.starts_at, "full"),
            start=format_time(meeting.starts_at, "short"),
            end=format_time(meeting.ends_at, "short"),
        )
    )
    if meeting.started_at:
        lines.append(_("Actual start: %(when)s", when=format_datetime(meeting.started_at, "short")))
    lines.append("")
    present = [p for p in meeting.participants if p.attended]
    if present:
        lines += _heading(_("Attendees"))
        for p in present:
            who = (
                p.user.name
                if p.user
                else (p.name or (p.organisation.name if p.organisation else ""))
            )
            org = p.organisation.name if p.organisation and (p.user or p.name) else ""
            lines.append(f"- {who}" + (f" ({org})" if org else ""))
        lines.append("")
    lines += _heading(_("Agenda and notes"))
    for item in meeting.agenda_items:
        lines.append(f"### {item.position}. {item.title}")
        speaker = item.speaker_user.name if item.speaker_user else item.speaker_name
        if speaker:
            lines.append(f"*{speaker}*")
        if item.notes:
            lines += ["", item.notes]
        if materials.get(item.id):
            lines += ["", _("Materials: %(titles)s", titles="; ".join(materials[item.id]))]
        lines.append("")
    if decisions:
        lines += _heading(_("Decisions"))
        for decision in decisions:
            extra = ""
            if decision.recommendation is not None:
                extra = f" ({decision.recommendation.reference})"
            lines.append(f"- {decision.text}{extra}")
        lines.append("")
    if actions:
        lines += _heading(_("Action items"))
        for action in actions:
            line = f"- {action.title} — {action.owner.name}"
            if action.due_on:
                line += ", " + _("due %(date)s", date=format_date(action.due_on, "medium"))
            lines.append(line)
        lines.append("")
    areas = sorted(
        {a for i in meeting.agenda_items for a in i.problem_areas}, key=lambda a: a.position
    )
    if areas:
        lines.append(
            _(
                "Problem areas discussed: %(areas)s",
                areas=", ".join(f"{a.code} {localized(a, 'title')}" for a in areas),
            )
        )
    return "\n".join(lines).strip() + "\n"
