"""Reminders and the mail ledger: queued once, sent once, moved with the meeting,
retried with back-off, failures shown to admins; one scheduler at a time."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.database import utcnow
from app.digests.reminders import queue_meeting_reminders, queue_minutes_reminders
from app.extensions import db
from app.mailqueue import CANCELLED, FAILED, PENDING, SENT, OutgoingMail, deliver_due, enqueue
from app.meetings import services
from app.meetings.models import Meeting
from app.scheduler import acquire_lease, holder_name, tick
from tests import factories
from tests.conftest import build_app
from tests.meetings.helpers import plan


def invitees(meeting, facilitator, n=2):
    people = [factories.make_user("member") for _ in range(n)]
    for person in people:
        services.invite_member(meeting, facilitator, person, "participant")
    return people


def test_reminders_go_once_to_invitees_who_did_not_decline(smtp_server):
    meeting, facilitator = plan(days=0, hours=2)
    meeting.starts_at = utcnow() + timedelta(hours=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    db.session.commit()
    keen, busy = invitees(meeting, facilitator)
    services.answer_invitation(meeting, busy, "declined")
    assert queue_meeting_reminders() == 2  # keen member and the facilitator
    assert queue_meeting_reminders() == 0
    deliver_due()
    deliver_due()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([keen.email, facilitator.email])
    assert "Przypomnienie" in smtp_server.messages[0]["Subject"]


def test_no_reminder_before_the_lead_time(smtp_server):
    meeting, facilitator = plan(days=3)
    invitees(meeting, facilitator)
    assert queue_meeting_reminders() == 0


def test_a_moved_meeting_gets_fresh_reminders_and_the_old_ones_are_cancelled(smtp_server):
    meeting, facilitator = plan(days=0)
    meeting.starts_at = utcnow() + timedelta(hours=5)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    db.session.commit()
    invitees(meeting, facilitator, n=1)
    queue_meeting_reminders()
    fields = services.MeetingFields(
        title=meeting.title,
        mode="online",
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
    )
    services.update_meeting(
        db.session.get(Meeting, meeting.id), facilitator, fields, expected_version=meeting.version
    )
    queue_meeting_reminders()
    statuses = sorted(db.session.scalars(select(OutgoingMail.status)))
    assert statuses == [CANCELLED, CANCELLED, PENDING, PENDING]
    deliver_due()
    assert len(smtp_server.messages) == 2


def test_a_cancelled_meeting_sends_no_reminder(smtp_server):
    meeting, facilitator = plan(days=0)
    meeting.starts_at = utcnow() + timedelta(hours=5)
    meeting.ends_at = meeting.starts_at + timedelta(hours=1)
    db.session.commit()
    invitees(meeting, facilitator, n=1)
    queue_meeting_reminders()
    services.cancel_meeting(db.session.get(Meeting, meeting.id), facilitator, "Odwołane.")
    queue_meeting_reminders()
    deliver_due()
    assert smtp_server.messages == []


def test_facilitators_are_reminded_of_missing_minutes_once(smtp_server):
    meeting, facilitator = plan()
    meeting.status = "held"
    meeting.starts_at = utcnow() - timedelta(days=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    db.session.commit()
    assert queue_minutes_reminders() == 1
    assert queue_minutes_reminders() == 0
    deliver_due()
    assert [m["To"] for m in smtp_server.messages] == [facilitator.email]


def test_smtp_failures_are_retried_with_backoff_then_marked_failed(
    app, monkeypatch, unreachable_smtp
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    enqueue("test:1", kind="test", to="x@example.org", subject="S", text="T")
    db.session.commit()
    assert deliver_due()["retry"] == 1
    row = db.session.scalar(select(OutgoingMail))
    assert row.status == PENDING and row.attempts == 1 and row.next_attempt_at > utcnow()
    assert deliver_due()["retry"] == 0  # not due yet: no retry storm
    for _ in range(2):
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        deliver_due()
    row = db.session.scalar(select(OutgoingMail))
    assert (row.status, row.attempts) == (FAILED, 3) and row.last_error


def test_admins_see_failed_mail(client, auth):
    enqueue("test:failed", kind="test", to="broken@example.org", subject="Nie doszło", text="T")
    row = db.session.scalar(select(OutgoingMail))
    row.status, row.last_error = FAILED, "Connection refused"
    db.session.commit()
    auth.login("admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "broken@example.org" in page and "Connection refused" in page


def test_a_claimed_mail_is_not_sent_by_a_second_process(smtp_server):
    enqueue("test:claim", kind="test", to="one@example.org", subject="S", text="T")
    db.session.commit()
    row = db.session.scalar(select(OutgoingMail))
    row.status, row.claimed_at = "sending", utcnow()  # another process is sending it
    db.session.commit()
    assert deliver_due()["sent"] == 0
    row.claimed_at = utcnow() - timedelta(hours=1)  # ... and died long ago
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert db.session.scalar(select(OutgoingMail)).status == SENT


def test_only_one_scheduler_holds_the_lease(app):
    first, second = holder_name(), holder_name()
    assert acquire_lease(first, 60)
    assert not acquire_lease(second, 60)
    assert acquire_lease(first, 60)  # renewal
    lease = db.session.scalar(select(__import__("app.scheduler", fromlist=["x"]).SchedulerLease))
    lease.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert acquire_lease(second, 60)  # the first died: the second takes over


def test_a_tick_runs_the_jobs_only_with_the_lease(app, smtp_server):
    enqueue("test:tick", kind="test", to="tick@example.org", subject="S", text="T")
    db.session.commit()
    assert acquire_lease("someone-else", 60)
    assert tick(app, holder_name()) is False
    assert smtp_server.messages == []


@pytest.mark.own_app
@pytest.mark.sqlite_only
def test_a_tick_on_a_busy_database_is_skipped_quietly_and_the_next_one_runs(tmp_path, caplog):
    """Another writer holds SQLite's lock longer than the busy timeout: the tick skips
    (no traceback, no exception), and runs once the database is free."""
    import logging
    import sqlite3

    from tests.conftest import make_config

    config = make_config(f"sqlite:///{tmp_path / 'busy.db'}", tmp_path)
    config.SQLITE_BUSY_TIMEOUT_MS = 50
    app = build_app(config.SQLALCHEMY_DATABASE_URI, tmp_path, config=config)
    # The migrations' logging set-up replaced the root handlers: listen on the logger.
    scheduler_log = logging.getLogger("app.scheduler")
    scheduler_log.addHandler(caplog.handler)
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # holds the write lock
        with caplog.at_level("INFO", logger="app.scheduler"):
            assert tick(app, "busy-holder") is False
        assert "database is busy" in caplog.text
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
        other.execute("ROLLBACK")
        assert tick(app, "busy-holder") is True
    finally:
        scheduler_log.removeHandler(caplog.handler)
        other.close()
        with app.app_context():
            db.engine.dispose()
