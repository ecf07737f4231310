"""Language and time zone: Polish by default, English on request, times in Europe/Warsaw."""

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from app.extensions import babel


def select_locale() -> str:
    """The signed-in user's language, else the one chosen this session, else Polish."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and scheduler: callers use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user
    if user and user.is_authenticated and user.language in languages:
        return user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "pl")[:2]


def localized(obj, field: str) -> str:
    """``obj.<field>_pl`` or ``obj.<field>_en`` for the current language, falling back to Polish."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_pl")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["current_language"] = current_language
