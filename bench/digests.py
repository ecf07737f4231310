"""Building and sending a digest round for many members to a local SMTP server.

    .venv/bin/python bench/digests.py                   # 2,000 members, SQLite
    .venv/bin/python bench/digests.py --users 500 --per-user 40
    DATABASE_URL=postgresql://... .venv/bin/python bench/digests.py   # an empty database!

Builds a fresh database (migrations, reference data, 1,000 recommendations from
`seeds/scale.py`), gives every member a daily digest and `--per-user` unread
notifications about random recommendations (a fifth of them open co-author
invitations, which "needs your action" checks against the invitations), some
read ones and two upcoming meetings, then times the round in two steps: queueing
(planning, rendering in the member's language, one ledger row each) and delivery
through a real SMTP server (aiosmtpd on loopback, in its own process). Prints the time and the SQL
statements per member for each step; the statements per member must not grow with
the number of members or notifications."""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig, _normalise_db_url  # noqa: E402

WARSAW = ZoneInfo("Europe/Warsaw")
KINDS = ("comment.new", "recommendation.status", "recommendation.revised", "comment.reply")
#: Requests for action, each backed by an open co-author invitation: "needs your action"
#: is decided from the object's state when the digest is planned.
ACTIONS = ("coauthor.invited",)


def build(url: str, tmp: Path, port: int):
    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        INSTANCE_DIR = tmp
        MAIL_BACKEND = "smtp"
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = port
        MAIL_USE_TLS = False
        MAIL_USE_SSL = False
        MAIL_USERNAME = None

    app = create_app(Bench)
    with app.app_context():
        from seeds.loader import load_reference
        from seeds.scale import generate
        from tests.conftest import reset_database

        reset_database(db.engine)
        flask_migrate.upgrade()
        load_reference()
        generate(1000)
    return app


def populate(users: int, per_user: int) -> None:
    from app.auth.models import User
    from app.database import utcnow
    from app.digests.models import Notification
    from app.meetings.models import Meeting, Participant
    from app.recommendations.models import Recommendation, RecommendationAuthor

    random.seed(7)
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"digest{i}@bench.example",
                "name": f"Członek {i}",
                "role": "member",
                "language": "en" if i % 4 == 0 else "pl",
                "handle": f"digest{i}",  # a bulk insert skips the handle hook
                "digest_frequency": "daily",
                "digest_hour": now.astimezone(WARSAW).hour,  # the slot is this hour
                "password_hash": "x",
            }
            for i in range(users)
        ],
    )
    people = db.session.scalars(select(User.id).where(User.email.like("digest%"))).all()
    recs = db.session.execute(select(Recommendation.id, Recommendation.title)).all()
    drafts = db.session.execute(
        select(Recommendation.id, Recommendation.title).where(
            Recommendation.status.in_(("draft", "discussion"))
        )
    ).all()
    rows, invited = [], set()
    for user_id in people:
        for n in range(per_user + per_user // 4):
            asks = n % 5 == 0
            rec_id, title = random.choice(drafts if asks else recs)
            if asks:
                invited.add((rec_id, user_id))
            rows.append(
                {
                    "user_id": user_id,
                    "kind": ACTIONS[n % len(ACTIONS)] if asks else KINDS[n % 4],
                    "actor_id": random.choice(people),
                    "target_type": "recommendation",
                    "target_id": rec_id,
                    "url": f"/recommendations/{rec_id}",
                    "data": {"title": title},
                    "created_at": now - timedelta(hours=n),
                    # The extra quarter was read in the app and stays out of the digest.
                    "read_at": now if n >= per_user else None,
                }
            )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Notification), rows[start : start + 5000])
    invitations = [
        {"recommendation_id": rec_id, "user_id": user_id, "state": "invited"}
        for rec_id, user_id in sorted(invited)
    ]
    for start in range(0, len(invitations), 5000):
        db.session.execute(insert(RecommendationAuthor), invitations[start : start + 5000])
    owner = people[0]
    meetings = []
    for days in (3, 9):
        meeting = Meeting(
            subgroup_id=1,
            title=f"Posiedzenie podgrupy za {days} dni",
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=2),
            mode="online",
            created_by_id=owner,
        )
        db.session.add(meeting)
        meetings.append(meeting)
    db.session.flush()
    db.session.execute(
        insert(Participant),
        [
            {"meeting_id": m.id, "user_id": user_id, "role": "participant"}
            for m in meetings
            for user_id in people
        ],
    )
    db.session.commit()


def measure(
    app, users: int, per_user: int, only_tick: bool = False
) -> list[tuple[str, float, int]]:
    from app.auth.models import User
    from app.database import utcnow
    from app.digests.digest import plan_round, queue_round
    from app.mailqueue import deliver_due

    def every_subscriber():
        # The floor: what each tick read before the SQL pre-filter.
        return len(db.session.scalars(select(User).where(User.digest_frequency != "off")).all())

    def idle_tick():
        # Six hours after everyone's slot: nobody is due, nothing is read for them.
        return len(plan_round(utcnow() + timedelta(hours=6)).digests)

    results = []
    with app.app_context():
        populate(users, per_user)
        engine = db.engine
        steps = [
            ("tick, nobody due (floor: all)", every_subscriber),
            ("tick, nobody due", idle_tick),
        ]
        if not only_tick:
            steps += [
                ("queue (plan, render, ledger)", queue_round),
                ("deliver over SMTP", lambda: deliver_due(limit=users + 10)),
            ]
        for label, step in steps:
            statements: list[int] = []

            def count(*_args, _seen=statements, **_kwargs):
                _seen.append(1)

            event.listen(engine, "before_cursor_execute", count)
            started = time.perf_counter()
            outcome = step()
            elapsed = time.perf_counter() - started
            event.remove(engine, "before_cursor_execute", count)
            print(f"{label}: {outcome}")
            results.append((label, elapsed, len(statements)))
    return results


class _Counter:
    """An SMTP handler that takes every message and counts it."""

    def __init__(self, received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.received.get_lock():
            self.received.value += 1
        return "250 Message accepted for delivery"


def _serve_smtp(port, received, ready, stop) -> None:
    """Runs in its own process, as a mail server runs beside the app: its work and its
    share of the interpreter lock are not the sender's."""
    from aiosmtpd.controller import Controller

    controller = Controller(_Counter(received), hostname="127.0.0.1", port=port.value)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def main() -> None:
    import multiprocessing
    import socket

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000, help="members with a digest due")
    parser.add_argument("--per-user", type=int, default=12, help="unread notifications each")
    parser.add_argument(
        "--only-tick", action="store_true", help="time the idle tick alone (for many members)"
    )
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    spawn = multiprocessing.get_context("spawn")
    port, received = spawn.Value("i", free_port), spawn.Value("i", 0)
    ready, stop = spawn.Event(), spawn.Event()
    server = spawn.Process(target=_serve_smtp, args=(port, received, ready, stop), daemon=True)
    server.start()
    if not ready.wait(30):
        raise SystemExit("the SMTP server did not start")
    try:
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder)
            url = _normalise_db_url(os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'b.db'}"))
            app = build(url, tmp, free_port)
            results = measure(app, args.users, args.per_user, args.only_tick)
    finally:
        stop.set()
        server.join(30)
    engine = url.split(":", 1)[0]
    print(f"\n{args.users} members, {args.per_user} unread notifications each, {engine}")
    print(f"{'step':<30} {'total s':>8} {'ms/member':>10} {'SQL/member':>11}")
    for label, elapsed, statements in results:
        per = 1000 * elapsed / args.users
        print(f"{label:<30} {elapsed:>8.3f} {per:>10.3f} {statements / args.users:>11.3f}")
    if not args.only_tick:
        total = sum(elapsed for label, elapsed, _ in results if not label.startswith("tick"))
        print(f"a full round (queue and deliver): {total:.1f} s")
    print(f"messages received by the SMTP server (in its own process): {received.value}")


if __name__ == "__main__":
    main()
