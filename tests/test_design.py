"""The design system holds: AA contrast measured from the stylesheet, no icon without its
symbol, and the shared components (error summary, summary list, page header, style
guide) doing what they promise on real pages."""

import re
from pathlib import Path

from app.main import styleguide
from tests.recommendations.helpers import make_rec

ROOT = Path(__file__).resolve().parent.parent


def test_every_colour_pair_of_the_palette_meets_wcag_aa(app):
    with app.app_context():
        swatches = styleguide.palette()
    assert len(swatches) == len(styleguide.PAIRS)
    failing = [(s.foreground, s.background, round(s.ratio, 2)) for s in swatches if not s.passes]
    assert not failing


def test_the_contrast_measure_is_the_wcag_one():
    assert round(styleguide.contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(styleguide.contrast("#767676", "#ffffff"), 2) == 4.54
    assert styleguide.contrast("#ffffff", "#ffffff") == 1.0


def test_a_pale_colour_would_be_caught():
    css = ":root { --ws-ink: #aaaaaa; --ws-ink-2: #3d4a57; }"
    pale = [s for s in styleguide.palette(css + _rest_of_the_tokens()) if s.foreground == "ws-ink"]
    assert pale and not pale[0].passes


def _rest_of_the_tokens() -> str:
    return (ROOT / "app" / "static" / "css" / "app.css").read_text(encoding="utf-8")


def test_every_icon_a_template_names_is_in_the_built_sprite():
    """A name missing from scripts/icons.py would draw nothing: a missing glyph."""
    used = set()
    for template in (ROOT / "templates").rglob("*.html"):
        used |= set(re.findall(r"icon\('([a-z0-9-]+)'", template.read_text(encoding="utf-8")))
    sprite = (ROOT / "app" / "static" / "vendor" / "icons" / "icons.svg").read_text()
    built = set(re.findall(r'<symbol id="i-([a-z0-9-]+)"', sprite))
    assert used, "no icon found: the pattern no longer matches the macro's calls"
    assert used <= built, sorted(used - built)


def test_no_template_draws_an_emoji_or_a_symbol_glyph():
    """Icons are SVG: a bell or a tick as a character shows as a box on many machines."""
    glyph = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff\u2713\u2714\u2716\u26a0]")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if glyph.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_the_style_guide_shows_every_component(client, auth):
    auth.login("admin", language="en")
    page = client.get("/styleguide").get_data(as_text=True)
    for marker in (
        'class="page-header',
        'class="breadcrumb"',
        'class="summary-list"',
        'class="card-list"',
        'class="flash flash-success"',
        'class="flash flash-error"',
        "data-error-summary",
        'class="empty-state"',
        'class="table-scroll"',
        'class="form-steps"',
        'class="heat-legend"',
        'class="sdg-chip sdg-17"',
    ):
        assert marker in page, marker
    for status in ("draft", "discussion", "agreed", "submitted", "answered", "withdrawn"):
        assert f'class="status status-{status}"' in page
    # The sample form is refused; its summary links to both fields.
    assert 'href="#title"' in page and 'href="#summary"' in page
    # The empty addressee leaves no row.
    assert "<dt>Addressee</dt>" not in page and "<dt>Category</dt>" in page
    assert page.count(">passes<") == len(styleguide.PAIRS)


def test_a_refused_form_starts_with_a_summary_linking_to_its_fields(client, auth):
    auth.login("member", language="en")
    page = client.get("/recommendations/new").get_data(as_text=True)
    key = re.search(r'name="submission_key"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/recommendations/new", data={"csrf_token": auth.csrf(), "submission_key": key}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400  # refused, with the form sent back
    summary = html[
        html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))
    ]
    assert "There is a problem" in summary
    assert 'href="#title"' in summary and 'href="#summary"' in summary
    # The summary comes before the form, and the step holding the errors is marked.
    assert html.index("data-error-summary") < html.index('<form method="post" novalidate>')
    assert '<a href="#step-text" class="has-error">' in html
    # Each refused field says so next to itself, linked for screen readers.
    assert 'aria-describedby="title-error"' in html or re.search(
        r'aria-describedby="[^"]*title-error', html
    )


def test_a_missing_optional_fact_leaves_no_empty_label(client, auth):
    member = auth.login("member", language="en")
    rec = make_rec(member)  # no addressee, no expected impact
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    facts = page[
        page.index('class="facts summary-list"') : page.index("</dl>", page.index("facts"))
    ]
    assert "<dt>Addressee</dt>" not in facts and "<dt>Expected impact</dt>" not in facts
    assert "<dt>Category</dt>" in facts
    assert "<dd></dd>" not in facts


def test_every_status_tag_carries_its_meaning():
    """A tag without its status class would be grey whatever it says."""
    bare = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r'class="status"', text):
            bare.append(str(template.relative_to(ROOT)))
    assert not bare
