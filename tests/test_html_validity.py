"""The main pages are valid HTML: no errors from the Nu HTML Checker (vnu.jar from npm)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import factories
from tests.conftest import IN_CI, Auth

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker():
    java = shutil.which("java")
    if java and VNU.exists():
        return java
    if IN_CI:
        pytest.fail("java and node_modules/vnu-jar are needed in CI")
    pytest.skip("java or vnu.jar missing (apt-get install default-jre-headless; npm ci)")


def _sample():
    from app.exports import packages, selection
    from app.meetings import services as meeting_services
    from app.recommendations import services
    from tests.exports.helpers import ministry
    from tests.recommendations.helpers import make_rec
    from tests.test_permissions import sample_meeting, sample_strategy

    author = factories.make_user("member")
    facilitator = factories.make_user("facilitator")
    rec = make_rec(author, area="G04", status="discussion", body="# Nagłówek\n\n- punkt\n")
    services.add_comment(rec, factories.make_user("member"), "Komentarz.")
    agreed = make_rec(author, area="G07", status="agreed", facilitator=facilitator)
    package = packages.send(
        facilitator,
        selection.parse({"area": "G07"}, None),
        organisation=ministry(),
        title="Pakiet",
        cover_letter="Pismo.",
    )
    meeting = sample_meeting(author)
    meeting_services.save_minutes(meeting, facilitator, "Protokół: **ustalenia**.")
    return {
        "rec": rec.id,
        "agreed": agreed.id,
        "package": package.id,
        "handle": author.handle,
        "meeting": meeting.id,
        "strategy": sample_strategy(author).id,
        "challenge": factories.make_challenge("G04").id,
        "organisation": ministry().id,
    }


def test_main_pages_have_no_html_errors(app, tmp_path):
    java = _checker()
    s = _sample()
    pages = {
        None: ["/auth/login", "/auth/reset"],
        "facilitator": [
            "/",
            "/problems/",
            "/problems/G04",
            "/recommendations/",
            "/recommendations/new",
            f"/recommendations/{s['rec']}",
            f"/recommendations/{s['rec']}/edit",
            f"/recommendations/{s['rec']}/history",
            f"/challenges/{s['challenge']}",
            "/meetings/",
            "/meetings/new",
            f"/meetings/{s['meeting']}",
            f"/meetings/{s['meeting']}/live",
            f"/meetings/{s['meeting']}/minutes",
            f"/meetings/{s['meeting']}/minutes/history",
            f"/people/{s['handle']}",
            "/account/two-factor",
            "/strategies/",
            f"/strategies/{s['strategy']}",
            f"/strategies/{s['strategy']}/classify",
            "/strategies/procedure",
            "/exports/",
            "/exports/packages/new",
            f"/exports/packages/{s['package']}",
            f"/exports/packages/{s['package']}/changes",
            "/account/",
            "/notifications/",
        ],
        "admin": [
            "/styleguide",
            "/admin/organisations",
            "/admin/organisations/new",
            f"/admin/organisations/{s['organisation']}",
            "/admin/users",
            "/admin/users/invite",
            "/admin/mail",
            "/admin/audit",
            "/account/",
        ],
    }
    files = {}
    for role, urls in pages.items():
        client = app.test_client()
        if role:
            Auth(client).login(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            path = tmp_path / f"{len(files):03d}.html"
            path.write_bytes(response.data)
            files[str(path)] = f"{role or 'anonymous'} {url}"
    bad = tmp_path / "known-bad.html"
    bad.write_text("<!doctype html><html lang=pl><title>x</title><p><div hx-get=/x>x</div>")
    files[str(bad)] = "the checker's own sample"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr)["messages"]
    # The harness works: the deliberately invalid sample is reported, and only it.
    assert any(m.get("url", "").endswith("known-bad.html") for m in messages), result.stderr
    messages = [m for m in messages if not m.get("url", "").endswith("known-bad.html")]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
