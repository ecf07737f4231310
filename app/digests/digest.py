"""Scheduled digest mails: a catch-up of unread notifications at the member's hour.

Every scheduler tick looks for members whose local (Warsaw) send time in the current
period has passed: today's hour for daily digests, this ISO week's weekday and hour
for weekly ones. Each digest is queued in the outgoing-mail ledger under the key
``digest:<user>:<frequency>:<period>``; the key is unique, so a period gets one
digest however many processes run the round, and the ledger sends it once, with
retries and back-off. The notifications it carries are stamped in the same
transaction, so the next digest never repeats them; notifications already read in
the app are left out. A digest without new notifications is not sent.

Send times are local: 08:00 stays 08:00 across the DST changes. An hour that does not
exist on the spring-forward night (02:00-03:00) is sent at 03:00; the hour repeated in
autumn is sent once, at its first occurrence."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app import mailqueue
from app.auth.models import DigestFrequency, User
from app.database import utcnow
from app.digests.models import Notification
from app.digests.texts import notification_text
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus, Participant
from app.problems.models import Challenge, ProblemArea
from app.recommendations.models import Recommendation
from app.scheduler import register_job

WARSAW = ZoneInfo("Europe/Warsaw")
DIGEST = "digest"
#: Notifications that ask the reader to do something; they open the digest.
ACTION_KINDS = ("coauthor.invited", "amendment.proposed", "meeting.invited", "action.assigned")
UPCOMING_DAYS = 14
MEETINGS = "meetings"


def period_of(frequency: str, hour: int, weekday: int, now: datetime) -> tuple[str, datetime]:
    """The current period's label and its send time (UTC) for these preferences."""
    local = now.astimezone(WARSAW)
    if frequency == DigestFrequency.DAILY:
        day = local.date()
        label = day.isoformat()
    else:
        year, week, _ = local.isocalendar()
        day = local.date() - timedelta(days=local.weekday() - weekday)
        label = f"{year}-W{week:02d}"
    # fold=0: a time skipped in spring resolves to the hour after, a repeated one to
    # its first occurrence.
    send_at = datetime.combine(day, time(hour), tzinfo=WARSAW).astimezone(UTC)
    return label, send_at


def digest_key(user_id: int, frequency: str, period: str) -> str:
    return f"{DIGEST}:{user_id}:{frequency}:{period}"


# -- one-click unsubscribe -------------------------------------------------------------


def _unsubscribe_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="warsztat-unsubscribe")


def unsubscribe_token(user: User) -> str:
    return _unsubscribe_signer().dumps({"uid": user.id})


def user_from_unsubscribe_token(token: str) -> User | None:
    """The user the link is for, or None if it is forged or the account is gone."""
    try:
        data = _unsubscribe_signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    return db.session.get(User, data["uid"])


# -- planning a round ------------------------------------------------------------------


@dataclass
class Section:
    """Notifications about one problem area (or none), in the digest."""

    #: Problem-area code; "meetings" for meeting news; "" for the rest.
    code: str
    title: str
    items: list = field(default_factory=list)

    @property
    def is_area(self) -> bool:
        return self.code not in ("", MEETINGS)


@dataclass
class PlannedDigest:
    user: User
    frequency: str
    period: str
    actions: list
    sections: list[Section]
    meetings: list
    notification_ids: list[int]

    @property
    def key(self) -> str:
        return digest_key(self.user.id, self.frequency, self.period)

    @property
    def item_count(self) -> int:
        return len(self.notification_ids)


def _due_users(now: datetime, frequency: str | None) -> list[tuple[User, str]]:
    frequencies = [frequency] if frequency else [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
    users = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            User.password_hash.is_not(None),  # invited but never joined: no digest
            User.digest_frequency.in_([str(f) for f in frequencies]),
        )
        .order_by(User.id)
    ).all()
    due = []
    for user in users:
        period, send_at = period_of(
            user.digest_frequency, user.digest_hour, user.digest_weekday, now
        )
        if now >= send_at:
            due.append((user, period))
    return due


def _areas_of(notifications) -> dict[tuple[str, int], ProblemArea]:
    """Problem area of each recommendation and challenge mentioned, in two queries."""
    wanted = defaultdict(set)
    for n in notifications:
        wanted[n.target_type].add(n.target_id)
    found = {}
    for target_type, model in (("recommendation", Recommendation), ("challenge", Challenge)):
        if not wanted[target_type]:
            continue
        rows = db.session.execute(
            select(model.id, ProblemArea)
            .join(ProblemArea, ProblemArea.id == model.problem_area_id)
            .where(model.id.in_(wanted[target_type]))
        ).all()
        found.update({(target_type, row_id): area for row_id, area in rows})
    return found


def plan_round(now: datetime | None = None, frequency: str | None = None) -> list[PlannedDigest]:
    """Who gets a digest now and what is in it; reads only, writes nothing.

    A constant number of queries however many members and notifications there are."""
    now = now or utcnow()
    due = _due_users(now, frequency)
    if not due:
        return []
    keys = {digest_key(u.id, u.digest_frequency, p): (u, p) for u, p in due}
    done = set(
        db.session.scalars(
            select(mailqueue.OutgoingMail.key).where(mailqueue.OutgoingMail.key.in_(keys))
        )
    )
    todo = {key: up for key, up in keys.items() if key not in done}
    if not todo:
        return []
    user_ids = [u.id for u, _ in todo.values()]
    notifications = db.session.scalars(
        select(Notification)
        .where(
            Notification.user_id.in_(user_ids),
            Notification.read_at.is_(None),
            Notification.digested_at.is_(None),
            Notification.created_at <= now,
        )
        .options(joinedload(Notification.actor))
        .order_by(Notification.created_at, Notification.id)
        .execution_options(populate_existing=True)
    ).all()
    by_user = defaultdict(list)
    for n in notifications:
        by_user[n.user_id].append(n)
    areas = _areas_of(notifications)
    meetings = defaultdict(list)
    for user_id, meeting in db.session.execute(
        select(Participant.user_id, Meeting)
        .join(Meeting, Meeting.id == Participant.meeting_id)
        .where(
            Participant.user_id.in_(user_ids),
            Participant.answer != "declined",
            Meeting.status == MeetingStatus.PLANNED.value,
            Meeting.starts_at > now,
            Meeting.starts_at <= now + timedelta(days=UPCOMING_DAYS),
        )
        .order_by(Meeting.starts_at)
    ):
        meetings[user_id].append(meeting)

    planned = []
    for user, period in todo.values():
        mine = by_user.get(user.id)
        if not mine:
            continue  # nothing new: an empty digest is not sent
        actions = [n for n in mine if n.kind in ACTION_KINDS]
        sections: dict[str, Section] = {}
        for n in mine:
            if n.kind in ACTION_KINDS:
                continue
            area = areas.get((n.target_type, n.target_id))
            code = area.code if area else (MEETINGS if n.target_type == "meeting" else "")
            if code not in sections:
                title = (area.title_en if user.language == "en" else area.title_pl) if area else ""
                sections[code] = Section(code, title)
            sections[code].items.append(n)
        # Problem areas in order, then meetings, then the rest.
        ordered = sorted(sections.values(), key=lambda s: (not s.is_area, s.code == "", s.code))
        planned.append(
            PlannedDigest(
                user=user,
                frequency=user.digest_frequency,
                period=period,
                actions=actions,
                sections=ordered,
                meetings=meetings.get(user.id, []),
                notification_ids=[n.id for n in mine],
            )
        )
    return planned


# -- queueing --------------------------------------------------------------------------


def _link(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def render(digest: PlannedDigest) -> tuple[str, str, str, str]:
    """Subject, plain text, HTML and the unsubscribe link, in the member's language."""
    user = digest.user
    # Stable paths (see DESIGN.md): a scheduler has no request to build URLs from.
    unsubscribe = _link(f"/account/unsubscribe/{unsubscribe_token(user)}")
    with force_locale(user.language):
        context = {
            "digest": digest,
            "user": user,
            "text_of": notification_text,
            "link": _link,
            "unsubscribe_url": unsubscribe,
            "settings_url": _link("/account/"),
        }
        subject = render_template("mail/digest.subject.txt", **context).strip()
        text = render_template("mail/digest.txt", **context)
        html = render_template("mail/digest.html", **context)
    return subject, text, html, unsubscribe


def queue_round(now: datetime | None = None, frequency: str | None = None) -> int:
    """Queue this round's digests; returns how many were queued by this call.

    Each digest is queued and its notifications stamped in one transaction. If another
    process queued the same digest first, the unique key makes this a no-op."""
    now = now or utcnow()
    queued = 0
    # Render everything first: each commit below expires the loaded rows.
    rendered = [
        (digest.key, digest.user.id, digest.user.email, digest.notification_ids, render(digest))
        for digest in plan_round(now, frequency)
    ]
    for key, user_id, email, notification_ids, (subject, text, html, unsubscribe) in rendered:
        if mailqueue.enqueue(
            key,
            kind=DIGEST,
            to=email,
            user_id=user_id,
            subject=subject,
            text=text,
            html=html,
            unsubscribe_url=unsubscribe,
        ):
            db.session.execute(
                update(Notification)
                .where(
                    Notification.id.in_(notification_ids),
                    Notification.digested_at.is_(None),
                )
                .values(digested_at=now)
            )
            queued += 1
        db.session.commit()
    return queued


@register_job("digests")
def queue_digests() -> int:
    return queue_round()
