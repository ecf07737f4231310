"""Links that templates build once for many rows or pages are the links ``url_for``
builds, under any script root (a deployment under /warsztat/)."""

import pytest
from flask import url_for

from app.security import MAX_ID
from app.templating import links_by_id, path_for


@pytest.mark.parametrize("root", ["", "/warsztat"])
def test_a_link_by_id_is_the_link_url_for_builds(app, root):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
        detail = links_by_id("recommendations.detail", "rec_id")
        for rec_id in (1, 7, 42, 1_987_654_321, MAX_ID):
            assert detail(rec_id) == url_for("recommendations.detail", rec_id=rec_id)
        assert detail(5).startswith(f"{root}/recommendations/")


@pytest.mark.parametrize("root", ["", "/warsztat"])
def test_a_path_kept_per_app_follows_the_script_root(app, root):
    with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
        for _ in range(2):  # built, then kept
            assert path_for("static", filename="css/app.css") == url_for(
                "static", filename="css/app.css"
            )
            assert path_for("main.dashboard") == f"{root}/"


def test_pages_link_the_layout_under_the_script_root(client, auth):
    auth.login("member")
    page = client.get("/recommendations/", environ_overrides={"SCRIPT_NAME": "/warsztat"})
    html = page.get_data(as_text=True)
    assert 'href="/warsztat/static/css/app.css"' in html
    assert 'href="/warsztat/meetings/"' in html
    assert "/warsztat/static/vendor/icons/icons.svg#i-" in html
