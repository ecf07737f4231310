"""The job scheduler: APScheduler ticks, a database lease decides who runs the jobs.

Features register plain functions as jobs; every tick, the process holding the lease
runs them. In the embedded default the scheduler runs inside the web process; in a
deployment it runs as one dedicated process (``flask scheduler``). Should two
schedulers run at once, the lease keeps the second idle; should one die, its lease
expires and another takes over."""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import String, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

log = logging.getLogger(__name__)
LEASE_NAME = "scheduler"
#: name -> function run on every tick (inside an app context).
JOBS: dict[str, Callable[[], object]] = {}


class SchedulerLease(db.Model):
    """Who may run the scheduled jobs now."""

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The holding process (host, pid and a random suffix).
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


def register_job(name: str):
    """Decorator: run this function on every scheduler tick."""

    def decorator(function):
        JOBS[name] = function
        return function

    return decorator


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(holder: str, seconds: int) -> bool:
    """Take or renew the lease; False while another live holder has it."""
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    taken = db.session.execute(
        update(SchedulerLease)
        .where(
            SchedulerLease.name == LEASE_NAME,
            (SchedulerLease.holder == holder) | (SchedulerLease.expires_at < now),
        )
        .values(holder=holder, expires_at=until)
    ).rowcount
    if not taken:
        exists = db.session.scalar(
            select(SchedulerLease.name).where(SchedulerLease.name == LEASE_NAME)
        )
        if exists is None:
            try:
                with db.session.begin_nested():
                    db.session.add(SchedulerLease(name=LEASE_NAME, holder=holder, expires_at=until))
                taken = 1
            except IntegrityError:
                taken = 0
    db.session.commit()
    return bool(taken)


def tick(app: Flask, holder: str) -> bool:
    """One round: if this process holds the lease, run every job. Returns whether it ran."""
    with app.app_context():
        try:
            leased = acquire_lease(holder, app.config["SCHEDULER_LEASE_SECONDS"])
        except OperationalError as exc:
            # SQLite busy with other writers ("database is locked") or the database
            # away: this round is skipped, and the next tick simply tries again.
            db.session.rollback()
            log.info("scheduler tick skipped, the database is busy or away: %s", exc.orig)
            return False
        if not leased:
            return False
        for name, job in JOBS.items():
            try:
                job()
            except Exception:  # noqa: BLE001  one failing job must not stop the others
                db.session.rollback()
                log.exception("scheduled job %s failed", name)
        db.session.remove()
        return True


def _ticking(scheduler, app: Flask) -> str:
    """Add the tick to an APScheduler scheduler; returns this process's holder name."""
    holder = holder_name()
    scheduler.add_job(
        tick,
        "interval",
        args=[app, holder],
        seconds=app.config["SCHEDULER_TICK_SECONDS"],
        id="warsztat-tick",
        max_instances=1,
        coalesce=True,
        next_run_time=utcnow(),
    )
    return holder


def start_in_process(app: Flask):
    """The embedded default: a background scheduler in the web process."""
    # Loaded here: only the process that runs the scheduler needs APScheduler.
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(daemon=True, timezone="UTC")
    _ticking(scheduler, app)
    scheduler.start()
    return scheduler


def run_forever(app: Flask) -> None:
    """``flask scheduler``: a dedicated process, ticking until stopped."""
    # Loaded here: only the process that runs the scheduler needs APScheduler.
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone="UTC")
    holder = _ticking(scheduler, app)
    log.info("scheduler %s started", holder)
    scheduler.start()
