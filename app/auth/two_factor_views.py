"""Routes of two-factor sign-in: the second step of a login, setting it up on the
account page, new recovery codes, turning it off; and the rule that an account whose
role requires it sets it up before doing anything else."""

import time

from flask import (
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import services, two_factor
from app.auth.forms import ConfirmAppForm, SecondFactorForm
from app.auth.models import User
from app.auth.views import PENDING, account_bp, bp, log_in, safe_next
from app.extensions import db
from app.forms import ToggleForm

#: What an account that must set up two-factor sign-in may still open.
_OPEN_WHILE_REQUIRED = frozenset(
    {
        "account.two_factor",
        "account.two_factor_start",
        "account.two_factor_enable",
        "auth.logout",
        "main.set_language",
        "main.healthz",
        "main.readyz",
        "static",
    }
)


@account_bp.before_app_request
def set_up_second_factor_first():
    """An administrator or reviewer without two-factor sign-in is sent to set it up
    (when the setting requires it for their role): every other page waits."""
    if (
        request.endpoint in _OPEN_WHILE_REQUIRED
        or not current_user.is_authenticated
        or current_user.has_two_factor
        or not two_factor.required(current_user)
    ):
        return None
    if request.headers.get("HX-Request"):
        # A fragment cannot hold the set-up page: htmx sends the whole browser there.
        response = Response(status=204)
        response.headers["HX-Redirect"] = url_for("account.two_factor")
        return response
    if request.method == "GET":
        flash(_("Your role requires two-factor sign-in. Set it up to continue."), "info")
    return redirect(url_for("account.two_factor"), code=303)


# --- the second step of a login ----------------------------------------------------


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > two_factor.PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.active and user.has_two_factor else None


@bp.route("/two-factor", methods=["GET", "POST"])
def second_step():
    """After the password: a code from the app or a recovery code."""
    user = _pending_user()
    if user is None:
        flash(_("Log in again: the first step has expired."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        try:
            method = two_factor.check(user, form.code.data)
        except two_factor.TooManyAttempts as exc:
            form.code.errors.append(str(exc))
            status = 429
        except services.AccountError as exc:
            form.code.errors.append(str(exc))
            status = 401
        else:
            target = safe_next(session[PENDING].get("next"))
            log_in(user, method)
            if method == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(
                    _(
                        "You used a recovery code; %(left)s are left. Make new ones on your "
                        "account page if you are running out.",
                        left=left,
                    ),
                    "info",
                )
            return redirect(target)
    elif request.method == "POST":
        status = 400
    return render_template("auth/second_step.html", form=form), status


# --- on the account page -------------------------------------------------------------


def _setup_page(status=200, *, confirm_form=None, codes=None, code_form=None):
    secret = current_user.totp_pending_secret
    setting_up = None
    if secret and not current_user.has_two_factor:
        uri = two_factor.setup_uri(current_user, secret)
        setting_up = {
            "qr": two_factor.qr_svg(uri, _("QR code for your authenticator app")),
            "secret": two_factor.grouped(secret),
        }
    response = make_response(
        render_template(
            "auth/two_factor.html",
            setting_up=setting_up,
            confirm_form=confirm_form or ConfirmAppForm(),
            code_form=code_form or SecondFactorForm(),
            start_form=ToggleForm(),
            codes=codes,
            required=two_factor.required(current_user),
            codes_left=two_factor.recovery_codes_left(current_user)
            if current_user.has_two_factor
            else 0,
        ),
        status,
    )
    # A secret or recovery codes are on this page: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@account_bp.get("/two-factor", endpoint="two_factor")
@login_required
def two_factor_settings():
    """Two-factor sign-in: on or off, how to set it up, recovery codes."""
    return _setup_page()


@account_bp.post("/two-factor/start")
@login_required
def two_factor_start():
    """A new secret to scan, kept with the account until a code confirms it."""
    if not ToggleForm().validate_on_submit():
        abort(400, _("The form has expired. Please try again."))
    if current_user.has_two_factor:
        return redirect(url_for("account.two_factor"), code=303)
    two_factor.start_setup(current_user)
    return _setup_page()


@account_bp.post("/two-factor/enable")
@login_required
def two_factor_enable():
    """Turn it on with the first code from the app; the recovery codes are shown once."""
    form = ConfirmAppForm()
    if not form.validate_on_submit():
        return _setup_page(400, confirm_form=form)
    try:
        codes = two_factor.enable(current_user, form.code.data)
    except two_factor.TooManyAttempts as exc:
        form.code.errors.append(str(exc))
        return _setup_page(429, confirm_form=form)
    except services.AccountError as exc:
        form.code.errors.append(str(exc))
        return _setup_page(400, confirm_form=form)
    flash(_("Two-factor sign-in is on."), "success")
    return _setup_page(codes=codes)


def _with_current_code(change):
    """Run ``change(user, code)`` for a form asking a current code; the page again with
    the form's error (400, or 429 when throttled) if it is refused. Returns
    (result, None) or (None, the error page)."""
    form = SecondFactorForm()
    if not current_user.has_two_factor:
        abort(409, _("Two-factor sign-in is off."))
    if not form.validate_on_submit():
        return None, _setup_page(400, code_form=form)
    try:
        return change(current_user, form.code.data), None
    except services.AccountError as exc:
        form.code.errors.append(str(exc))
        status = 429 if isinstance(exc, two_factor.TooManyAttempts) else 400
        return None, _setup_page(status, code_form=form)


@account_bp.post("/two-factor/recovery-codes")
@login_required
def two_factor_codes():
    """Ten new recovery codes (the old ones stop working); a current code is asked."""
    codes, refused = _with_current_code(two_factor.new_recovery_codes)
    return refused or _setup_page(codes=codes)


@account_bp.post("/two-factor/disable")
@login_required
def two_factor_disable():
    """Turn it off with a current code (not where the role requires it)."""
    _done, refused = _with_current_code(two_factor.disable)
    if refused:
        return refused
    flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("account.two_factor"), code=303)
