"""Every benchmark in one run, written to bench/RESULTS.md (`make bench`).

    .venv/bin/python bench/run_all.py                 # about 10 minutes on 2 cores
    .venv/bin/python bench/run_all.py --quick         # smaller numbers, to try it out

1. Server time (median, p95 over `--repeat` requests, through the WSGI app) and SQL
   statements per request of the main pages, at 100 and at 10,000 recommendations,
   side by side, so growth shows.
2. Throughput under gunicorn (sync workers) on loopback for the recommendation list,
   next to a minimal Flask page that renders the same rows from the same database (the
   floor; the list shows 25 per page, so the floor renders those 25); the figure that
   matters is the ratio to the floor.
3. Export time and peak memory (`bench/exports.py`) and a digest round for 2,000
   members (`bench/digests.py`), each in its own process.

SQLite unless DATABASE_URL names an empty PostgreSQL database (which is dropped)."""

import argparse
import http.client
import importlib.util
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


from app.extensions import db  # noqa: E402
from app.permissions import VISIBLE_STATUSES_BY_ROLE  # noqa: E402
from config import _normalise_db_url  # noqa: E402


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _load("pages")
postgres = _load("postgres")


def page_urls(focus) -> dict[str, str]:
    return {
        "dashboard": "/",
        "problem area G03": "/problems/G03",
        "recommendation list": "/recommendations/",
        "list, area filter + sort": "/recommendations/?area=G03&sort=support",
        "search 'program absolw'": "/recommendations/?q=program%20absolw",
        "detail, 200 comments": f"/recommendations/{focus.detail}",
        "detail, 2,000 comments": f"/recommendations/{focus.long}",
        "meeting, 40 agenda items, 200 participants": f"/meetings/{focus.meeting}",
        "live meeting refresh (same meeting)": f"/meetings/{focus.meeting}/live/state",
        "strategy portal, facets": "/strategies/",
        "strategies, country + SDG": "/strategies/?country=PL&sdg=11",
        "strategy, 200,000-character document": f"/strategies/{focus.strategy}",
    }


def timed_pages(url: str, n: int, repeat: int, tmp: Path):
    app, focus, member = pages.build(url, n, tmp)
    rows = pages.time_pages(app, focus, member, repeat, page_urls(focus))
    with app.app_context():
        db.engine.dispose()
    return {label: (median, p95, statements) for label, median, p95, statements in rows}


# --- throughput -------------------------------------------------------------------------------

FLOOR_APP = '''
import os
from flask import Flask, request, session
from sqlalchemy import create_engine, text

app = Flask(__name__)
# The same signed session cookie as the measured page, read the same way.
app.secret_key = os.environ["SECRET_KEY"]
engine = create_engine(os.environ["BENCH_DB"])
STATUSES = [s for s in os.environ.get("BENCH_STATUSES", "").split(",") if s]
WHERE = "WHERE status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ") " if STATUSES else ""
QUERY = text(
    "SELECT id, title, summary, status, support_count FROM recommendations "
    + WHERE + "ORDER BY updated_at DESC, id DESC LIMIT 25"
)
# Compiled once, as the app's templates are.
PAGE = app.jinja_env.from_string("""<!doctype html><html lang="pl"><head><meta charset="utf-8">
<title>Floor</title></head><body><main><h1>Rekomendacje</h1><table><thead><tr><th>Nr</th>
<th>Tytuł</th><th>Status</th><th>Poparcie</th></tr></thead><tbody>{% for r in rows %}<tr>
<td>{{ r.id }}</td><td>{{ r.title }}<br><small>{{ r.summary }}</small></td><td>{{ r.status }}
</td><td>{{ r.support_count }}</td></tr>{% endfor %}</tbody></table></main></body></html>""")


# The search's floor: the same full-text condition on the same index as the app's
# search (app.search), with the rows of the list; the words as the app prepares them.
if engine.dialect.name == "postgresql":
    MATCHING = (
        "SELECT recommendation_id FROM recommendation_search WHERE "
        "to_tsvector('simple', document) @@ to_tsquery('simple', :q)"
    )
else:
    MATCHING = (
        "SELECT rowid FROM recommendation_search_fts WHERE recommendation_search_fts MATCH :q"
    )
SEARCH = text(
    "SELECT id, title, summary, status, support_count FROM recommendations "
    + (WHERE + "AND " if WHERE else "WHERE ") + f"id IN ({MATCHING}) "
    + "ORDER BY updated_at DESC, id DESC LIMIT 25"
)


@app.get("/floor")
def floor():
    session.get("_user_id")
    with engine.connect() as conn:
        rows = conn.execute(QUERY).mappings().all()
    return PAGE.render(rows=rows)


@app.get("/floor-search")
def floor_search():
    session.get("_user_id")
    words = request.args.get("q", "").split()
    if engine.dialect.name == "postgresql":
        wanted = " & ".join(f"{word}:*" for word in words)
    else:
        wanted = " ".join(f'"{word}"*' for word in words)
    with engine.connect() as conn:
        rows = conn.execute(SEARCH, {"q": wanted}).mappings().all()
    return PAGE.render(rows=rows)
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def _load_generate(port: int, path: str, cookie: str | None, seconds: float, threads: int):
    """Requests per second from ``threads`` clients, each waiting for its answer."""
    stop = time.perf_counter() + seconds
    done, failed = [0] * threads, [0] * threads

    def worker(i):
        headers = {"Cookie": cookie} if cookie else {}
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                else:
                    failed[i] += 1
            except OSError:
                failed[i] += 1
            finally:
                conn.close()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return sum(done) / elapsed, sum(failed)


def throughput(url: str, tmp: Path, member, seconds: float, workers: int) -> dict:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    (tmp / "floor_app.py").write_text(FLOOR_APP)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BENCH_DB": url,
        "SECRET_KEY": "bench-secret-key-bench-secret-key",
        "WARSZTAT_SCHEDULER": "off",
        "WARSZTAT_ENV": "development",
        "PYTHONPATH": f"{ROOT}:{tmp}",
        # The floor reads the rows a member sees on the list, in the list's order.
        "BENCH_STATUSES": ",".join(VISIBLE_STATUSES_BY_ROLE.get("member") or ()),
    }
    app_port, floor_port = _free_port(), _free_port()
    common = ["--workers", str(workers), "--worker-class", "sync", "--log-level", "warning"]
    common.append("--no-control-socket")
    procs = [
        subprocess.Popen(
            [
                gunicorn,
                *common,
                "--bind",
                f"127.0.0.1:{app_port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [
                gunicorn,
                *common,
                "--bind",
                f"127.0.0.1:{floor_port}",
                "floor_app:app",
            ],
            cwd=tmp,
            env=env,
        ),
    ]
    try:
        _wait(app_port)
        _wait(floor_port)
        cookie = _login_cookie(app_port, member, "/recommendations/")
        pages = (
            ("floor: the same 25 rows, bare Flask + SQLAlchemy Core", floor_port, "/floor"),
            ("recommendation list (25 rows, full layout)", app_port, "/recommendations/"),
            ("dashboard", app_port, "/"),
            (SEARCH_FLOOR, floor_port, "/floor-search?q=program%20absolw"),
            (
                "search 'program absolw' (list layout)",
                app_port,
                "/recommendations/?q=program%20absolw",
            ),
        )
        for _label, port, path in pages:
            _load_generate(port, path, cookie, 2, 4)  # warm up
        # Interleaved rounds: a drift of the machine (another process, the CPU's clock)
        # touches the floor and the pages alike, and the median of each is compared.
        rounds: dict[str, list[tuple[float, int]]] = {label: [] for label, _, _ in pages}
        for _round in range(ROUNDS):
            for label, port, path in pages:
                rounds[label].append(_load_generate(port, path, cookie, seconds, workers * 2))
        return {
            label: (statistics.median(rate for rate, _ in runs), sum(f for _, f in runs))
            for label, runs in rounds.items()
        }
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


#: Rounds of the throughput measurement; each page's figure is the median.
ROUNDS = 3
#: The search's own floor: the same full-text query on the same index, bare.
SEARCH_FLOOR = "search floor: the same query on the same index, bare Flask + Core"


def _login_cookie(port: int, member, page: str) -> str:
    """The cookies of a member logged in who has opened ``page`` once: the first page
    after the login sets the session again, and a jar without that cookie would make
    every measured request re-sign it."""
    from urllib.parse import urlencode

    jar: dict[str, str] = {}
    response, body = _request(port, "GET", "/auth/login", jar)
    token = re.search(r'name="csrf-token" content="([^"]+)"', body).group(1)
    form = urlencode({"email": member[0], "password": member[1], "csrf_token": token})
    response, _ = _request(port, "POST", "/auth/login", jar, form)
    assert response.status in (302, 303), response.status
    _request(port, "GET", page, jar)
    response, _ = _request(port, "GET", page, jar)
    assert response.status == 200, response.status
    if response.headers.get_all("Set-Cookie"):
        raise RuntimeError(f"{page} sets a cookie on every request: the bench would measure that")
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def _request(port: int, method: str, path: str, jar: dict[str, str], form: str | None = None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
    if form is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=form, headers=headers)
    response = conn.getresponse()
    body = response.read().decode()
    for cookie in response.headers.get_all("Set-Cookie") or []:
        name, _, value = cookie.split(";")[0].partition("=")
        jar[name.strip()] = value
    conn.close()
    return response, body


# --- the whole run ----------------------------------------------------------------------------


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return "\n".join(line for line in result.stdout.splitlines() if "INFO" not in line)


def database_sections(
    kind: str,
    number: str,
    tmp: Path,
    sizes: tuple[int, int],
    repeat: int,
    seconds: float,
    workers: int,
    given: str | None,
) -> list[str]:
    """The page table (section 1) and the throughput against the floor (section 2) on
    one kind of database; ``given`` is a PostgreSQL URL, None for SQLite files."""
    lines = []
    timings = {}
    for n in sizes:
        url = _normalise_db_url(given or f"sqlite:///{tmp / f'pages{n}.db'}")
        print(f"{kind}: pages at {n} recommendations ...", flush=True)
        timings[n] = timed_pages(url, n, repeat, tmp)
    small, large = sizes
    lines += [
        f"## {number}. Server time per page ({kind}, {repeat} requests each, through the WSGI app)",
        "",
        f"| page | median ms @ {small} | p95 ms @ {small} | SQL @ {small} "
        f"| median ms @ {large} | p95 ms @ {large} | SQL @ {large} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in timings[small]:
        a, b = timings[small][label], timings[large][label]
        lines.append(
            f"| {label} | {a[0]:.1f} | {a[1]:.1f} | {a[2]} | {b[0]:.1f} | {b[1]:.1f} | {b[2]} |"
        )
    flat = all(timings[small][k][2] == timings[large][k][2] for k in timings[small])
    lines += [
        "",
        "SQL statements per page are "
        + ("the same at both sizes." if flat else "**not** the same at both sizes."),
        "",
    ]

    print(f"{kind}: throughput under gunicorn ...", flush=True)
    url = _normalise_db_url(given or f"sqlite:///{tmp / f'pages{large}.db'}")
    if given:  # the page runs dropped the PostgreSQL data; build the large set again
        pages.build(url, large, tmp)
    member = ("bench@warsztat.example", "benchmark password 2026")
    rates = throughput(url, tmp, member, seconds, workers)
    floor = next(iter(rates.values()))[0]
    section = "2" if number == "1" else "2b"
    lines += [
        f"## {section}. Throughput under gunicorn ({kind}, {workers} sync workers, "
        f"{large} recommendations, {workers * 2} client threads on loopback, "
        f"{ROUNDS} interleaved rounds of {seconds} s, medians)",
        "",
        "| page | requests/s | failed | ratio to the floor |",
        "|---|---:|---:|---:|",
    ]
    search_floor = rates[SEARCH_FLOOR][0]
    for label, (rate, failed) in rates.items():
        # The search is compared with its own floor; every other page with the list's.
        base = search_floor if label == SEARCH_FLOOR or label.startswith("search '") else floor
        lines.append(f"| {label} | {rate:.0f} | {failed} | {rate / base:.2f} |")
    lines += [
        "",
        "The list and the dashboard are compared with the first floor (the list's 25 rows "
        "from the same database, bare Flask); the search with its own floor (the same "
        "full-text query on the same index, bare).",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small numbers, to try it out")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"))
    parser.add_argument(
        "--no-postgresql",
        dest="postgresql",
        action="store_false",
        help="skip the PostgreSQL page table and throughput (on by default where installed)",
    )
    args = parser.parse_args()
    sizes = (100, 1000) if args.quick else (100, 10_000)
    repeat = 20 if args.quick else 200
    seconds = 3 if args.quick else 15
    workers = 4
    started = time.perf_counter()
    lines = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (`bench/run_all.py`"
        f"{' --quick' if args.quick else ''}) on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}.",
        "",
    ]
    given = os.environ.get("DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if given:  # one database named by the caller
            lines += database_sections(
                "PostgreSQL", "1", tmp, sizes, repeat, seconds, workers, given
            )
        else:
            lines += database_sections("SQLite", "1", tmp, sizes, repeat, seconds, workers, None)
            if args.postgresql:
                with postgres.temporary_server(tmp) as url:
                    if url is None:
                        lines += ["PostgreSQL is not installed here: no figures for it.", ""]
                    else:
                        lines += database_sections(
                            "PostgreSQL", "1b", tmp, sizes, repeat, seconds, workers, url
                        )

    print("exports ...", flush=True)
    lines += [
        "## 3. Exports (each format in its own process; peak resident memory)",
        "",
        "```",
        _run("exports.py", "--n", str(1000 if args.quick else 10_000)),
        "```",
        "",
    ]
    if not args.quick:
        # The Word report is linear with flat memory: the same against its floor at 1,000
        # and 30,000 recommendations.
        lines += ["The Word report and its floor at other sizes:", "", "```"]
        for n in (1000, 30_000):
            lines.append(_run("exports.py", "--n", str(n), "--formats", "docx,floor"))
        lines += ["```", ""]
    print("digests ...", flush=True)
    lines += [
        "## 4. A digest round through a real SMTP server (aiosmtpd on loopback, its own process)",
        "",
        "```",
        _run("digests.py", "--users", str(200 if args.quick else 2000)),
        "```",
        "",
        "The idle tick alone with more members:",
        "",
        "```",
        _run("digests.py", "--users", str(1000 if args.quick else 10_000), "--only-tick"),
        "```",
        "",
    ]
    print("profile ...", flush=True)
    profile_args = ("--n", str(sizes[1]), "--repeat", "10" if args.quick else "30")
    lines += [
        "## 5. Where a request's time goes (`bench/profile.py`, own time by group)",
        "",
        "```",
        _run("profile.py", *profile_args).strip(),
        "```",
        "",
        f"Whole run: {time.perf_counter() - started:.0f} s.",
        "",
    ]

    Path(args.output).write_text("\n".join(lines))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
