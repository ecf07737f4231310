"""Server-side timings of the recommendation pages over a large data set.

    .venv/bin/python bench/pages.py                  # 10,000 recommendations, SQLite
    .venv/bin/python bench/pages.py --n 1000 --repeat 10
    DATABASE_URL=postgresql://... .venv/bin/python bench/pages.py   # an empty database!

Builds a fresh database (migrations, reference data, `seeds/scale.py`), adds one
recommendation with 200 comments and 30 revisions, logs a member in, and times each
page through the WSGI app (no network): median and 95th percentile of `--repeat`
requests after a warm-up, plus the SQL statements per request."""

import argparse
import gc
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig, _normalise_db_url  # noqa: E402


def build(url: str, n: int, tmp: Path):
    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        INSTANCE_DIR = tmp
        MAIL_OUTBOX_DIR = tmp / "outbox"

    app = create_app(Bench)
    with app.app_context():
        from seeds.loader import load_reference
        from seeds.scale import generate
        from tests.conftest import reset_database

        reset_database(db.engine)
        flask_migrate.upgrade()
        load_reference()
        started = time.perf_counter()
        generate(n)
        print(f"generated {n} recommendations in {time.perf_counter() - started:.1f} s")
        focus = enrich_one()
        member = make_member()
        if db.engine.dialect.name == "postgresql":
            # Planner statistics, as autovacuum would have them after such a load: without
            # them PostgreSQL may plan the search as a scan of every row.
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
    # The generator's leftovers are no part of a server process; without this, a full
    # collection of them every few hundred requests would show up as the p95.
    gc.collect()
    gc.freeze()
    return app, focus, member


class Focus(NamedTuple):
    """The recommendations with long discussions that the detail page is timed on."""

    detail: int  # 200 comments and 30 revisions
    long: int  # 2,000 comments
    meeting: int  # 40 agenda items, 200 participants
    strategy: int  # a 200,000-character document


def add_discussion(rec_id: int, count: int, people: list[int]) -> None:
    """``count`` comments on one recommendation, a quarter of them replies, stored with
    their HTML as the app stores them."""
    from app.recommendations.models import Comment
    from app.text import RENDER_VERSION, render_markdown

    def row(i: int, parent_id: int | None = None) -> dict:
        body = f"Głos w dyskusji numer {i}, z **pogrubieniem** i [odnośnikiem](https://example.org/{i})."
        return {
            "recommendation_id": rec_id,
            "author_id": people[i % len(people)],
            "body": body,
            "body_html": str(render_markdown(body)),
            "html_version": RENDER_VERSION,
            "stance": ("for", "against", None)[i % 3],
            "parent_id": parent_id,
        }

    top = count * 3 // 4
    db.session.execute(insert(Comment), [row(i) for i in range(top)])
    roots = db.session.scalars(
        select(Comment.id).where(Comment.recommendation_id == rec_id, Comment.parent_id.is_(None))
    ).all()
    db.session.execute(
        insert(Comment), [row(top + i, roots[(i * 7) % len(roots)]) for i in range(count - top)]
    )


def enrich_one() -> Focus:
    """One recommendation with a long discussion (200 comments) and 30 revisions, and
    another with 2,000 comments."""
    from app.auth.models import User
    from app.recommendations.models import Recommendation, Revision

    first, second = db.session.scalars(
        select(Recommendation).order_by(Recommendation.id).limit(2)
    ).all()
    rec = first
    people = db.session.scalars(select(User.id).limit(20)).all()
    add_discussion(first.id, 200, people)
    add_discussion(second.id, 2000, people)
    db.session.execute(
        insert(Revision),
        [
            {
                "recommendation_id": rec.id,
                "number": n,
                "recommendation_version": 1,
                "title": rec.title,
                "summary": rec.summary,
                "body": rec.body + f"\n\nZmiana {n}.",
                "author_id": people[n % len(people)],
                "note": f"zmiana {n}",
            }
            for n in range(2, 32)
        ],
    )
    db.session.commit()
    return Focus(first.id, second.id, big_meeting(people), long_strategy())


def big_meeting(people: list[int]) -> int:
    """A planned meeting with a published agenda of 40 items and 200 participants."""
    from sqlalchemy import delete

    from app.auth.models import User
    from app.database import utcnow
    from app.meetings.models import AgendaItem, Meeting, Participant

    meeting = db.session.scalars(
        select(Meeting).where(Meeting.status == "planned").order_by(Meeting.starts_at)
    ).first()
    db.session.execute(delete(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    db.session.execute(delete(Participant).where(Participant.meeting_id == meeting.id))
    meeting.agenda_published_at = utcnow()
    kinds = ("expert_talk", "presentation", "discussion", "decision", "break")
    db.session.execute(
        insert(AgendaItem),
        [
            {
                "meeting_id": meeting.id,
                "position": n,
                "kind": kinds[n % len(kinds)],
                "title": f"Punkt {n}: doświadczenia miast w programach dla absolwentów",
                "speaker_user_id": people[n % len(people)],
                "planned_minutes": 10,
            }
            for n in range(1, 41)
        ],
    )
    members = db.session.scalars(select(User.id).order_by(User.id).limit(200)).all()
    db.session.execute(
        insert(Participant),
        [
            {
                "meeting_id": meeting.id,
                "user_id": user_id,
                "role": "speaker" if n < 10 else "participant",
                "answer": ("accepted", "declined", "pending")[n % 3],
            }
            for n, user_id in enumerate(members)
        ],
    )
    db.session.commit()
    return meeting.id


def long_strategy() -> int:
    """A strategy whose document text is 200,000 characters."""
    from app.strategies.models import SmartStrategy

    strategy = db.session.scalars(select(SmartStrategy).order_by(SmartStrategy.id)).first()
    paragraph = (
        "Miasto wspiera transformację energetyczną, rozwój transportu publicznego, "
        "retencję wody i zieloną infrastrukturę, a także cyfrowe usługi dla mieszkańców. "
    )
    strategy.full_text = (paragraph * (200_000 // len(paragraph) + 1))[:200_000]
    db.session.commit()
    return strategy.id


def make_member():
    from app.auth.services import create_user

    password = "benchmark password 2026"
    create_user("bench@warsztat.example", "Bench", "member", password=password)
    return "bench@warsztat.example", password


def login(client, member) -> None:
    """Log ``member`` (email, password) in on the test ``client``."""
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post(
        "/auth/login", data={"email": member[0], "password": member[1], "csrf_token": token}
    )


def time_pages(
    app, focus: Focus, member, repeat: int, urls: dict[str, str] | None = None
) -> list[tuple[str, float, float, int]]:
    """(label, median ms, p95 ms, SQL statements) per page, logged in as ``member``."""
    client = app.test_client()
    login(client, member)
    urls = urls or {
        "list": "/recommendations/",
        "list, filtered by area and sorted": "/recommendations/?area=G03&sort=support",
        "list, page 40": "/recommendations/?page=40",
        "search 'lodz'": "/recommendations/?q=lodz",
        "search 'program absolw'": "/recommendations/?q=program%20absolw",
        "detail (200 comments, 30 revisions)": f"/recommendations/{focus.detail}",
        "detail (2,000 comments)": f"/recommendations/{focus.long}",
        "history (30 revisions, compare)": f"/recommendations/{focus.detail}/history",
        "meeting (40 agenda items, 200 participants)": f"/meetings/{focus.meeting}",
        "strategy (200,000-character document)": f"/strategies/{focus.strategy}",
        "dashboard": "/",
    }
    results = []
    with app.app_context():
        engine = db.engine
    for label, url in urls.items():
        statements: list[int] = []

        def count(*_args, _seen=statements, **_kwargs):
            _seen.append(1)

        for _ in range(3):  # warm up
            assert client.get(url).status_code == 200, url
        event.listen(engine, "before_cursor_execute", count)
        timings = []
        for _ in range(repeat):
            statements.clear()
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        event.remove(engine, "before_cursor_execute", count)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
        results.append((label, statistics.median(timings), p95, len(statements)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="recommendations to generate")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = _normalise_db_url(os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'b.db'}"))
        app, focus, member = build(url, args.n, tmp)
        results = time_pages(app, focus, member, args.repeat)
    engine = url.split(":", 1)[0]
    print(f"\n{args.n} recommendations, {engine}, {args.repeat} requests per page")
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'SQL':>5}")
    for label, median, p95, statements in results:
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {statements:>5}")


if __name__ == "__main__":
    main()
