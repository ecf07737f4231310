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
autumn is sent once, at its first occurrence.

A digest goes out in its slot and never outside it. A slot missed because no scheduler
ran (the server was down) is still sent within GRACE of its time; after that the slot
is skipped and its notifications wait for the next one. Changing the digest settings
never sends at once: the slot that has just passed under the new settings counts as
handled, and the first digest goes at the next one (``on_settings_changed``).

Each tick reads only the members whose slot falls in the last GRACE, chosen in SQL by
their hour (and weekday) and the period they were last handled in, so its cost does
not grow with the members who are not due."""

import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import joinedload

from app import mailqueue, pending
from app.auth.models import DigestFrequency, User
from app.database import utcnow
from app.digests import queries
from app.digests.models import Notification
from app.digests.texts import notification_text
from app.extensions import db
from app.i18n import text_in
from app.mail import absolute_url, render_parts
from app.meetings.models import Meeting, MeetingStatus, Participant
from app.problems.models import Challenge, ProblemArea
from app.recommendations.models import Recommendation
from app.scheduler import register_job

WARSAW = ZoneInfo("Europe/Warsaw")
DIGEST = mailqueue.DIGEST_KIND
UPCOMING_DAYS = 14
MEETINGS = "meetings"
#: Notifications older than this are not mailed (the first digest after switching on).
LOOKBACK_DAYS = 14
#: Lines in one digest; the rest are counted with a link to the full list.
MAX_ITEMS = 40
#: Members planned per batch (keeps each IN list well inside database limits).
BATCH = 500
#: Digests queued per transaction.
COMMIT_EVERY = 100
#: Kinds where several notifications about one thing read as one line.
COLLAPSIBLE = (
    "recommendation.revised",
    "recommendation.status",
    "meeting.changed",
    "meeting.moved",
)


#: How late a missed slot is still sent (see the module's docstring).
GRACE = timedelta(hours=3)


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


def last_slot(frequency: str, hour: int, weekday: int, now: datetime) -> tuple[str, datetime]:
    """The latest send time at or before ``now`` under these settings, and its period."""
    label, send_at = period_of(frequency, hour, weekday, now)
    if send_at > now:
        step = timedelta(days=1) if frequency == DigestFrequency.DAILY else timedelta(weeks=1)
        label, send_at = period_of(frequency, hour, weekday, now - step)
    return label, send_at


def digest_key(user_id: int, frequency: str, period: str) -> str:
    return f"{DIGEST}:{user_id}:{frequency}:{period}"


# -- one-click unsubscribe -------------------------------------------------------------


def _unsubscribe_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="warsztat-unsubscribe")


def _address_mark(user: User) -> str:
    # Ties the link to the address it was mailed to: a changed address ends old links.
    return hashlib.sha256(user.email.encode()).hexdigest()[:16]


def unsubscribe_token(user: User) -> str:
    return _unsubscribe_signer().dumps({"uid": user.id, "e": _address_mark(user)})


def user_from_unsubscribe_token(token: str) -> User | None:
    """The user the link is for, or None if it is forged or the account is gone."""
    try:
        data = _unsubscribe_signer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not hmac.compare_digest(str(data.get("e", "")), _address_mark(user)):
        return None
    return user


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
    #: Items left out of the mail for length (they are in the app).
    more: int = 0

    @property
    def key(self) -> str:
        return digest_key(self.user.id, self.frequency, self.period)

    @property
    def item_count(self) -> int:
        return len(self.notification_ids)


def _period_mark(frequency: str, period: str) -> str:
    return f"{frequency}:{period}"


def _slots_in_grace(now: datetime) -> tuple[set, set]:
    """Every (hour, period) a daily slot, and (weekday, hour, period) a weekly slot, can
    have if its time is within GRACE before ``now``: the local hours the window covers,
    and the hour before each (an hour skipped in spring is sent an hour late)."""
    daily, weekly = set(), set()
    moment = now - GRACE
    while moment <= now:
        local = moment.astimezone(WARSAW)
        year, week, _ = local.isocalendar()
        for hour in {local.hour, local.hour - 1} - {-1}:
            daily.add((hour, local.date().isoformat()))
            weekly.add((local.weekday(), hour, f"{year}-W{week:02d}"))
        moment += timedelta(minutes=15)
    return daily, weekly


def _handled_in(period_mark: str):
    return or_(User.digest_period.is_(None), User.digest_period != period_mark)


def _due_users(now: datetime, frequency: str | None) -> list[tuple[User, str]]:
    """Members whose slot was within GRACE before ``now`` and who have not been handled
    in its period yet (sent, or found to have nothing new).

    SQL narrows the members to those whose hour (and weekday) puts a slot in that
    window and who were not handled in that slot's period; the exact slot, DST
    included, is checked here."""
    frequencies = [frequency] if frequency else [DigestFrequency.DAILY, DigestFrequency.WEEKLY]
    daily, weekly = _slots_in_grace(now)
    slots = []
    if DigestFrequency.DAILY in frequencies:
        slots += [
            and_(
                User.digest_frequency == DigestFrequency.DAILY.value,
                User.digest_hour == hour,
                _handled_in(_period_mark(DigestFrequency.DAILY, period)),
            )
            for hour, period in sorted(daily)
        ]
    if DigestFrequency.WEEKLY in frequencies:
        slots += [
            and_(
                User.digest_frequency == DigestFrequency.WEEKLY.value,
                User.digest_weekday == weekday,
                User.digest_hour == hour,
                _handled_in(_period_mark(DigestFrequency.WEEKLY, period)),
            )
            for weekday, hour, period in sorted(weekly)
        ]
    users = db.session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            User.password_hash.is_not(None),  # invited but never joined: no digest
            or_(*slots),
        )
        .order_by(User.id)
    ).all()
    due = []
    for user in users:
        period, send_at = last_slot(
            user.digest_frequency, user.digest_hour, user.digest_weekday, now
        )
        missed = now - send_at > GRACE
        if not missed and user.digest_period != _period_mark(user.digest_frequency, period):
            due.append((user, period))
    return due


def on_settings_changed(user: User, **_) -> None:
    """New digest settings start with their next slot: the one just past counts as
    handled, so saving the form never sends a digest at once (the caller commits)."""
    if user.digest_frequency == DigestFrequency.OFF:
        return
    period, _send_at = last_slot(
        user.digest_frequency, user.digest_hour, user.digest_weekday, utcnow()
    )
    user.digest_period = _period_mark(user.digest_frequency, period)


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


def _collapse(items: list) -> list:
    """Several edits of one thing read as one line: keep the latest of each."""
    latest = {}
    for n in items:
        if n.kind in COLLAPSIBLE:
            latest[(n.kind, n.target_type, n.target_id)] = n.id
    return [
        n
        for n in items
        if n.kind not in COLLAPSIBLE or latest[(n.kind, n.target_type, n.target_id)] == n.id
    ]


@dataclass
class Round:
    """What a round will do: digests to send, and members with nothing new."""

    digests: list[PlannedDigest]
    #: (user id, period mark) of members whose digest this period is empty.
    empty: list[tuple[int, str]]


def plan_round(now: datetime | None = None, frequency: str | None = None) -> Round:
    """Who gets a digest now and what is in it; reads only, writes nothing.

    Members are taken in batches; each batch takes the same few queries however many
    notifications there are."""
    now = now or utcnow()
    due = _due_users(now, frequency)
    plan = Round([], [])
    for start in range(0, len(due), BATCH):
        _plan_batch(due[start : start + BATCH], now, plan)
    return plan


def _plan_batch(due: list[tuple[User, str]], now: datetime, plan: Round) -> None:
    user_ids = [u.id for u, _ in due]
    notifications = db.session.scalars(
        queries.shown(select(Notification))
        .where(
            Notification.user_id.in_(user_ids),
            Notification.read_at.is_(None),
            Notification.digested_at.is_(None),
            Notification.created_at <= now,
            # The first digest after switching on does not dig up months of backlog.
            Notification.created_at > now - timedelta(days=LOOKBACK_DAYS),
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
        .order_by(Meeting.starts_at, Meeting.id)
    ):
        meetings[user_id].append(meeting)

    # "Needs your action" is asked of the objects now, not of the notification rows: an
    # invitation answered or an amendment decided since is left out of the mail.
    open_requests = pending.still_open(notifications)
    asks = pending.kinds()
    for user, period in due:
        everything = by_user.get(user.id, [])
        mine = [n for n in everything if n.kind not in asks or n.id in open_requests]
        if not mine:
            # Nothing new: no mail, and the member is done for this period.
            plan.empty.append((user.id, _period_mark(user.digest_frequency, period)))
            continue
        shown = _collapse(mine)
        actions = [n for n in shown if n.kind in asks][:MAX_ITEMS]
        room = MAX_ITEMS - len(actions)
        news = [n for n in shown if n.kind not in asks]
        sections: dict[str, Section] = {}
        for n in news[:room]:
            area = areas.get((n.target_type, n.target_id))
            code = area.code if area else (MEETINGS if n.target_type == "meeting" else "")
            if code not in sections:
                title = text_in(area, "title", user.language) if area else ""
                sections[code] = Section(code, title)
            sections[code].items.append(n)
        # Problem areas in order, then meetings, then the rest.
        ordered = sorted(sections.values(), key=lambda s: (not s.is_area, s.code == "", s.code))
        plan.digests.append(
            PlannedDigest(
                user=user,
                frequency=user.digest_frequency,
                period=period,
                actions=actions,
                sections=ordered,
                meetings=meetings.get(user.id, []),
                # Requests dealt with since are stamped too: the digest covered them.
                notification_ids=[n.id for n in everything],
                more=max(0, len(shown) - len(actions) - room),
            )
        )


# -- queueing --------------------------------------------------------------------------


def render(digest: PlannedDigest) -> tuple[str, str, str, str]:
    """Subject, plain text, HTML and the unsubscribe link, in the member's language."""
    user = digest.user
    unsubscribe = absolute_url(f"/account/unsubscribe/{unsubscribe_token(user)}")
    subject, text, html = render_parts(
        "mail/digest",
        user.language,
        digest=digest,
        user=user,
        text_of=notification_text,
        link=absolute_url,
        # Through the notification, so opening it from the mail marks it read.
        item_link=lambda n: absolute_url(f"/notifications/{n.id}"),
        unsubscribe_url=unsubscribe,
        settings_url=absolute_url("/account/"),
        all_url=absolute_url("/notifications/"),
    )
    return subject, text, html, unsubscribe


class _NotThisTime(Exception):
    """Another process queued this digest (or these notifications) first."""


def queue_round(now: datetime | None = None, frequency: str | None = None) -> int:
    """Queue this round's digests; returns how many were queued by this call.

    Each digest is queued, its notifications stamped and the member's period marked
    done in one transaction. If another process got there first (the same key, or the
    same notifications under another key after a change of frequency), the savepoint
    is rolled back and this process sends nothing."""
    now = now or utcnow()
    plan = plan_round(now, frequency)
    # Render everything first: each commit below expires the loaded rows.
    rendered = [
        (
            digest.key,
            digest.user.id,
            digest.user.email,
            _period_mark(digest.frequency, digest.period),
            digest.notification_ids,
            render(digest),
        )
        for digest in plan.digests
    ]
    queued = 0
    for number, (key, user_id, email, mark, notification_ids, parts) in enumerate(rendered, 1):
        subject, text, html, unsubscribe = parts
        try:
            with db.session.begin_nested():
                if not mailqueue.enqueue(
                    key,
                    kind=DIGEST,
                    to=email,
                    user_id=user_id,
                    subject=subject,
                    text=text,
                    html=html,
                    unsubscribe_url=unsubscribe,
                ):
                    raise _NotThisTime
                stamped = db.session.execute(
                    update(Notification)
                    .where(
                        Notification.id.in_(notification_ids),
                        Notification.digested_at.is_(None),
                    )
                    .values(digested_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if stamped != len(notification_ids):
                    raise _NotThisTime
                db.session.execute(
                    update(User)
                    .where(User.id == user_id)
                    .values(digest_period=mark)
                    .execution_options(synchronize_session=False)
                )
        except _NotThisTime:
            pass
        else:
            queued += 1
        # Commit in groups: every commit expires all loaded rows, so one per digest would
        # take quadratic time. A savepoint still keeps each digest all-or-nothing.
        if number % COMMIT_EVERY == 0:
            db.session.commit()
    db.session.commit()
    marks = defaultdict(list)
    for user_id, mark in plan.empty:
        marks[mark].append(user_id)
    for mark, user_ids in marks.items():
        for start in range(0, len(user_ids), BATCH):
            db.session.execute(
                update(User)
                .where(User.id.in_(user_ids[start : start + BATCH]))
                .values(digest_period=mark)
            )
    db.session.commit()
    return queued


@register_job("digests")
def queue_digests() -> int:
    return queue_round()
