"""Where the time of one logged-in request goes, page by page.

    .venv/bin/python bench/profile.py                 # 10,000 recommendations, SQLite
    .venv/bin/python bench/profile.py --n 1000 --repeat 20 --top 15

Builds the same data as bench/pages.py (a recommendation with 200 comments and 30
revisions among `--n`), logs a member in, and profiles `--repeat` requests of the list,
the dashboard, the detail page and the strategy portal with cProfile through the WSGI
app. Each function's own time (not what it calls) is put in one group by where its code
lives, and the groups are printed per page in milliseconds per request:

    layout          templates/base.html and what it includes (header, bell, flashes)
    content         every other template: the page itself
    Jinja           Jinja's runtime (escaping, filters, loops, macros)
    user loading    Flask-Login and the app's user loader
    session         Flask's session, itsdangerous signing
    CSRF            Flask-WTF's token
    Babel           date and number formatting (babel.dates, babel.numbers, Flask-Babel)
    gettext         translations and lazy strings
    ORM             SQLAlchemy's ORM and Core, building statements and rows
    SQL             the database driver (sqlite3, psycopg)
    Markdown        markdown-it, nh3 and the app's text module
    Flask           Flask and Werkzeug (routing, url_for, request and response)
    app             the app's own Python code
    rest            everything else (the standard library, other packages)

`--top` also lists the functions with the most own time across all pages."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# This file's name hides the standard library's `profile`, which cProfile imports: take
# this folder off the path until cProfile is in.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import re  # noqa: E402
import tempfile  # noqa: E402
from collections import defaultdict  # noqa: E402

sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from pages import build, login  # noqa: E402

from config import _normalise_db_url  # noqa: E402

ROOT = HERE.parent
LAYOUT = ("templates/base.html", "templates/_macros.html", "templates/notifications/_bell.html")
LAYOUT += ("templates/_partials/flashes.html",)
# (group, pattern over "filename:function"), first match wins.
GROUPS = (
    ("layout", "|".join(re.escape(str(ROOT / path)) for path in LAYOUT)),
    ("content", re.escape(str(ROOT / "templates")) + r"/"),
    ("SQL", r"sqlite3|psycopg"),
    ("user loading", r"flask_login/|app/auth/sessions\.py:load_user"),
    ("session", r"flask/sessions\.py|itsdangerous/|app/auth/sessions\.py"),
    ("CSRF", r"flask_wtf/csrf\.py|wtforms/csrf"),
    ("gettext", r"gettext\.py|flask_babel/__init__\.py:(gettext|ngettext|lazy|_get_)|speaklater"),
    ("gettext", r"babel/support\.py|LazyString|babel/messages"),
    ("Babel", r"/babel/|flask_babel/"),
    ("Markdown", r"markdown_it/|mdurl/|nh3|app/text\.py|linkify"),
    ("ORM", r"/sqlalchemy/"),
    ("Jinja", r"/jinja2/|markupsafe"),
    ("Flask", r"/flask/|/werkzeug/|flask_htmx|flask_sqlalchemy"),
    ("app", re.escape(str(ROOT / "app")) + r"/"),
)
NAMES = [
    "layout",
    "content",
    "Jinja",
    "user loading",
    "session",
    "CSRF",
    "Babel",
    "gettext",
    "ORM",
    "SQL",
    "Markdown",
    "Flask",
    "app",
    "rest",
]


def group_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    for name, pattern in GROUPS:
        if re.search(pattern, where):
            return name
    return "rest"


def profile(client, url: str, repeat: int) -> pstats.Stats:
    for _ in range(3):  # warm up: compiled templates, caches
        assert client.get(url).status_code == 200, url
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(url)
    profiler.disable()
    return pstats.Stats(profiler)


def by_group(stats: pstats.Stats, repeat: int) -> dict[str, float]:
    """Own time per group, in milliseconds per request."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        totals[group_of(filename, function)] += own * 1000 / repeat
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="recommendations to generate")
    parser.add_argument("--repeat", type=int, default=30, help="profiled requests per page")
    parser.add_argument("--top", type=int, default=0, help="list the N costliest functions")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = _normalise_db_url(os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'b.db'}"))
        app, focus, member = build(url, args.n, tmp)
        with app.app_context():
            from sqlalchemy import func, select

            from app.extensions import db
            from app.strategies.models import SmartStrategy

            strategy_id = db.session.scalar(select(func.min(SmartStrategy.id)))
        pages = {
            "list": "/recommendations/",
            "dashboard": "/",
            "detail (200 comments)": f"/recommendations/{focus.detail}",
            "detail (2,000 comments)": f"/recommendations/{focus.long}",
            "strategy portal": "/strategies/",
        }
        if strategy_id:
            pages["strategy page"] = f"/strategies/{strategy_id}"
        client = app.test_client()
        login(client, member)
        results, everything = {}, None
        for label, page in pages.items():
            stats = profile(client, page, args.repeat)
            results[label] = by_group(stats, args.repeat)
            everything = stats if everything is None else everything.add(stats)
    engine = url.split(":", 1)[0]
    print(f"\n{args.n} recommendations, {engine}, {args.repeat} profiled requests per page")
    print("own time per request in ms, by group (cProfile adds its own overhead to every call)")
    labels = list(results)
    print(f"{'group':<14}" + "".join(f"{label[:16]:>18}" for label in labels))
    for name in NAMES:
        print(f"{name:<14}" + "".join(f"{results[label].get(name, 0):>18.2f}" for label in labels))
    print(f"{'total':<14}" + "".join(f"{sum(results[label].values()):>18.2f}" for label in labels))
    if args.top and everything is not None:
        print(f"\nthe {args.top} functions with the most own time, all pages together")
        everything.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
