"""The strategy catalogue's search over many strategies with long document texts.

    .venv/bin/python bench/strategy_search.py              # 5,000 strategies, SQLite
    .venv/bin/python bench/strategy_search.py --strategies 20000 --words 3000
    DATABASE_URL=postgresql://... .venv/bin/python bench/strategy_search.py  # an empty database!

Builds a fresh database (migrations, reference data, `seeds/scale.py` with the given
number of strategies), gives every strategy a document text of `--words` words drawn
from the generator's sentences, indexes them through the strategy services, and times
the catalogue page `/strategies/?q=...` through the WSGI app (no network) for a few
queries, and the search's own query against a floor measured in the same run: the
substring scan the catalogue used before (`lower(column) LIKE '%text%'` over the titles,
place, summary, keywords and text; it also found neither "lodz" in "Łódź" nor words
out of order). Prints the median and 95th percentile of each, and what each found."""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import func, or_, select  # noqa: E402

from app import create_app, search  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig, _normalise_db_url  # noqa: E402
from tests.factories import DEFAULT_PASSWORD  # noqa: E402

#: A prefix planted in 2 % of the texts, two words planted together in 1 %, a city
#: (in the place field, with its capital Ł), and two words from every text.
QUERIES = ("tramwaj", "retencji wody", "Łódź", "samorzady doradztwem")
PLANTED = (("tramwajowej", 0.02), ("retencji wody deszczowej", 0.01))


def build(url: str, tmp: Path, strategies: int, words: int):
    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        INSTANCE_DIR = tmp

    app = create_app(Bench)
    with app.app_context():
        from app.strategies import services
        from app.strategies.models import SmartStrategy
        from seeds.loader import load_reference
        from seeds.scale import SENTENCES, generate
        from tests.conftest import reset_database
        from tests.factories import make_user

        reset_database(db.engine)
        flask_migrate.upgrade()
        load_reference()
        started = time.perf_counter()
        generate(200, strategies=strategies)
        rng = random.Random(7)
        # The generator's sentences and 20,000 made-up words, drawn by a Zipf-like law,
        # so that most words are rare, as in real documents.
        common = " ".join(SENTENCES).split()
        vocabulary = common + [f"termin{n}" for n in range(20_000)]
        weights = [50.0] * len(common) + [1.0 / (n + 1) for n in range(20_000)]
        for strategy in db.session.scalars(select(SmartStrategy)):
            text = rng.choices(vocabulary, weights=weights, k=words)
            for phrase, share in PLANTED:
                if rng.random() < share:
                    text.insert(rng.randrange(len(text)), phrase)
            strategy.full_text = " ".join(text)
            services.reindex(strategy)
        db.session.commit()
        print(
            f"{strategies} strategies of {words} words built and indexed in "
            f"{time.perf_counter() - started:.1f} s"
        )
        make_user("member", email="bench@example.org")
    return app


def like_scan(q: str):
    """The floor: the catalogue's old search, a substring scan of five columns."""
    from app.strategies.models import SmartStrategy

    pattern = f"%{q.lower()}%"
    columns = (
        SmartStrategy.title_original,
        SmartStrategy.title_en,
        SmartStrategy.place,
        SmartStrategy.summary,
        SmartStrategy.keywords,
        SmartStrategy.full_text,
    )
    return select(SmartStrategy.id).where(or_(*(func.lower(c).like(pattern) for c in columns)))


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", type=int, default=5000)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="warsztat-bench-"))
    url = _normalise_db_url(os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'bench.db'}"))
    app = build(url, tmp, args.strategies, args.words)
    client = app.test_client()
    with app.app_context():
        page = client.get("/auth/login").get_data(as_text=True)
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        client.post(
            "/auth/login",
            data={"email": "bench@example.org", "password": DEFAULT_PASSWORD, "csrf_token": token},
        )
        print(
            f"{'query':<16} {'page ms (p95)':>16} {'search ms (p95)':>17} "
            f"{'floor LIKE ms (p95)':>21} {'found':>6} {'LIKE':>6}"
        )
        for q in QUERIES:
            page = timed(lambda q=q: client.get("/strategies/", query_string={"q": q}), args.repeat)
            ids = search.matching_strategy_ids(q)
            fts = timed(lambda ids=ids: db.session.execute(ids).all(), args.repeat)
            floor = timed(lambda q=q: db.session.execute(like_scan(q)).all(), args.repeat)
            found = len(db.session.execute(ids).all())
            scanned = len(db.session.execute(like_scan(q)).all())
            print(
                f"{q:<16} {page[0]:>8.1f} ({page[1]:>5.1f}) {fts[0]:>9.1f} ({fts[1]:>5.1f}) "
                f"{floor[0]:>13.1f} ({floor[1]:>5.1f}) {found:>6} {scanned:>6}"
            )


if __name__ == "__main__":
    main()
