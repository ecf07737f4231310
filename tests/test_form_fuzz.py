"""Every form, fuzzed: each POST route of ``app.url_map`` receives every field name any
form knows, filled with an oversized number, an empty value, non-ASCII digits and other
hostile text, as the roles that may post there. No answer may be a 500."""

import pytest
from wtforms.fields.core import UnboundField

from app.forms import Form, whole_number
from tests.conftest import Auth
from tests.test_permissions import build_url, routes, sample_values

#: Forms that the views build with a prefix.
PREFIXES = ("", "pw-", "token-")
#: Routes whose success would end the fuzzing session itself.
SKIPPED = {"auth.logout"}
HOSTILE = ("9" * 310, "", "٣", "-1", "\u2028", "x" * 5_000)


def all_forms(cls=Form):
    for sub in cls.__subclasses__():
        yield sub
        yield from all_forms(sub)


def field_names() -> set[str]:
    names = set()
    for form in all_forms():
        for klass in form.__mro__:
            for name, value in vars(klass).items():
                if isinstance(value, UnboundField):
                    names.update(prefix + name for prefix in PREFIXES)
    return names


def test_the_scan_finds_the_forms():
    names = field_names()
    assert {"title", "strategy_id", "planned_minutes", "pw-password", "origin_meeting"} <= names


def test_whole_numbers_are_ascii_digits_within_bounds():
    assert whole_number("42") == 42 and whole_number(7) == 7
    for bad in ("٣", "9" * 11, str(2**31), "-1", " 3", "3 ", "", "1e3", None, True):
        with pytest.raises(ValueError):
            whole_number(bad)


@pytest.mark.parametrize("role", ["admin", "facilitator", "member", "reviewer"])
def test_no_form_answers_500_to_hostile_values(app, role):
    values = sample_values()
    client = app.test_client()
    auth = Auth(client)
    auth.login(role)
    csrf = auth.csrf()
    names = sorted(field_names())
    failures = []
    for method, rule in routes(app):
        if method != "POST" or rule.endpoint in SKIPPED:
            continue
        url = build_url(rule, values)
        for hostile in HOSTILE:
            data = dict.fromkeys(names, hostile)
            data["csrf_token"] = csrf
            response = client.post(url, data=data)
            if response.status_code >= 500:
                failures.append(f"{url} with {hostile[:12]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_an_oversized_id_is_a_field_error(auth):
    from tests.recommendations.helpers import make_rec

    member = auth.login("member")
    rec = make_rec(member, status="discussion")
    response = auth.post(
        f"/recommendations/{rec.id}/strategies", {"strategy_id": "9" * 310, "relation": "evidence"}
    )
    assert response.status_code in (303, 400)  # a flash with the error, never a 500
