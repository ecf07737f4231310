import re

import pytest


def test_every_page_carries_the_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


def test_pages_have_no_inline_scripts_or_styles(client, auth):
    auth.login("admin")
    for url in (
        "/",
        "/problems/G03",
        "/recommendations/",
        "/meetings/",
        "/admin/users",
        "/account/",
    ):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        assert " on" not in re.sub(r"[^<]*", "", page) or not re.search(r"<[^>]+\son\w+=", page)


def test_session_cookie_is_httponly_and_lax(client, auth):
    auth.login("member")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_a_form_without_its_csrf_token_is_refused_with_a_message(client):
    response = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "tokenu bezpieczeństwa" in response.get_data(as_text=True)


def test_htmx_posts_are_csrf_protected_through_the_header(client, auth):
    auth.login("member")
    token = auth.csrf()
    headers = {"HX-Request": "true"}
    refused = client.post("/language", data={"language": "en"}, headers=headers)
    assert refused.status_code == 400
    accepted = client.post(
        "/language", data={"language": "en"}, headers={**headers, "X-CSRFToken": token}
    )
    assert accepted.status_code == 303


def test_htmx_error_gets_a_fragment_not_a_page(client, auth):
    auth.login("member")
    response = client.get("/problems/G99", headers={"HX-Request": "true"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'role="alert"' in body


def test_htmx_request_without_login_redirects_the_whole_page(client):
    response = client.get("/recommendations/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/auth/login")


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok"}


@pytest.mark.own_app
def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    from app import create_app
    from config import TestingConfig

    class Broken(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'missing' / 'nowhere.db'}"
        INSTANCE_DIR = tmp_path / "instance"

    response = create_app(Broken).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


@pytest.mark.own_app
def test_an_unexpected_error_shows_a_friendly_page_in_the_users_language(tmp_path):
    from app import create_app
    from config import TestingConfig

    class Cfg(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'e.db'}"
        INSTANCE_DIR = tmp_path / "instance"

    app = create_app(Cfg)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    client = app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Błąd serwera" in body and "kaput" not in body
    with client.session_transaction() as session:
        session["lang"] = "en"
    assert "Server error" in client.get("/boom").get_data(as_text=True)


def test_unknown_problem_area_is_a_404_page_in_both_languages(client, auth):
    user = auth.login("member")
    response = client.get("/problems/G99")
    assert response.status_code == 404
    assert "Nie znaleziono strony" in response.get_data(as_text=True)
    auth.post("/language", {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/problems/G99").get_data(as_text=True)
    assert user.language == "en"


def test_static_assets_are_served_locally(client):
    for path in ("/static/vendor/htmx/htmx.min.js", "/static/vendor/pico/pico.min.css"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_downloads_and_the_api_are_never_stored_by_a_cache(auth):
    """Exports and the API carry personal and unpublished data, like the pages; only the
    static files may be cached."""
    from tests.recommendations.helpers import make_rec

    make_rec(auth.login("facilitator"), area="G05")
    for url in (
        "/exports/recommendations.csv?area=G05",
        "/exports/recommendations.xlsx?area=G05",
        "/exports/recommendations.json?area=G05",
        "/strategies/export.csv",
        "/api/v1/recommendations",
    ):
        with auth.client.get(url) as response:  # a streamed body must be read or closed
            assert response.status_code == 200, url
            assert "no-store" in response.headers["Cache-Control"], url
    static = auth.client.get("/static/img/favicon.svg")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


def test_search_reads_percent_and_underscore_as_separators_never_as_wildcards(auth):
    """The catalogue's search is by words: "%" and "_" separate words like a space and
    are never LIKE wildcards or query operators (they matched any text before)."""
    from app.strategies import services as strategy_services

    member = auth.login("member")
    for title in ("Plan 100% zielony", "Plan 100 zielony", "plan_a", "planXa", "Brno 2030"):
        strategy_services.create_strategy(
            member,
            strategy_services.StrategyFields(
                title_original=title, place="Ostrava", country="CZ", level="municipal"
            ),
        )
    page = auth.client.get("/strategies/?q=100%25").get_data(as_text=True)
    assert "Plan 100% zielony" in page and "Plan 100 zielony" in page
    assert "Brno 2030" not in page and "planXa" not in page
    page = auth.client.get("/strategies/?q=plan_a").get_data(as_text=True)
    assert "plan_a" in page and "planXa" not in page and "Plan 100" not in page
    # Search-engine syntax is read as plain words (all of them needed), never run.
    response = auth.client.get("/strategies/?q=%22plan%22%20OR%20NEAR(x)%20*")
    assert response.status_code == 200
    assert 'class="empty-state"' in response.get_data(as_text=True)


def test_an_id_in_the_url_is_ascii_digits_only(client, auth):
    """werkzeug's int converter matched Unicode digits: /recommendations/٣ opened no. 3."""
    from tests.recommendations.helpers import make_rec

    rec = make_rec(auth.login("member"), status="discussion")
    arabic = "".join(chr(0x660 + int(digit)) for digit in str(rec.id))
    assert client.get(f"/recommendations/{rec.id}").status_code == 200
    assert client.get(f"/recommendations/{arabic}").status_code == 404
