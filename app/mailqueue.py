"""The outgoing-mail ledger: every scheduled or notification mail is a row, claimed in
its own transaction before the SMTP call and marked sent after it.

A key names each mail (``reminder:12:34:20270105T0900``); the key is unique, so the
same mail is never queued twice, and a row is claimed by exactly one process, so it
is never sent twice by two schedulers. A failure leaves the row pending with an
exponential back-off; after the last attempt it is marked failed and shown to admins.
A process that dies between the SMTP call and marking the row sent leaves a claim that
goes stale; that mail is retried, so such a crash can, rarely, repeat one mail (the
stable Message-ID lets mail clients fold the repeat)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, String, Text, case, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import mail
from app.database import UTCDateTime, utcnow
from app.extensions import db

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
#: The kind of the scheduled digests, which the admin's mail page counts per round.
DIGEST_KIND = "digest"


class OutgoingMail(db.Model):
    """One mail to one person, from queueing to delivery."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What this mail is, uniquely: queueing the same key again does nothing.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    #: Kind for lists and cancellation, e.g. ``meeting-reminder``.
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    #: The member it is for, if any (guests have only an address).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    #: pending, sending (claimed), sent, failed, cancelled.
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not before this time (a reminder's send time, or the next retry).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: One-click unsubscribe link for the List-Unsubscribe headers (digests).
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


_MAILS = OutgoingMail.__table__


def enqueue(
    key: str,
    *,
    kind: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    user_id: int | None = None,
    send_after: datetime | None = None,
    unsubscribe_url: str | None = None,
) -> bool:
    """Queue a mail in the caller's transaction; False if that key is queued already."""
    # A plain INSERT, not an ORM object: a digest round queues thousands, and nothing
    # reads the row back in this transaction.
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(_MAILS).values(
                    key=key,
                    kind=kind,
                    recipient=to,
                    subject=subject,
                    text_body=text,
                    html_body=html,
                    user_id=user_id,
                    next_attempt_at=send_after or utcnow(),
                    unsubscribe_url=unsubscribe_url,
                )
            )
    except IntegrityError:
        return False
    return True


def cancel(ids) -> int:
    """Cancel queued mails that have not gone out (a meeting moved or was cancelled)."""
    ids = list(ids)
    if not ids:
        return 0
    return db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(ids), OutgoingMail.status == PENDING)
        .values(status=CANCELLED)
    ).rowcount


def cancel_for_user(user_id: int, kind: str) -> int:
    """Cancel a person's waiting mail of one kind (digests after unsubscribing)."""
    return db.session.execute(
        update(OutgoingMail)
        .where(
            OutgoingMail.user_id == user_id,
            OutgoingMail.kind == kind,
            OutgoingMail.status == PENDING,
        )
        .values(status=CANCELLED)
    ).rowcount


def _backoff(attempts: int) -> timedelta:
    base = current_app.config["MAIL_RETRY_BASE_SECONDS"]
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 6 * 3600))


def deliver_due(limit: int = 100) -> dict[str, int]:
    """Send what is due, each mail claimed first; returns counts by outcome."""
    config = current_app.config
    now = utcnow()
    stale = now - timedelta(seconds=config["MAIL_CLAIM_TIMEOUT_SECONDS"])
    # Claims left by a process that died: make them retryable.
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.status == SENDING, OutgoingMail.claimed_at < stale)
        .values(status=PENDING, last_error="interrupted while sending; retried")
    )
    db.session.commit()
    due = db.session.scalars(
        select(OutgoingMail.id)
        .where(OutgoingMail.status == PENDING, OutgoingMail.next_attempt_at <= now)
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
        .limit(limit)
    ).all()
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    # One SMTP connection for the round: a digest round is thousands of messages, and
    # a connection (greeting, TLS, login) costs more than the message.
    with mail.one_connection():
        for start in range(0, len(due), READ_BATCH):
            for message in _read(due[start : start + READ_BATCH]):
                counts[_claim_and_deliver(message)] += 1
    return counts


#: Mails read with one statement; each is still claimed, sent and recorded on its own,
#: right before it is sent, so no claim can grow old while others are being sent.
READ_BATCH = 50


@dataclass(frozen=True)
class _Message:
    id: int
    key: str
    recipient: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None


def _read(ids: list[int]) -> list[_Message]:
    """What the mails ``ids`` say (a queued mail's text never changes), in send order."""
    rows = db.session.execute(
        select(
            OutgoingMail.id,
            OutgoingMail.key,
            OutgoingMail.recipient,
            OutgoingMail.subject,
            OutgoingMail.text_body,
            OutgoingMail.html_body,
            OutgoingMail.unsubscribe_url,
        )
        .where(OutgoingMail.id.in_(ids))
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id)
    ).all()
    # End the transaction before talking to the SMTP server: on SQLite an open write
    # transaction would hold the database lock for as long as the server takes.
    db.session.commit()
    return [_Message(*row) for row in rows]


def _claim_and_deliver(message: _Message) -> str:
    """Claim one mail (the claim time is this process's mark: another process's claim
    finds it taken), then send it and record the outcome."""
    now = utcnow()
    attempts = db.session.execute(
        update(_MAILS)
        .where(
            _MAILS.c.id == message.id, _MAILS.c.status == PENDING, _MAILS.c.next_attempt_at <= now
        )
        .values(status=SENDING, claimed_at=now, attempts=_MAILS.c.attempts + 1)
        .returning(_MAILS.c.attempts)
    ).scalar()
    db.session.commit()
    if attempts is None:
        return "skipped"  # another process took it, or it is not due any more
    return _deliver(message, attempts, now)


def _deliver_one(mail_id: int) -> str:
    messages = _read([mail_id])
    return _claim_and_deliver(messages[0]) if messages else "skipped"


def _deliver(claimed: _Message, attempts: int, now: datetime) -> str:
    """Send one claimed mail and record the outcome (only while the claim is still ours)."""
    error = None
    try:
        headers = {}
        if claimed.unsubscribe_url:  # RFC 2369 and RFC 8058 one-click unsubscribe
            headers["List-Unsubscribe"] = f"<{claimed.unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = mail.build_message(
            claimed.recipient, claimed.subject, claimed.text, claimed.html or None, headers
        )
        del message["Message-ID"]
        message["Message-ID"] = f"<{claimed.key.replace(':', '.')}@warsztat>"
        message_id = mail.send(message)
    except mail.MailError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001  a malformed message must not block the queue
        error = f"{type(exc).__name__}: {exc}"
        attempts = current_app.config["MAIL_MAX_ATTEMPTS"]  # retrying cannot help
    # Plain UPDATEs on the table (as the claim): the ORM's bulk-update path cost as much
    # as the statement itself, twice a mail.
    mine = (_MAILS.c.id == claimed.id, _MAILS.c.status == SENDING, _MAILS.c.claimed_at == now)
    if error is None:
        db.session.execute(
            update(_MAILS)
            .where(*mine)
            .values(status=SENT, sent_at=utcnow(), message_id=message_id, last_error="")
        )
        db.session.commit()
        return "sent"
    final = attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]
    db.session.execute(
        update(_MAILS)
        .where(*mine)
        .values(
            status=FAILED if final else PENDING,
            last_error=error[:2000],
            next_attempt_at=utcnow() + _backoff(attempts),
        )
    )
    db.session.commit()
    current_app.logger.warning(
        "mail %s to %s failed (attempt %s): %s", claimed.key, claimed.recipient, attempts, error
    )
    return "failed" if final else "retry"


def recent(limit: int = 200) -> list[OutgoingMail]:
    """For the admins' page: problems first, then the newest."""
    return list(
        db.session.scalars(
            select(OutgoingMail)
            .order_by(
                (OutgoingMail.status == FAILED).desc(),
                OutgoingMail.created_at.desc(),
                OutgoingMail.id.desc(),
            )
            .limit(limit)
        )
    )


def rounds(kind: str, days: int = 14) -> list[dict]:
    """Mail of one kind per day it was queued, counted by status (digest rounds)."""
    day = func.date(OutgoingMail.created_at)
    rows = db.session.execute(
        select(day, OutgoingMail.status, func.count())
        .where(
            OutgoingMail.kind == kind, OutgoingMail.created_at >= utcnow() - timedelta(days=days)
        )
        .group_by(day, OutgoingMail.status)
    ).all()
    by_day: dict[str, dict] = {}
    for when, status, count in rows:
        entry = by_day.setdefault(str(when), {"day": str(when), SENT: 0, FAILED: 0, "waiting": 0})
        if status in (SENT, FAILED):
            entry[status] += count
        elif status in (PENDING, SENDING):
            entry["waiting"] += count
    return sorted(by_day.values(), key=lambda entry: entry["day"], reverse=True)


def retry_now(mail_id: int) -> str | None:
    """An admin sends a failed or waiting mail again at once; returns the outcome.

    None if there is no such mail or it was sent or cancelled already."""
    reset = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.status.in_([FAILED, PENDING]))
        # A failed mail gets a fresh set of attempts; a waiting one keeps its count.
        .values(
            status=PENDING,
            attempts=case((OutgoingMail.status == FAILED, 0), else_=OutgoingMail.attempts),
            next_attempt_at=utcnow(),
        )
    ).rowcount
    db.session.commit()
    if not reset:
        return None
    return _deliver_one(mail_id)
