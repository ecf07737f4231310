"""Four sender processes against one PostgreSQL database send every mail exactly once."""

import multiprocessing
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mailqueue import SENT, OutgoingMail, enqueue
from tests.conftest import build_app, separate_database, smtp_controller
from tests.workers import deliver_until_done, digest_round_then_deliver


@pytest.mark.postgres_only
@pytest.mark.own_app
def test_four_senders_deliver_each_mail_exactly_once(database_url, tmp_path):
    from tests.conftest import Outbox

    url = separate_database(database_url, "mail", tmp_path)
    app = build_app(url, tmp_path)
    with app.app_context():
        for n in range(120):
            enqueue(
                f"concurrency:{n}",
                kind="test",
                to=f"person{n}@example.org",
                subject=f"Wiadomość {n}",
                text="Treść.",
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    outbox = Outbox()
    controller = smtp_controller(outbox)
    controller.start()
    port = controller.port
    try:
        context = multiprocessing.get_context("spawn")
        start = context.Manager().Event()
        with context.Pool(4) as pool:
            results = [
                pool.apply_async(deliver_until_done, (url, port, str(tmp_path), start))
                for _ in range(4)
            ]
            start.set()
            sent = [r.get(timeout=120) for r in results]
    finally:
        controller.stop()

    ids = Counter(message["Message-ID"] for message in outbox.messages)
    assert len(ids) == 120 and max(ids.values()) == 1, ids.most_common(3)
    assert sum(sent) == 120
    assert sum(1 for n in sent if n) >= 2, f"the processes did not overlap: {sent}"
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(OutgoingMail).where(OutgoingMail.status == SENT)
            )
            == 120
        )
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres_only
@pytest.mark.own_app
def test_four_schedulers_queue_and_send_each_digest_exactly_once(database_url, tmp_path):
    from app.digests.models import Notification
    from tests import factories
    from tests.conftest import Outbox

    url = separate_database(database_url, "mail", tmp_path)
    app = build_app(url, tmp_path)
    # Due now: the members' slot is the hour it is now in Warsaw.
    due_hour = datetime.now(ZoneInfo("Europe/Warsaw")).hour
    with app.app_context():
        author = factories.make_user("member")
        rec = factories.make_recommendation(author=author, status="discussion")
        people = []
        for _ in range(40):
            person = factories.make_user("member")
            person.digest_frequency, person.digest_hour = "daily", due_hour
            people.append(person.email)
            for kind in ("comment.new", "coauthor.invited"):
                db.session.add(
                    Notification(
                        user_id=person.id,
                        kind=kind,
                        target_type="recommendation",
                        target_id=rec.id,
                        url=f"/recommendations/{rec.id}",
                        data={"title": rec.title},
                    )
                )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    outbox = Outbox()
    controller = smtp_controller(outbox)
    controller.start()
    port = controller.port
    now = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    try:
        context = multiprocessing.get_context("spawn")
        start = context.Manager().Event()
        with context.Pool(4) as pool:
            results = [
                pool.apply_async(digest_round_then_deliver, (url, port, str(tmp_path), start, now))
                for _ in range(4)
            ]
            start.set()
            outcomes = [r.get(timeout=120) for r in results]
    finally:
        controller.stop()

    recipients = Counter(message["To"] for message in outbox.messages)
    assert sorted(recipients) == sorted(people) and max(recipients.values()) == 1
    assert sum(queued for queued, _ in outcomes) == 40
    assert sum(sent for _, sent in outcomes) == 40
    with app.app_context():
        left = db.session.scalar(
            select(func.count()).select_from(Notification).where(Notification.digested_at.is_(None))
        )
        assert left == 0
        db.session.remove()
        db.engine.dispose()
