"""Full-page screenshots of the main pages, per role, at phone and desktop width, in
Polish and in English: `make screenshots` (or `python scripts/screenshots.py --help`).

It builds a fresh demo installation in a temporary folder (migrations, `flask seed
--demo`, one account per role and language, a meeting running live with notes, a
decision and an action item), serves it with waitress on a free loopback port, and
drives the system Chromium through Playwright. The PNGs go to `screenshots/<label>/`
(not committed), named `<page>--<role>--<language>--<width>.png`, with an index.html
that shows them side by side.

Nothing here is a test: it is for looking. The checks that must hold (no sideways
scrolling, axe, HTML validity) are in the test suite."""

import argparse
import contextlib
import html
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROLES = ("admin", "facilitator", "member", "reviewer")
LANGUAGES = ("pl", "en")  # by default; --languages cs,sk,hu for the others
ALL_LANGUAGES = ("pl", "en", "cs", "sk", "hu")
WIDTHS = (390, 1366)
PASSWORD = "screenshots-password-123"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@dataclass
class Page:
    name: str
    path: str
    roles: tuple[str, ...] = ROLES
    # A refused form: the page is opened, then its form sent empty.
    submit: str | None = None


DISCUSSION = (
    "Popieram kierunek, ale pilotaż powinien objąć także **miasta poniżej 50 tys.** mieszkańców.",
    "Brakuje mi wskaźników: ilu absolwentów faktycznie wróciło po dwóch latach?",
    "W Tarnowie podobny program działa od 2019 r.; możemy podzielić się danymi.",
    "Nie zgadzam się z finansowaniem wyłącznie z budżetu miasta — potrzebny jest udział "
    "pracodawców.\n\n- ulgi w podatku lokalnym\n- wspólne biuro karier",
    "Proponuję dopisać uczelnie jako partnerów, bez nich baza kontaktów szybko się zestarzeje.",
    "Czy ktoś sprawdził, jak to wygląda w Czechach? Brno ma program dla wracających specjalistów.",
)
REPLIES = (
    "Dobra uwaga, dopiszę to do poprawki.",
    "Mamy takie dane w raporcie z 2022 r., wrzucę link.",
    "Zgoda, ale to raczej temat na R4 niż na tę rekomendację.",
)


def build_installation(instance: Path, comments: int = 60):
    """A migrated, seeded app with a live meeting; returns the app and the pages to see."""
    os.environ["WARSZTAT_INSTANCE"] = str(instance)
    os.environ["DATABASE_URL"] = f"sqlite:///{instance / 'warsztat.db'}"
    os.environ["WARSZTAT_SCHEDULER"] = "none"
    os.environ.setdefault("MAIL_BACKEND", "outbox")

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.auth import services as accounts
    from app.database import utcnow
    from app.extensions import db
    from app.meetings import agenda, live, planning
    from app.meetings.models import Meeting, MeetingStatus
    from app.models import Organisation, Recommendation, SmartStrategy, Subgroup
    from app.recommendations.comments import add_comment
    from seeds.loader import load_demo, load_reference

    app = create_app("development")
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_reference()
        load_demo()
        organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
        users = {}
        for role in ROLES:
            for language in ALL_LANGUAGES:
                users[role, language] = accounts.create_user(
                    f"shot-{role}-{language}@example.org",
                    f"{role.capitalize()} ({language})",
                    role,
                    password=PASSWORD,
                    organisation=organisation,
                    language=language,
                )
        db.session.commit()
        facilitator = users["facilitator", "pl"]

        subgroup = db.session.scalars(select(Subgroup).order_by(Subgroup.id)).first()
        start = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=20)
        meeting = planning.create_meeting(
            facilitator,
            subgroup.id,
            planning.MeetingFields(
                title="Spotkanie robocze: bieguny wzrostu i rynek pracy",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                mode="online",
                link="https://meet.example.org/kpm-g02",
                description="Przegląd wyzwań G02 i G03 oraz projektów rekomendacji.",
            ),
        )
        for title, kind, minutes in (
            ("Otwarcie i przyjęcie porządku", "discussion", 10),
            ("Bieguny wzrostu – prezentacja samorządu", "presentation", 30),
            ("Dyskusja nad rekomendacjami R2", "discussion", 45),
            ("Wnioski i zadania", "discussion", 15),
        ):
            agenda.add_agenda_item(
                meeting,
                facilitator,
                agenda.AgendaFields(title=title, kind=kind, planned_minutes=minutes),
            )
        planning.publish_agenda(meeting, facilitator)
        live.start_meeting(meeting, facilitator)
        item = live.next_item(meeting, facilitator)
        live.save_notes(
            item,
            facilitator,
            "Samorząd przedstawił dane o dojazdach do pracy.\n\n"
            "- brak połączeń kolejowych w godzinach szczytu\n- potrzeba wspólnego biura inwestora",
        )
        live.record_decision(
            meeting,
            facilitator,
            text="Przygotować projekt rekomendacji o biurze inwestora.",
            kind="note",
            item=item,
        )
        live.add_action_item(
            meeting,
            facilitator,
            title="Zebrać dane o dojazdach z trzech subregionów",
            owner=users["member", "pl"],
            due_on=(utcnow() + timedelta(days=14)).date(),
            item=item,
        )
        db.session.commit()

        # A long discussion on a recommendation in discussion, as a busy subgroup has.
        recommendation = db.session.scalars(
            select(Recommendation)
            .where(Recommendation.status == "discussion")
            .order_by(Recommendation.id)
        ).first()
        speakers = [users[role, "pl"] for role in ("member", "facilitator", "admin")]
        for n in range(comments):
            top = add_comment(
                recommendation,
                speakers[n % 3],
                DISCUSSION[n % len(DISCUSSION)],
                stance=("for", "against", "neutral", None)[n % 4],
            )
            if n % 3 == 0:
                add_comment(recommendation, speakers[(n + 1) % 3], REPLIES[n % 3], parent_id=top.id)
        db.session.commit()
        recommendation_id = recommendation.id
        # A package whose files are still being built, as its page shows them at first.
        from app.exports import packages
        from app.exports.selection import parse

        app.config["PACKAGE_FILES"] = "scheduler"
        ministry = db.session.scalars(
            select(Organisation).where(Organisation.sector_code == "ministry")
        ).first()
        package_id = None
        with app.test_request_context(), contextlib.suppress(packages.PackageError):
            # (Nothing is sent when the demo data has no agreed recommendation.)
            package_id = packages.send(
                users["facilitator", "pl"],
                parse({}, None),
                organisation=ministry,
                title="Rekomendacje podgrupy 2026",
                cover_letter="Szanowni Państwo,\n\nprzekazujemy uzgodnione rekomendacje.",
            ).id
        held = db.session.scalar(
            select(Meeting.id)
            .where(Meeting.status == MeetingStatus.HELD.value)
            .order_by(Meeting.id)
        )
        strategy_id = db.session.scalar(select(func.min(SmartStrategy.id)))
        # The demo's materials: on the held meeting's agenda and an agreed recommendation.
        agreed_id = db.session.scalar(
            select(func.min(Recommendation.id)).where(
                Recommendation.status.in_(("agreed", "discussion"))
            )
        )
        czech_id = db.session.scalar(
            select(func.min(SmartStrategy.id)).where(SmartStrategy.language == "cs")
        )
        live_id = meeting.id

    staff = ("admin", "facilitator")
    contributors = ("admin", "facilitator", "member")
    pages = [
        Page("dashboard", "/"),
        Page("recommendations", "/recommendations/"),
        Page("recommendation", f"/recommendations/{recommendation_id}", contributors),
        Page("problem-areas", "/problems/"),
        Page("meetings", "/meetings/"),
        Page("meeting", f"/meetings/{live_id}"),
        Page("live", f"/meetings/{live_id}/live"),
        Page("minutes", f"/meetings/{held}/minutes", staff),
        Page("held-meeting", f"/meetings/{held}"),
        Page("meeting-search", "/meetings/?q=kopenhaga"),
        Page("agreed-recommendation", f"/recommendations/{agreed_id}"),
        Page("not-found", "/recommendations/999999", ("member",)),
        Page("strategies", "/strategies/"),
        Page("strategy", f"/strategies/{strategy_id}"),
        Page("exports", "/exports/"),
        *(
            [Page("package-waiting", f"/exports/packages/{package_id}", staff)]
            if package_id
            else []
        ),
        Page("notifications", "/notifications/"),
        Page("account", "/account/"),
        Page(
            "new-recommendation-refused",
            "/recommendations/new",
            ("member",),
            submit="main form[method=post]",
        ),
        Page("new-meeting", "/meetings/new", staff),
        Page("classify", f"/strategies/{strategy_id}/classify", staff),
        Page("classify-czech", f"/strategies/{czech_id}/classify", staff),
        Page("users", "/admin/users", ("admin",)),
        Page("organisations", "/admin/organisations", staff),
        Page("audit", "/admin/audit", ("admin",)),
        Page("styleguide", "/styleguide", ("admin",)),
    ]
    return app, pages


def serve(app):
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident=None)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def shoot(
    base_url: str, pages: list[Page], out: Path, roles, languages, widths, only
) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for language in languages:
            for width in widths:
                anonymous = browser.new_context(
                    base_url=base_url, viewport={"width": width, "height": 900}
                )
                tab = anonymous.new_page()
                tab.goto("/auth/login")
                path = out / f"login--anonymous--{language}--{width}.png"
                if language != "pl":
                    tab.locator(".lang-menu > summary").click()
                    tab.locator(f".lang-option[value='{language}']").click()
                tab.screenshot(path=path, full_page=True)
                saved.append(path)
                anonymous.close()
                for role in roles:
                    context = browser.new_context(
                        base_url=base_url, viewport={"width": width, "height": 900}, locale=language
                    )
                    tab = context.new_page()
                    tab.goto("/auth/login")
                    tab.locator("input[name=email]").fill(f"shot-{role}-{language}@example.org")
                    tab.locator("input[name=password]").fill(PASSWORD)
                    tab.locator("main form button[type=submit]").click()
                    tab.wait_for_url(f"{base_url}/")
                    for page in pages:
                        if role not in page.roles or (only and page.name not in only):
                            continue
                        response = tab.goto(page.path)
                        if page.submit:
                            tab.locator(f"{page.submit} button[type=submit]").first.click()
                            tab.wait_for_load_state()
                        status = response.status if response else 0
                        path = out / f"{page.name}--{role}--{language}--{width}.png"
                        tab.screenshot(path=path, full_page=True)
                        saved.append(path)
                        if status >= 400 and not page.submit and page.name != "not-found":
                            print(f"  {page.name} as {role}: HTTP {status}", file=sys.stderr)
                    context.close()
        browser.close()
    return saved


def write_index(out: Path, saved: list[Path]) -> None:
    rows = "\n".join(
        f'<figure><a href="{html.escape(p.name)}"><img src="{html.escape(p.name)}" loading="lazy" '
        f'alt=""></a><figcaption>{html.escape(p.stem)}</figcaption></figure>'
        for p in sorted(saved)
    )
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Warsztat screenshots</title>"
        "<style>body{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:1rem}"
        "figure{width:300px;margin:0}img{width:100%;max-height:600px;object-fit:cover;"
        "object-position:top;border:1px solid #ccc}</style>" + rows,
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--label", default="latest", help="sub-folder of screenshots/ (default: latest)"
    )
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--pages", default="", help="only these page names, comma-separated")
    parser.add_argument("--comments", type=int, default=60, help="comments in the long discussion")
    args = parser.parse_args()

    out = ROOT / "screenshots" / args.label
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="warsztat-shots-") as tmp:
        app, pages = build_installation(Path(tmp), comments=args.comments)
        server, base_url = serve(app)
        try:
            saved = shoot(
                base_url,
                pages,
                out,
                [r for r in args.roles.split(",") if r],
                [lang for lang in args.languages.split(",") if lang],
                [int(w) for w in args.widths.split(",") if w],
                {name for name in args.pages.split(",") if name},
            )
        finally:
            server.close()
    write_index(out, saved)
    print(f"{len(saved)} screenshots in {out.relative_to(ROOT)}/ (open index.html)")


if __name__ == "__main__":
    main()
