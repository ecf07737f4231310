"""Meeting reminders and the minutes mail, queued in the outgoing-mail ledger.

Reminders go to invitees a configurable time before the start, and to facilitators
when a held meeting has had no published minutes for two days. Each mail's key names
the meeting's start, so a moved meeting gets fresh reminders and the stale ones are
cancelled; the unique key means nothing is queued twice."""

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import mailqueue
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.mail import absolute_url, render_parts
from app.meetings.models import Meeting, MeetingStatus, Minutes, Participant
from app.meetings.queries import attendee_addresses
from app.scheduler import register_job

REMINDER = "meeting-reminder"
MINUTES_REMINDER = "minutes-reminder"
MINUTES = "minutes"


def _stamp(meeting: Meeting) -> str:
    return meeting.starts_at.strftime("%Y%m%dT%H%M")


def _recipients(meeting: Meeting):
    """(email, name, language, user id) of invitees who have not declined."""
    rows = db.session.execute(
        select(Participant, User)
        .outerjoin(User, User.id == Participant.user_id)
        .where(Participant.meeting_id == meeting.id, Participant.answer != "declined")
    ).all()
    for person, user in rows:
        if user is not None:
            if user.active:
                yield user.email, user.name, user.language, user.id, person.id
        elif person.email:
            yield person.email, person.name or person.email, "pl", None, person.id


@register_job("meeting-reminders")
def queue_meeting_reminders() -> int:
    """Queue reminders for meetings starting within the lead time; cancel stale ones."""
    now = utcnow()
    lead = timedelta(hours=current_app.config["REMINDER_LEAD_HOURS"])
    queued = 0
    meetings = db.session.scalars(
        select(Meeting).where(
            Meeting.status == MeetingStatus.PLANNED.value,
            Meeting.starts_at > now,
            Meeting.starts_at <= now + lead,
        )
    ).all()
    for meeting in meetings:
        for email, name, language, user_id, _participant in _recipients(meeting):
            subject, text, html = render_parts(
                "mail/meeting_reminder",
                language,
                meeting=meeting,
                name=name,
                link=absolute_url(f"/meetings/{meeting.id}"),
            )
            queued += mailqueue.enqueue(
                # Keyed by address: invited again after removal, still one reminder.
                f"{REMINDER}:{meeting.id}:{email.lower()}:{_stamp(meeting)}",
                kind=REMINDER,
                to=email,
                user_id=user_id,
                subject=subject,
                text=text,
                html=html,
            )
    _cancel_stale_reminders()
    db.session.commit()
    return queued


def _cancel_stale_reminders() -> None:
    """A pending reminder whose meeting moved or was cancelled must not go out."""
    pending = db.session.execute(
        select(mailqueue.OutgoingMail.id, mailqueue.OutgoingMail.key).where(
            mailqueue.OutgoingMail.kind == REMINDER,
            mailqueue.OutgoingMail.status == mailqueue.PENDING,
        )
    ).all()
    if not pending:
        return
    meeting_ids = {int(key.split(":")[1]) for _, key in pending}
    meetings = {
        m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)))
    }
    invited = {m.id: {r[0].lower() for r in _recipients(m)} for m in meetings.values()}
    stale = []
    for mail_id, key in pending:
        parts = key.split(":")
        meeting = meetings.get(int(parts[1]))
        email = ":".join(parts[2:-1])
        if (
            meeting is None
            or meeting.status != MeetingStatus.PLANNED
            or not key.endswith(":" + _stamp(meeting))
            or email not in invited[meeting.id]  # declined or removed since
        ):
            stale.append(mail_id)
    mailqueue.cancel(stale)


@register_job("minutes-reminders")
def queue_minutes_reminders() -> int:
    """Remind facilitators of held meetings without published minutes after two days."""
    now = utcnow()
    overdue = now - timedelta(hours=current_app.config["MINUTES_REMINDER_HOURS"])
    published = select(Minutes.meeting_id).where(Minutes.published_at.is_not(None))
    meetings = db.session.scalars(
        select(Meeting).where(
            # Held, or never run in live mode but long over: minutes are due either way.
            Meeting.status != MeetingStatus.CANCELLED.value,
            Meeting.ends_at <= overdue,
            Meeting.ends_at > now - timedelta(days=60),
            Meeting.id.not_in(published),
        )
    ).all()
    queued = 0
    for meeting in meetings:
        facilitators = db.session.scalars(
            select(User)
            .join(Participant, Participant.user_id == User.id)
            .where(
                Participant.meeting_id == meeting.id,
                Participant.role == "facilitator",
                User.active.is_(True),
            )
        ).all()
        for user in facilitators:
            subject, text, html = render_parts(
                "mail/minutes_reminder",
                user.language,
                meeting=meeting,
                name=user.name,
                link=absolute_url(f"/meetings/{meeting.id}/minutes"),
            )
            queued += mailqueue.enqueue(
                f"{MINUTES_REMINDER}:{meeting.id}:{user.id}",
                kind=MINUTES_REMINDER,
                to=user.email,
                user_id=user.id,
                subject=subject,
                text=text,
                html=html,
            )
    db.session.commit()
    return queued


@register_job("deliver-mail")
def deliver_mail() -> dict[str, int]:
    return mailqueue.deliver_due()


def on_minutes_published(meeting, actor, revision, correction, **_kwargs):
    """Mail the minutes to those who attended (a correction goes out as a new version)."""
    for email, name, language in attendee_addresses(meeting.id):
        with force_locale(language):
            subject_prefix = _("Corrected minutes") if correction else _("Minutes")
        subject, text, html = render_parts(
            "mail/minutes",
            language,
            meeting=meeting,
            name=name,
            body=revision.body,
            correction=correction,
            reason=revision.reason,
            link=absolute_url(f"/meetings/{meeting.id}#minutes"),
            subject_prefix=subject_prefix,
        )
        mailqueue.enqueue(
            f"{MINUTES}:{meeting.id}:{revision.number}:{email}",
            kind=MINUTES,
            to=email,
            subject=subject,
            text=text,
            html=html,
        )
