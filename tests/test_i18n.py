"""Polish by default, English on request, and every text translated."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

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
    # The switch offers every language, each named in itself, the one in use marked.
    for code, name in (("pl", "Polski"), ("cs", "Čeština"), ("sk", "Slovenčina"), ("hu", "Magyar")):
        assert re.search(rf'value="{code}" lang="{code}" class="lang-option">{name}</button>', page)
    assert 'value="en" lang="en" class="lang-option" aria-current="true">English</button>' in page


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
    assert "jeden z oferowanych języków" in response.get_data(as_text=True).lower()


def test_language_switch_never_redirects_off_site(client, auth):
    response = client.post(
        "/language",
        data={"language": "en", "next": "https://evil.example/", "csrf_token": auth.csrf()},
    )
    assert response.headers["Location"] == "/"


#: Every interface language but English (the texts are written in English).
TRANSLATED = ("pl", "cs", "sk", "hu")


def test_every_offered_language_has_its_catalogue(app):
    assert set(app.config["LANGUAGES"]) == {"en", *TRANSLATED}
    found = {p.parent.parent.name for p in (ROOT / "app/translations").glob("*/LC_MESSAGES/*.po")}
    assert found == set(TRANSLATED)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_text_in_code_and_templates_is_translated(tmp_path, locale):
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
    po_path = ROOT / f"app/translations/{locale}/LC_MESSAGES/messages.po"
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


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_text_the_code_translates_is_in_the_catalogue(locale):
    """Independent of the extractor: every literal the code hands to gettext has its
    translation in every catalogue."""
    with (ROOT / f"app/translations/{locale}/LC_MESSAGES/messages.po").open("rb") as handle:
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


@pytest.mark.parametrize("locale", TRANSLATED)
def test_each_catalogue_keeps_the_placeholders_and_its_plural_forms(locale):
    """Babel's own checks (the same %(name)s in a translation as in its text, the right
    number of plural forms), and the plural rule of CLDR for the language."""
    with (ROOT / f"app/translations/{locale}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    problems = [
        f"{message.id!r}: {'; '.join(map(str, errors))}" for message, errors in catalogue.check()
    ]
    assert not problems
    # gettext's rules as Babel writes them: Hungarian nouns stay singular after a number.
    assert catalogue.num_plurals == {"pl": 3, "cs": 3, "sk": 3, "hu": 1}[locale]
    header = catalogue.header_comment + str(catalogue.mime_headers)
    if locale != "pl":
        assert "native speaker" in header, "mark the catalogue as awaiting a native review"


def test_czech_and_slovak_use_their_three_plural_forms(app):
    with app.test_request_context():
        for locale, forms in (("cs", (1, 3, 5)), ("sk", (1, 3, 5)), ("pl", (1, 3, 5))):
            with force_locale(locale):
                said = {
                    ngettext("%(num)s comment", "%(num)s comments", n).replace(str(n), "#")
                    for n in forms
                }
            assert len(said) == 3, (locale, said)


@pytest.mark.parametrize(
    ("header", "expected", "word"),
    [
        ("cs-CZ,cs;q=0.9,en;q=0.5", "cs", "Přihlásit se"),
        ("sk,en;q=0.8", "sk", "Prihlásiť sa"),
        ("hu-HU,hu;q=0.9", "hu", "Bejelentkezés"),
        ("en-GB,en;q=0.9", "en", "Log in"),
        ("de-DE,de;q=0.9", "pl", "Zaloguj się"),  # not offered: the default, no error
    ],
)
def test_an_anonymous_visitor_gets_the_best_match_of_their_browser(client, header, expected, word):
    page = client.get("/auth/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in page and word in page


def test_a_members_own_choice_wins_over_the_browser(client, auth):
    auth.login("member", language="sk")
    page = client.get("/problems/", headers={"Accept-Language": "cs,en"}).get_data(as_text=True)
    assert '<html lang="sk"' in page


def test_the_account_page_offers_the_five_languages(client, auth):
    auth.login("member")
    page = client.get("/account/").get_data(as_text=True)
    for code, name in (("cs", "Čeština"), ("sk", "Slovenčina"), ("hu", "Magyar")):
        assert f'lang="{code}" value="{code}">{name}</option>' in page or re.search(
            rf'<option[^>]*value="{code}"[^>]*>{name}</option>', page
        )
    auth.post("/language", {"language": "hu", "next": "/problems/"})
    assert db.session.get(User, auth.user.id).language == "hu"
    assert '<html lang="hu"' in client.get("/problems/").get_data(as_text=True)
