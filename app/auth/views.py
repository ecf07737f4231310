"""Routes for logging in and out, invitations, password resets and /account/."""

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from flask_login import current_user, login_required, login_user, logout_user

from app import audit, follows
from app.auth import api_tokens, services, sessions, tokens
from app.auth.forms import (
    AcceptInvitationForm,
    AccountForm,
    LoginForm,
    PasswordChangeForm,
    ResetPasswordForm,
    ResetRequestForm,
    TokenForm,
)
from app.forms import ToggleForm
from app.mail import MailError
from app.permissions import can

bp = Blueprint("auth", __name__)
account_bp = Blueprint("account", __name__)


def safe_next(target: str | None, default: str = "main.dashboard") -> str:
    """Only same-site paths are followed after login, never another host."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()  # no line breaks to smuggle into the Location header
    ):
        try:
            parts = urlsplit(target)
        except ValueError:
            return url_for(default)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    error = None
    status = 200
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result.user is not None and result.user.has_two_factor:
            # The password is right; the login waits for the second factor.
            session.clear()
            session[PENDING] = {
                "user": result.user.id,
                "since": int(time.time()),
                "next": safe_next(form.next.data),
            }
            session["lang"] = result.user.language
            return redirect(url_for("auth.second_step"), code=303)
        if result.user is not None:
            log_in(result.user, "password")
            return redirect(safe_next(form.next.data))
        if result.throttled:
            error = _(
                "Too many failed attempts for this address. Wait a few minutes "
                "and try again, or reset your password."
            )
            status = 429
        else:
            error = _("The email address or password is not correct.")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form, error=error), status


#: The session key of a login waiting for its second factor.
PENDING = "pending_login"


def log_in(user, method: str) -> None:
    """Start a fresh session for ``user`` (no fixation) and record the login."""
    session.clear()
    login_user(user)
    audit.record(user, "user.logged_in", user, method=method)
    sessions.start(user)  # commits the audit event with the login
    session["lang"] = user.language


@bp.post("/logout")
@login_required
def logout():
    """Log out and forget the session."""
    lang = session.get("lang")
    audit.record(current_user, "user.logged_out", current_user._get_current_object())
    sessions.end_current()  # on the server: a copy of the cookie opens nothing now
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _token_user_or_page(token: str, purpose: str):
    """The account a link was sent to; its page speaks the account's language unless the
    visitor has chosen another in this session."""
    try:
        user = tokens.read_token(token, purpose, services.get_user)
        if "lang" not in session and user.language in current_app.config["LANGUAGES"]:
            session["lang"] = user.language
            refresh_locale()
        return user, None
    except tokens.TokenExpired:
        reason = "expired"
    except tokens.TokenInvalid:
        reason = "invalid"
    page = render_template("auth/token_invalid.html", reason=reason, purpose=purpose)
    return None, (page, 400)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    """Accept an invitation: choose a password and start using Warsztat."""
    user, failure = _token_user_or_page(token, tokens.INVITATION)
    if failure:
        return failure
    if user.has_password:
        return render_template(
            "auth/token_invalid.html", reason="invalid", purpose=tokens.INVITATION
        ), 400
    form = AcceptInvitationForm(name=user.name)
    if form.validate_on_submit():
        services.accept_invitation(user, form.password.data, form.name.data)
        sessions.end_current()
        logout_user()
        log_in(user, "invitation")
        flash(_("Welcome to Warsztat. Your account is ready."), "success")
        return redirect(url_for("main.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/accept_invitation.html", form=form, user=user), status


@bp.route("/reset", methods=["GET", "POST"])
def request_reset():
    """Ask for a password-reset link by email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data)
        except MailError:
            # Logged, not shown: a different answer would tell which addresses have accounts.
            current_app.logger.exception("password-reset mail failed")
        flash(
            _(
                "If an account exists for this address, we have sent it a link to set a "
                "new password. Check your inbox."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Set a new password from a reset link."""
    user, failure = _token_user_or_page(token, tokens.PASSWORD_RESET)
    if failure:
        return failure
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)  # ends every session
        logout_user()
        session.clear()
        flash(_("Your password has been changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form), status


@account_bp.route("/", methods=["GET", "POST"])
@login_required
def settings():
    """The user's own settings: name, language, digest frequency."""
    form = AccountForm(obj=current_user)
    password_form = PasswordChangeForm(prefix="pw")
    if form.validate_on_submit():
        services.update_account(
            current_user,
            name=form.name.data,
            language=form.language.data,
            digest_frequency=form.digest_frequency.data,
            digest_hour=form.digest_hour.data,
            digest_weekday=form.digest_weekday.data,
        )
        session["lang"] = current_user.language
        flash(_("Your settings have been saved."), "success")
        return redirect(url_for("account.settings"))
    status = 400 if request.method == "POST" else 200
    return _account_page(form, password_form), status


def _account_page(form, password_form, token_form=None, new_token=None):
    with_tokens = can(current_user, "api_tokens")
    return render_template(
        "auth/account.html",
        form=form,
        password_form=password_form,
        following=follows.followed_by(current_user),
        api_tokens=api_tokens.tokens_of(current_user) if with_tokens else None,
        token_form=(token_form or TokenForm(prefix="token")) if with_tokens else None,
        new_token=new_token,
    )


def _require_api_tokens():
    if not can(current_user, "api_tokens"):
        abort(403)


@account_bp.post("/api-tokens")
@login_required
def create_api_token():
    """A new personal API token, shown once on the page that answers."""
    _require_api_tokens()
    form = AccountForm(obj=current_user, formdata=None)
    password_form = PasswordChangeForm(prefix="pw", formdata=None)
    token_form = TokenForm(prefix="token")
    if token_form.validate_on_submit():
        try:
            token = api_tokens.create(current_user, token_form.name.data)
        except api_tokens.TokenError as error:
            token_form.name.errors.append(str(error))
        else:
            page = _account_page(form, password_form, new_token=token)
            response = make_response(page)
            response.headers["Cache-Control"] = "no-store"
            return response
    return _account_page(form, password_form, token_form=token_form), 400


@account_bp.post("/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id):
    _require_api_tokens()
    if not api_tokens.revoke(current_user, token_id):
        abort(404)
    flash(_("The token was revoked; programs using it can no longer read the API."), "success")
    return redirect(url_for("account.settings", _anchor="api-tokens"), 303)


@account_bp.post("/password")
@login_required
def change_password():
    """Change one's password; every other session of this user ends."""
    form = AccountForm(obj=current_user, formdata=None)
    password_form = PasswordChangeForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            services.change_password(
                current_user, password_form.current.data, password_form.password.data
            )
        except services.AccountError as exc:
            password_form.current.errors.append(str(exc))
        else:
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("account.settings"))
    return _account_page(form, password_form), 400


@account_bp.post("/follows/<int:follow_id>")
@login_required
def mute_follow(follow_id):
    """Mute (``on=1``) or unmute (``on=0``) one of one's follows, from /account/."""
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400, _("The form has expired. Please try again."))
    if not follows.set_muted(current_user, follow_id, form.wants_on):
        abort(404)
    flash(_("Muted.") if form.wants_on else _("You will hear about it again."), "success")
    return redirect(url_for("account.settings", _anchor="following"), 303)
