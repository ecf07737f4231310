"""Polish by default, English on request, and every text translated."""

import ast
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app.auth.models import User
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def test_polish_is_the_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="pl"' in page and "Zaloguj się" in page


def test_anonymous_visitor_switches_to_english_for_the_session(client, auth):
    response = client.post(
        "/language", data={"language": "en", "next": "/auth/login", "csrf_token": auth.csrf()}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en"' in page and "Log in to Warsztat" in page
    # The switch offers the way back, named in its own language.
    assert re.search(r'lang="pl">.*?Polski</button>', page, re.S)


def test_signed_in_users_keep_their_language_choice(app, client, auth):
    user = auth.login("member")
    auth.post("/language", {"language": "en", "next": "/problems/"})
    assert db.session.get(User, user.id).language == "en"
    auth.logout()
    auth.login_as(user)
    assert "Problem areas" in client.get("/problems/").get_data(as_text=True)
    assert "Attracting and retaining human potential" in client.get("/problems/").get_data(
        as_text=True
    )


def test_an_unknown_language_is_refused_with_a_message(client, auth):
    response = client.post("/language", data={"language": "de", "csrf_token": auth.csrf()})
    assert response.status_code == 400
    assert "polski lub angielski" in response.get_data(as_text=True).lower()


def test_language_switch_never_redirects_off_site(client, auth):
    response = client.post(
        "/language",
        data={"language": "en", "next": "https://evil.example/", "csrf_token": auth.csrf()},
    )
    assert response.headers["Location"] == "/"


def test_every_text_in_code_and_templates_has_a_polish_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            # Babel skips folders starting with "_" unless told otherwise: templates/_partials.
            "--ignore-dirs",
            ".* node_modules",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    po_path = ROOT / "app/translations/pl/LC_MESSAGES/messages.po"
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    have = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        have[key] = all(strings) and not message.fuzzy
    missing = sorted(k for k in wanted if k not in have)
    untranslated = sorted(k for k in wanted if k in have and not have[k])
    assert not missing, f"run `make extract` and translate: {missing}"
    assert not untranslated, f"translate in messages.po: {untranslated}"


# --- texts in the code, read without Babel's extractor ---------------------------------
#
# Babel's extractor misses a call inside an f-string, and a computed message id can never
# be in the catalogue: such a text shows in English to every reader. Reading the code's
# syntax tree finds every call to a translation function, wherever it is.

TRANSLATING = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _translation_calls():
    """(place, call, inside an f-string) for every translation call under app/."""
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        in_f_strings = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in TRANSLATING:
                    place = f"{path.relative_to(ROOT)}:{node.lineno}"
                    yield place, node, id(node) in in_f_strings


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def test_texts_to_translate_are_literals_and_never_inside_f_strings():
    inside = [place for place, _call, in_f in _translation_calls() if in_f]
    assert not inside, f"a translation call inside an f-string is never extracted: {inside}"
    computed = [
        f"{place}: {ast.unparse(call.args[0])}"
        for place, call, _in_f in _translation_calls()
        if call.args and _literal(call.args[0]) is None
    ]
    assert not computed, f"translate a literal text, with %(name)s for what varies: {computed}"


def test_every_text_the_code_translates_is_in_the_catalogue():
    """Independent of the extractor: every literal the code hands to gettext has its
    Polish translation."""
    with (ROOT / "app/translations/pl/LC_MESSAGES/messages.po").open("rb") as handle:
        translated = {
            (m.id if isinstance(m.id, str) else m.id[0])
            for m in read_po(handle)
            if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
        }
    missing = sorted(
        {
            f"{place}: {_literal(call.args[0])!r}"
            for place, call, _in_f in _translation_calls()
            if call.args and _literal(call.args[0]) not in translated
        }
    )
    assert not missing, f"run `make extract` and translate: {missing}"
