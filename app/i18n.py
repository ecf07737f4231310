"""Language and time zone: Polish by default; English, Czech, Slovak and Hungarian on
request or from the browser's Accept-Language; times in Europe/Warsaw."""

from datetime import UTC, date, datetime, time
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, parse_pattern
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from app.extensions import babel

#: The interface languages, each named in itself (as the language switch shows them).
LANGUAGE_NAMES = {
    "pl": "Polski",
    "en": "English",
    "cs": "Čeština",
    "sk": "Slovenčina",
    "hu": "Magyar",
}
LANGUAGES = tuple(LANGUAGE_NAMES)


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else the best
    match of the browser's Accept-Language, else Polish. A code not offered falls back
    without an error."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and scheduler: callers use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user
    if user and user.is_authenticated and user.language in languages:
        return user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    return str(get_locale() or "pl")[:2]


def localized(obj, field: str) -> str:
    """``obj.<field>_<language>`` for the current language (see ``text_in``)."""
    return text_in(obj, field, current_language())


def text_in(obj, field: str, language: str) -> str:
    """``obj.<field>_<language>``. Where a text is missing in that language, a reader who
    is not Polish gets the English one (a Czech partner reads English sooner than
    Polish), and the Polish one is the last resort."""
    value = getattr(obj, f"{field}_{language}", None)
    if not value and language != "pl":
        value = getattr(obj, f"{field}_en", None)
    return value or getattr(obj, f"{field}_pl")


def language_display(code: str | None) -> str:
    """The name of the language ``code`` in the reader's language ("czeski" in Polish),
    from CLDR; the code itself when CLDR does not know it."""
    try:
        name = Locale.parse(code).get_display_name(get_locale() or "pl")
    except (TypeError, ValueError, UnknownLocaleError):
        return code or ""
    return name or code


# --- dates in pages ---------------------------------------------------------------------------

_STANDARD = ("short", "medium", "long", "full")


@lru_cache(maxsize=512)
def _pattern(kind: str, format: str, locale_id: str) -> DateTimePattern:
    """The CLDR pattern of ``kind`` (date, time or datetime) and ``format`` in a locale,
    parsed once per process. A standard date-and-time format is the locale's joining
    pattern with its date and time patterns put in, which is what Babel does to the
    formatted parts each time."""
    if format not in _STANDARD:
        return parse_pattern(format)
    locale = Locale.parse(locale_id)
    if kind == "date":
        return locale.date_formats[format]
    if kind == "time":
        return locale.time_formats[format]
    joined = locale.datetime_formats[format]
    return parse_pattern(
        joined.replace("{1}", locale.date_formats[format].pattern).replace(
            "{0}", locale.time_formats[format].pattern
        )
    )


def _formatter(kind: str, fallback):
    """A template filter that formats like Flask-Babel's (the reader's language, times
    in Warsaw) from a cached pattern: a page of 30 dates no longer looks up and parses
    the locale's patterns 30 times."""

    def format_value(value=None, format=None):
        if value is None:
            return fallback(value, format)  # "now", as Flask-Babel has it
        locale = get_locale()
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            value = value.astimezone(get_timezone())
            if kind == "date":
                value = value.date()
        elif not isinstance(value, date | time):
            return fallback(value, format)
        return _formatted(kind, format or "medium", str(locale), value)

    return format_value


@lru_cache(maxsize=4096)
def _formatted(kind: str, format: str, locale_id: str, value: date | time) -> str:
    """``value`` (already in Warsaw time) formatted; a list of 25 rows changed on three
    days formats three dates."""
    return _pattern(kind, format, locale_id).apply(value, _locale(locale_id))


_locale = lru_cache(maxsize=16)(Locale.parse)


# --- texts in templates ---------------------------------------------------------------------

#: The catalogue of each locale, as Flask-Babel loaded it. Every app of a process reads
#: the same translations folder, so one table serves them all.
_catalogues: dict[Locale, object] = {}


def _catalogue():
    """The current locale's catalogue (``force_locale`` included). Flask-Babel finds it
    anew for every text, through three context look-ups and the locale's name; a page
    shows a hundred texts."""
    locale = get_locale()
    try:
        return _catalogues[locale]
    except KeyError:
        found = get_translations()
        if locale is not None:
            _catalogues[locale] = found
        return found


def _install_template_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda text: _catalogue().ugettext(text),
        ngettext=lambda one, many, n: _catalogue().ungettext(one, many, n),
        pgettext=lambda context, text: _catalogue().upgettext(context, text),
        npgettext=lambda context, one, many, n: _catalogue().unpgettext(context, one, many, n),
        newstyle=True,
    )


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.jinja_env.filters["datetimeformat"] = _formatter("datetime", format_datetime)
    app.jinja_env.filters["dateformat"] = _formatter("date", format_date)
    app.jinja_env.filters["timeformat"] = _formatter("time", format_time)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["language_display"] = language_display
