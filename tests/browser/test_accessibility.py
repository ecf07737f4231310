"""Every main page, for each role, passes axe-core's WCAG 2.1 A/AA rules with no serious
or critical violation (axe-core from npm, run in the system Chromium)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def sample(live_server):
    """One of everything the pages show, made in the live server's database."""
    from app.exports import packages, selection
    from app.extensions import db
    from app.meetings import services as meeting_services
    from app.recommendations import answers, services
    from tests import factories
    from tests.exports.helpers import MINISTRY, ministry
    from tests.recommendations.helpers import make_rec
    from tests.test_permissions import sample_meeting, sample_strategy

    with live_server.app.app_context():
        author = factories.make_user("member", language="pl", name="Ala Autorka")
        facilitator = factories.make_user("facilitator")
        rec = make_rec(author, area="G04", title="Dostępna rekomendacja", status="discussion")
        services.add_comment(rec, factories.make_user("member"), "Komentarz **ważny**.")
        agreed = make_rec(author, area="G07", status="agreed", facilitator=facilitator)
        package = packages.send(
            facilitator,
            selection.parse({"area": "G07"}, None),
            organisation=ministry(),
            title="Pakiet dostępny",
            cover_letter="Pismo.",
        )
        reviewer = factories.make_user("reviewer", organisation=MINISTRY)
        answers.stage(
            agreed,
            reviewer,
            verdict="accepted",
            reasoning="Tak.",
            package_id=package.id,
            version=None,
        )
        answers.publish(reviewer, [agreed.id])
        meeting = sample_meeting(author)
        meeting_services.save_minutes(meeting, facilitator, "Protokół: **ustalenia**.")
        strategy = sample_strategy(author)
        # Bad input the layout must take: a 300-character title with an unbroken word,
        # and a web address as someone's name.
        long = make_rec(
            factories.make_user("member", name="https://example.org/profile/" + "x" * 70),
            area="G04",
            title=("Bardzo długi tytuł rekomendacji " * 8 + "Nieprzerwanewyrazy" * 5)[:300],
            status="discussion",
        )
        result = {
            "long": long.id,
            "handle": author.handle,
            "rec": rec.id,
            "agreed": agreed.id,
            "package": package.id,
            "meeting": meeting.id,
            "strategy": strategy.id,
            "challenge": factories.make_challenge("G04").id,
            "organisation": ministry().id,
            "emails": {
                # Not the author: so the amendment form is theirs to open.
                "member": factories.make_user("member", name="Bartek Czytelnik").email,
                "facilitator": facilitator.email,
                "reviewer": reviewer.email,
                "admin": factories.make_user("admin").email,
            },
        }
        db.session.remove()
    return result


def _pages(role: str, s: dict) -> list[str]:
    everyone = [
        "/",
        "/problems/",
        "/problems/G04",
        "/recommendations/",
        f"/recommendations/{s['agreed']}",
        f"/recommendations/{s['agreed']}/history",
        "/meetings/",
        f"/meetings/{s['meeting']}",
        "/strategies/",
        f"/strategies/{s['strategy']}",
        "/strategies/procedure",
        "/exports/",
        f"/exports/packages/{s['package']}",
        f"/exports/packages/{s['package']}/changes",
        "/account/",
        "/account/two-factor",
        # The author has an agreed recommendation: every role sees their page.
        f"/people/{s['handle']}",
        "/notifications/",
    ]
    extra = {
        "member": [
            f"/recommendations/{s['long']}",
            "/recommendations/new",
            f"/recommendations/{s['rec']}",
            f"/recommendations/{s['rec']}/amendments/new",
            f"/challenges/{s['challenge']}",
            "/strategies/new",
            f"/strategies/{s['strategy']}/classify",
        ],
        "facilitator": [
            f"/strategies/{s['strategy']}/classify",
            "/meetings/new",
            f"/meetings/{s['meeting']}/live",
            f"/meetings/{s['meeting']}/minutes",
            f"/meetings/{s['meeting']}/minutes/history",
            "/exports/packages/new",
            "/strategies/import",
        ],
        "reviewer": [],
        "admin": [
            "/styleguide",
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{s['organisation']}",
            "/admin/users",
            "/admin/users/invite",
            "/admin/mail",
            "/admin/audit",
        ],
    }
    return everyone + extra[role]


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' -> ' +
                   v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
        }""",
        WCAG_TAGS,
    )
    return result


def _visit_all(chromium, live_server, urls, email=None):
    # axe is injected as a script: this context alone may ignore the app's CSP.
    context = chromium.new_context(base_url=live_server.url, locale="pl-PL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = {}
    try:
        if email:
            page.goto("/auth/login")
            page.get_by_label("E-mail").fill(email)
            page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
            page.get_by_role("button", name="Zaloguj się").click()
            page.wait_for_url("**/")
        for url in urls:
            response = page.goto(url)
            assert response.status < 400, f"{url}: {response.status}"
            found = _serious(page)
            if found:
                problems[url] = found
    finally:
        context.close()
    return problems


def test_public_pages_pass_axe(chromium, live_server):
    problems = _visit_all(chromium, live_server, ["/auth/login", "/auth/reset"])
    assert not problems, problems


@pytest.mark.parametrize("role", ["member", "facilitator", "reviewer", "admin"])
def test_each_roles_pages_pass_axe(chromium, live_server, sample, role):
    problems = _visit_all(chromium, live_server, _pages(role, sample), sample["emails"][role])
    assert not problems, "\n".join(f"{url}:\n  " + "\n  ".join(v) for url, v in problems.items())


@pytest.mark.parametrize("role", ["anonymous", "member", "facilitator", "reviewer", "admin"])
def test_main_pages_log_no_console_error_under_the_real_csp(chromium, live_server, sample, role):
    """The same pages with the app's Content-Security-Policy enforced (the axe runs above
    bypass it to inject their script): no CSP violation, failed asset or script error."""
    context = chromium.new_context(base_url=live_server.url, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    at = {"url": "/auth/login"}
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"{at['url']}: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"{at['url']}: {error}"))
    try:
        if role == "anonymous":
            urls = ["/auth/login", "/auth/reset"]
        else:
            urls = _pages(role, sample)
            page.goto("/auth/login")
            page.get_by_label("E-mail").fill(sample["emails"][role])
            page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
            page.get_by_role("button", name="Zaloguj się").click()
            page.wait_for_url("**/")
        for url in urls:
            at["url"] = url
            page.goto(url)
            page.wait_for_load_state("load")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_a_visitor_on_a_phone_can_switch_the_language(chromium, live_server):
    """Before logging in there is no menu to fold: the language switch stays in sight."""
    context = chromium.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        page.goto("/auth/login")
        page.locator(".lang-menu > summary").click()
        with page.expect_navigation(wait_until="load"):  # measured with its styles
            page.get_by_role("button", name="English").click()
        expect(page.get_by_role("button", name="Log in")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("role", ["member", "facilitator", "reviewer", "admin"])
def test_no_page_scrolls_sideways_on_a_phone(chromium, live_server, sample, role):
    """At 390 px (a phone) no page is wider than the screen: wide tables scroll inside
    their own region, and the header folds behind its menu button."""
    wide = _wider_than_a_phone(chromium, live_server, sample["emails"][role], _pages(role, sample))
    assert not wide, f"wider than the phone's 390 px: {wide}"


@pytest.mark.parametrize("language", ["cs", "sk", "hu"])
def test_no_page_scrolls_sideways_on_a_phone_in_longer_languages(
    chromium, live_server, sample, language
):
    """The same for a facilitator working in Czech, Slovak or Hungarian, whose words
    are longer (the goals table's "Nerelevantní" once widened the classification form)."""
    email = live_server.make_user("facilitator", language=language)
    wide = _wider_than_a_phone(chromium, live_server, email, _pages("facilitator", sample))
    assert not wide, f"wider than the phone's 390 px in {language}: {wide}"


def _wider_than_a_phone(chromium, live_server, email: str, urls) -> dict[str, int]:
    context = chromium.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    wide = {}
    try:
        page.goto("/auth/login")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_url("**/")
        for url in urls:
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > 390:
                wide[url] = width
    finally:
        context.close()
    return wide


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_header_fits_on_one_line_in_every_language(chromium, live_server, sample, width):
    """From 1024 px the name, the sections, the bell, the account, log out and the
    language menu share one line, for an admin (the most sections) in each language."""
    context = chromium.new_context(
        base_url=live_server.url, locale="pl-PL", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    lines = {}
    try:
        page.goto("/auth/login")
        page.get_by_label("E-mail").fill(sample["emails"]["admin"])
        page.get_by_label("Hasło").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Zaloguj się").click()
        page.wait_for_url("**/")
        for language in live_server.app.config["LANGUAGES"]:
            page.locator(".lang-menu > summary").click()
            # Measured once the new page has loaded its stylesheets: the "lang" of the
            # new document can be read before they apply, and an unstyled header is a
            # column of links.
            with page.expect_navigation(wait_until="load"):
                page.locator(f".lang-option[value='{language}']").click()
            expect(page.locator("html")).to_have_attribute("lang", language)
            tops = page.evaluate(
                """() => [...document.querySelectorAll(
                    '.brand, .nav-main > li, .nav-tools > li')].map(e => {
                        const r = e.getBoundingClientRect();
                        return Math.round(r.top + r.height / 2);
                    })"""
            )
            if max(tops) - min(tops) > 8:
                lines[language] = tops
        page.locator(".lang-menu > summary").click()
        page.locator(".lang-option[value='pl']").click()
    finally:
        context.close()
    assert not lines, f"the header wraps at {width} px: {lines}"
