"""Friendly error pages in both languages; htmx requests get a small fragment."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from app.extensions import db, htmx


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Check what you sent and try again."),
        401: _("Please log in to continue."),
        403: _("You do not have permission to see this page or do this."),
        404: _("There is no such page. The link may be wrong or the item was removed."),
        405: _("This address does not accept that kind of request."),
        409: _("Someone else changed this in the meantime."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _(
            "Something went wrong on our side. It has been logged; please try again in a moment."
        ),
        503: _("The service is temporarily unavailable. Please try again shortly."),
    }


def render_error(code: int, message: str | None = None):
    message = message or _messages().get(code, _messages()[500])
    if request.path.startswith("/api/"):
        return jsonify(error=message, status=code), code
    template = "errors/_error.html" if htmx else "errors/error.html"
    return render_template(template, code=code, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "The form's security token is missing or has expired. "
                "Go back, reload the page and send the form again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # A message given with abort(code, message) is shown; otherwise the generic one.
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code, custom)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        # The database is down or unreachable: say so (503, retry later) rather than
        # "something went wrong"; pool_pre_ping reconnects once it is back, no restart.
        db.session.rollback()
        app.logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)
        try:
            response = render_error(
                503,
                _(
                    "The database cannot be reached at the moment. Nothing you sent was "
                    "saved; please try again in a minute."
                ),
            )
        except Exception:  # noqa: BLE001  the layout needs the database for the user
            db.session.rollback()
            # Rendered without context processors: they would ask the database again.
            page = app.jinja_env.get_template("errors/unavailable.html").render()
            response = page, 503
        body, code = response
        return body, code, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()  # never leave half a change behind
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            return render_error(500)
        except Exception:  # noqa: BLE001  the page itself failed (database down?)
            app.logger.exception("The error page failed too")
            return render_template("errors/fatal.html"), 500
