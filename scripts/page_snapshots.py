"""Save the HTML of the main pages, to compare two versions of the code.

    .venv/bin/python scripts/page_snapshots.py /tmp/before
    (change the code)
    .venv/bin/python scripts/page_snapshots.py /tmp/after
    diff -rwB /tmp/before /tmp/after     # -wB: a template line that is gone leaves its indent

Builds a fresh SQLite database with the demo data, logs in as each role and saves each
page it may open. What differs between any two runs is blanked: CSRF tokens, one-time
submission keys, the nonce of the Content-Security-Policy and the times of the demo
data, made at run time. A speed change should
leave no difference; a change that means to alter a page shows exactly where."""

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

PAGES = (
    "/",
    "/recommendations/",
    "/recommendations/?q=rynek",
    "/recommendations/1",
    "/recommendations/1/history",
    "/problems/",
    "/problems/G01",
    "/meetings/",
    "/meetings/1",
    "/strategies/",
    "/strategies/1",
    "/strategies/1/classify",
    "/exports/",
    "/notifications/",
    "/account/",
)
VARYING = (
    (re.compile(r'(name="[\w-]*csrf[-_]token" (?:content|value)=")[^"]+'), r"\1…"),
    (re.compile(r'(name="submission_key"[^>]*value=")[^"]+'), r"\1…"),
    (re.compile(r'(nonce=")[^"]+'), r"\1…"),
    # The demo data is made at run time: its times differ by the seconds between runs.
    (re.compile(r'(<time datetime=")[^"]+("[^>]*>)[^<]*'), r"\1…\2…"),
)


def add_discussion(report) -> None:
    """A thread on recommendation 1 with what a comment can show: replies three deep,
    mentions, a stance, an edit and a deletion, by the member account (so the member's
    page has the edit and delete forms) and by others."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.recommendations import services
    from app.recommendations.models import Recommendation

    member_email = next(email for email, role, _password in report.passwords if role == "member")
    member = db.session.scalar(select(User).where(User.email == member_email))
    other = db.session.scalar(select(User).where(User.id != member.id).order_by(User.id))
    rec = db.session.get(Recommendation, 1)
    first = services.add_comment(rec, other, f"Pierwszy **głos**, @{member.handle}.", stance="for")
    reply = services.add_comment(rec, member, "Odpowiedź.", parent_id=first.id)
    deeper = services.add_comment(rec, other, "Głębiej.", parent_id=reply.id, stance="against")
    services.add_comment(rec, member, "Najgłębiej.", parent_id=deeper.id)
    gone = services.add_comment(rec, member, "Do usunięcia.")
    services.delete_comment(gone, member)
    mine = services.add_comment(rec, member, "Mój głos.", stance="neutral")
    services.edit_comment(mine, member, "Mój *poprawiony* głos.")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)

        class Snapshot(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp / 'snap.db'}"
            INSTANCE_DIR = tmp
            MAIL_OUTBOX_DIR = tmp / "outbox"

        app = create_app(Snapshot)
        with app.app_context():
            from seeds.loader import load_demo, load_reference

            flask_migrate.upgrade()
            load_reference()
            report = load_demo()
            db.session.commit()
            add_discussion(report)
        accounts = {role: (email, password) for email, role, password in report.passwords}
        for role, (email, password) in sorted(accounts.items()):
            client = app.test_client()
            page = client.get("/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            client.post(
                "/auth/login", data={"email": email, "password": password, "csrf_token": token}
            )
            for path in PAGES:
                response = client.get(path)
                html = response.get_data(as_text=True)
                for pattern, blank in VARYING:
                    html = pattern.sub(blank, html)
                name = re.sub(r"[^a-z0-9]+", "_", path.strip("/").lower()) or "dashboard"
                (out / f"{role}--{name}.html").write_text(
                    f"<!-- {response.status_code} {path} -->\n{html}", encoding="utf-8"
                )
    print(f"saved {len(PAGES) * len(accounts)} pages in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
