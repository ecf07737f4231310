"""Sessions, login loading and the HTTP security headers every response carries."""

import flask
from flask import Flask, Response, abort, current_app, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from app.extensions import htmx, login_manager

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        return jsonify(error="authentication required"), 401
    if htmx:
        # A fragment cannot show the login page; send the whole browser there.
        response = Response(status=401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=request.full_path)
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


#: The largest id a URL may carry: PostgreSQL's integer, so no lookup overflows.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with an upper bound: a 30-digit id is a 404, not a database error.
    ASCII digits only: werkzeug's ``\\d`` also matches "٣", which ``int()`` reads as 3."""

    regex = r"[0-9]+"

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class Request(flask.Request):
    """A request whose view is marked ``large_body(setting)`` may carry a body up to that
    setting (in MB) instead of ``MAX_CONTENT_LENGTH``. The limit has to be known from
    the route alone: CSRF protection reads the body before the view runs."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None and current_app:
            view = current_app.view_functions.get(self.url_rule.endpoint)
            setting = getattr(view, "large_body", None)
            if setting:
                return current_app.config[setting] * 1024 * 1024
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    def _get_file_stream(self, *args, **kwargs):
        # Every spooled file of an upload is closed with the request, also the one a
        # client cut off halfway (the parser then never hands it to ``files``).
        stream = super()._get_file_stream(*args, **kwargs)
        self.__dict__.setdefault("_upload_streams", []).append(stream)
        return stream

    def close(self) -> None:
        super().close()
        for stream in self.__dict__.pop("_upload_streams", ()):
            stream.close()


def large_body(setting: str):
    """Mark a view that takes uploads up to ``current_app.config[setting]`` MB."""

    def mark(view):
        view.large_body = setting
        return view

    return mark


def reject_nul_bytes():
    """A NUL byte in the path, query or form is never meant; PostgreSQL refuses it."""
    if "\x00" in request.path or b"\x00" in request.query_string:
        abort(400)
    if (
        request.method == "POST"
        and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        and any("\x00" in value for value in request.form.values())
    ):
        abort(400)


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        # One URL serves a page or, for htmx, its fragment: caches must tell them apart.
        headers.add("Vary", "HX-Request")
    if not request.path.startswith("/static/") and "no-store" not in headers.get(
        "Cache-Control", ""
    ):
        # Pages, downloads (exports, package files; send_file says only "no-cache") and
        # the API show personal or unpublished data: only static files may be cached.
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("HSTS_SECONDS"):
        headers.setdefault(
            "Strict-Transport-Security",
            f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains",
        )
    return response


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(reject_nul_bytes)
    app.after_request(set_security_headers)
