"""The notification bell and list, and the digests' one-click unsubscribe page."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import update

from app.auth import services as account_services
from app.auth.views import account_bp
from app.database import utcnow
from app.digests import queries
from app.digests.digest import user_from_unsubscribe_token
from app.digests.models import Notification
from app.digests.texts import notification_text
from app.extensions import csrf, db, htmx
from app.forms import ToggleForm
from app.permissions import require

bp = Blueprint("notifications", __name__)
# Every page's layout shows the bell, and the list and the mails word each notification.
bp.add_app_template_global(notification_text)


@bp.app_context_processor
def bell_count():
    def unread():
        return queries.unread_count(current_user.id) if current_user.is_authenticated else 0

    return {"bell_unread": unread}


@bp.app_context_processor
def waiting_requests():
    """The dashboard lists what still asks for the person's action (decided now)."""

    def waiting(without=()):
        if not current_user.is_authenticated:
            return []
        return queries.needs_action(current_user.id, without=without)

    return {"needs_action": waiting}


@bp.get("/")
@require("view_notifications")
def index():
    """The person's notifications, newest first."""
    return render_template(
        "notifications/index.html",
        notifications=queries.recent(current_user.id),
        unread=queries.unread_count(current_user.id),
        form=ToggleForm(),
    )


@bp.get("/bell")
@require("view_notifications")
def bell():
    """The bell with its unread count (polled by htmx)."""
    return render_template("notifications/_bell.html", unread=queries.unread_count(current_user.id))


@bp.post("/read")
@require("view_notifications")
def mark_all_read():
    """Mark every notification as read."""
    if not ToggleForm().validate_on_submit():
        abort(400)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    if htmx:
        return render_template("notifications/_bell.html", unread=0)
    return redirect(url_for("notifications.index"), code=303)


@bp.get("/<int:notification_id>")
@require("view_notifications")
def follow(notification_id):
    """Open a notification: mark it read and go to what it is about."""
    item = db.session.get(Notification, notification_id)
    if item is None or item.user_id != current_user.id:
        abort(404)
    if item.read_at is None:
        item.read_at = utcnow()
        db.session.commit()
    if not item.url.startswith("/") or item.url.startswith("//"):
        abort(404)
    return redirect(item.url, code=303)


# The unsubscribe link is the account's (``/account/unsubscribe/<token>``), but the
# token is the digests': this feature adds the route to the account blueprint.
@account_bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token authorises; mail clients' one-click POST carries no form
def unsubscribe(token):
    """Switch digests off from the link in a digest, without logging in.

    GET only asks (link checkers in mail systems follow links); POST does it, from the
    button on that page or from a mail client's RFC 8058 one-click request."""
    user = user_from_unsubscribe_token(token)
    if user is None:
        abort(404, _("This unsubscribe link is not valid."))
    if request.method == "POST":
        account_services.unsubscribe_from_digests(user)
        return render_template("auth/unsubscribed.html", user=user)
    return render_template("auth/unsubscribe.html", user=user, token=token)
