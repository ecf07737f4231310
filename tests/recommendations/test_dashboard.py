"""The coverage matrix counts by status and marks the gaps (no agreed recommendation)."""

import re

from tests import factories
from tests.recommendations.helpers import make_rec


def cell(page: str, area: str, category: str) -> str:
    link = f'href="/recommendations/?area={area}&amp;category={category}"'
    start = page.index(link)
    return page[page.rindex("<td", 0, start) : page.index("</td>", start)]


def test_cells_count_by_status_and_mark_gaps(client, auth):
    author = factories.make_user("member")
    facilitator = factories.make_user("facilitator")
    make_rec(author, area="G01", category="R1", status="agreed", facilitator=facilitator)
    make_rec(author, area="G01", category="R1", status="discussion")
    make_rec(author, area="G01", category="R2", status="draft")
    auth.login("member")
    page = client.get("/").get_data(as_text=True)
    agreed_cell = cell(page, "G01", "R1")
    assert 'class="cell-agreed-1"' in agreed_cell and "cell-gap" not in agreed_cell
    assert re.search(r'class="cell-total" aria-hidden="true">2</span>', agreed_cell)
    assert "status-agreed" in agreed_cell and "status-discussion" in agreed_cell
    gap = cell(page, "G01", "R2")
    assert 'class="cell-gap"' in gap and "cell-agreed" not in gap
    assert "1 uzgodnione" in agreed_cell or "uzgodnione: 1" in agreed_cell


def test_the_gap_is_explained_once_and_not_badged_per_cell(client, auth):
    """Most cells of a young matrix are gaps: they are hatched and explained once in the
    legend, not each given a warning badge that drowns the cells that matter."""
    auth.login("member", language="en")
    page = client.get("/").get_data(as_text=True)
    assert page.count("Gap: no agreed recommendation yet") == 1
    assert page.count('class="cell-gap"') == 35  # 7 areas x 5 categories, none agreed
    assert "gap-mark" not in page and ">!<" not in page
