"""Odd input gets a clear 4xx (or is ignored), never a 500."""

import pytest

ODD_GETS = [
    "/recommendations/?page=²&author=²",
    "/recommendations/?page=99999999999999999999&author=99999999999999999999",
    "/recommendations/?q=" + "x" * 5000,
    "/recommendations/?q=%22%27%3B--%20DROP%20TABLE%20users",
    "/recommendations/?area=%C5%81%C3%B3d%C5%BA&category=&status=%00",
    "/meetings/99999999999999999999999",
    "/admin/users/99999999999999999999999",
    "/problems/%00",
    "/problems/" + "G" * 500,
    "/auth/login?next=/x%0d%0aSet-Cookie:%20a=b",
    "/auth/reset/" + "x" * 3000,
    "/auth/invitation/%00",
]


@pytest.mark.parametrize("url", ODD_GETS)
def test_odd_get_requests_never_fail_with_500(client, auth, url):
    auth.login("admin")
    response = client.get(url)
    assert response.status_code < 500, url
    response.close()


@pytest.mark.parametrize(
    "next_value",
    [
        "/x\r\ny",
        "//[x",
        "/\x00",
        "http://[::1/x",
        "/" + "a" * 3000,
    ],
)
def test_odd_next_targets_fall_back_to_the_dashboard(client, auth, next_value):
    from tests import factories

    user = factories.make_user("member")
    response = client.post(
        "/auth/login",
        data={
            "email": user.email,
            "password": factories.DEFAULT_PASSWORD,
            "next": next_value,
            "csrf_token": auth.csrf(),
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.headers["Location"] in ("/", next_value)
        assert "\n" not in response.headers["Location"]


def test_odd_referrer_on_language_switch(client, auth):
    response = client.post(
        "/language",
        data={"language": "en", "csrf_token": auth.csrf()},
        headers={"Referer": "http://[::1/x"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"


@pytest.mark.parametrize("field", ["email", "password"])
def test_nul_bytes_in_forms_are_refused(client, auth, field):
    data = {"email": "a@example.org", "password": "x", "csrf_token": auth.csrf()}
    data[field] += "\x00"
    assert client.post("/auth/login", data=data).status_code == 400


def test_huge_and_unicode_account_names_are_inline_errors(client, auth):
    auth.login("member")
    response = auth.post(
        "/account/", {"name": "Ż" * 500, "language": "pl", "digest_frequency": "weekly"}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
