"""Admin pages: the list of accounts, invitations, roles and deactivation."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from app import audit
from app.admin import audit_labels
from app.admin.forms import InviteForm, ResendInvitationForm, UserForm
from app.auth import queries, services, two_factor
from app.auth.models import User
from app.extensions import db
from app.forms import Form
from app.mail import MailError
from app.mailqueue import DIGEST_KIND, OutgoingMail, recent, retry_now, rounds
from app.permissions import can, require
from app.spreadsheets import safe_row

bp = Blueprint("admin", __name__)
WARSAW = ZoneInfo("Europe/Warsaw")


def get_user_or_404(user_id: int) -> User:
    user = services.get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
@require("manage_users")
def users():
    """Every account, with role, organisation and state."""
    people = queries.users()
    return render_template("admin/users.html", people=people)


@bp.route("/users/invite", methods=["GET", "POST"])
@require("manage_users")
def invite():
    """Invite a person by email; they choose their password from the link."""
    organisations = queries.organisations()
    form = InviteForm(organisations)
    if form.validate_on_submit():
        organisation = next((o for o in organisations if o.id == form.organisation_id.data), None)
        try:
            user = services.create_user(
                form.email.data,
                form.name.data,
                form.role.data,
                organisation=organisation,
                language=form.language.data,
                actor=current_user,
            )
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            try:
                services.send_invitation(user, current_user)
            except MailError:
                flash(
                    _(
                        "The account was created, but the invitation email could not be "
                        "sent. Try sending it again from the person's page."
                    ),
                    "error",
                )
            else:
                flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.user", user_id=user.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("admin/invite.html", form=form), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require("manage_users")
def user(user_id):
    """One account: its role, organisation (and so sector), or deactivate it."""
    person = get_user_or_404(user_id)
    organisations = queries.organisations()
    form = UserForm(organisations, queries.sectors(), obj=person)
    editable = can(current_user, "change_user", person)
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            try:
                if form.new_organisation.data and form.new_organisation.data.strip():
                    organisation = services.organisation_named(
                        form.new_organisation.data, form.new_sector.data
                    )
                else:
                    organisation = next(
                        (o for o in organisations if o.id == form.organisation_id.data), None
                    )
                services.update_user(
                    person,
                    role=form.role.data,
                    active=form.active.data,
                    actor=current_user,
                    organisation=organisation,
                    # A form without the field (an older page, a script) keeps it.
                    keep_organisation="organisation_id" not in request.form
                    and not form.new_organisation.data,
                )
            except services.AccountError as exc:
                db.session.rollback()
                person = get_user_or_404(user_id)
                form.new_sector.errors.append(str(exc))
            else:
                flash(_("The account has been updated."), "success")
                return redirect(url_for("admin.user", user_id=person.id), code=303)
    status = 400 if form.errors else 200
    return render_template(
        "admin/user.html",
        person=person,
        form=form,
        editable=editable,
        resend_form=ResendInvitationForm(),
    ), status


@bp.get("/mail")
@require("manage_users")
def outgoing_mail():
    """The outgoing-mail ledger: failures first, so nobody misses a mail that did not go."""
    return render_template(
        "admin/mail.html", mails=recent(), digest_rounds=rounds(DIGEST_KIND), retry_form=Form()
    )


@bp.get("/audit")
@require("manage_users")
def audit_log():
    """Who did what, newest first, filtered by kind of action, person and dates."""
    filters, chosen = _audit_filters()
    rows, more = audit.recent(filters, chosen["page"])
    return render_template(
        "admin/audit.html",
        rows=rows,
        more=more,
        chosen=chosen,
        families=audit_labels.FAMILIES,
        people=queries.people_for_filter(),
        labels=audit_labels,
    )


@bp.get("/audit.csv")
@require("manage_users")
def audit_csv():
    """The same events as a CSV file (all pages), in the reader's language."""
    filters, _chosen = _audit_filters()

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # so Excel reads the Polish letters right
        writer.writerow(
            [_("When"), _("Who"), _("Action"), _("Code"), _("Object"), _("Id"), _("Details")]
        )
        for n, (event, actor) in enumerate(audit.every(filters), start=1):
            writer.writerow(
                safe_row(
                    [
                        format_datetime(event.created_at, "yyyy-MM-dd HH:mm:ss"),
                        actor.name if actor else _("the system"),
                        audit_labels.action_label(event.action),
                        event.action,
                        audit_labels.object_label(event.object_type),
                        event.object_id,
                        audit_labels.details_text(event.data),
                    ]
                )
            )
            if n % 200 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="warsztat-audit.csv"'
    return response


def _audit_filters() -> tuple[audit.EventFilter, dict]:
    """The log's filters from the URL; a 400 with the reason for a malformed one."""
    args = request.args
    family = args.get("family", "")
    if family and family not in audit_labels.FAMILY_BY_KEY:
        abort(400, _("Unknown kind of action."))
    # Any prefix of an action also works (links from elsewhere, e.g. "export.").
    prefix = args.get("action", "").strip()
    if len(prefix) > 60 or not all(c.isalnum() or c in "._" for c in prefix):
        abort(400, _("The action filter takes letters, dots and underscores only."))
    person = args.get("person", "")
    if person and not (person.isascii() and person.isdecimal() and len(person) <= 9):
        abort(400, _("Choose the person from the list."))
    since, until = _day(args.get("since", "")), _day(args.get("until", ""))
    if since and until and until < since:
        abort(400, _("The end date is before the start date."))
    raw_page = args.get("page", "1")
    if not (raw_page.isascii() and raw_page.isdecimal() and 0 < len(raw_page) <= 6):
        abort(400, _("The page must be a whole number."))
    prefixes = audit_labels.FAMILY_BY_KEY[family].prefixes if family else ()
    if prefix:
        prefixes = (prefix,)
    filters = audit.EventFilter(
        prefixes=prefixes,
        actor_id=int(person) if person else None,
        since=_warsaw_midnight(since) if since else None,
        until=_warsaw_midnight(until + timedelta(days=1)) if until else None,
    )
    chosen = {
        "family": family,
        "action": prefix,
        "person": int(person) if person else None,
        "since": since.isoformat() if since else "",
        "until": until.isoformat() if until else "",
        "page": max(1, int(raw_page)),
    }
    return filters, chosen


def _day(text: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    # Years far out would overflow the conversion to UTC; nothing is recorded there.
    if day is None or not 1900 <= day.year <= 2999:
        return _bad_date()
    return day


def _bad_date():
    abort(400, _("Give dates as YYYY-MM-DD."))


def _warsaw_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WARSAW).astimezone(UTC)


@bp.post("/mail/<int:mail_id>/retry")
@require("manage_users")
def retry_mail(mail_id):
    """Send a failed mail again now, e.g. after the mail server settings were fixed."""
    if not Form().validate_on_submit():
        abort(400, _("The form has expired. Please try again."))
    mail = db.session.get(OutgoingMail, mail_id)
    if mail is None:
        abort(404)
    audit.record(current_user, "mail.retried", mail, recipient=mail.recipient)
    db.session.commit()
    outcome = retry_now(mail_id)
    if outcome == "sent":
        flash(_("The mail was sent."), "success")
    elif outcome is None:
        flash(_("This mail was sent or cancelled already."), "info")
    elif outcome == "skipped":
        flash(_("The scheduler is sending this mail right now."), "info")
    else:
        flash(_("The mail could not be sent; see the error below."), "error")
    return redirect(url_for("admin.outgoing_mail"), 303)


@bp.post("/users/<int:user_id>/invitation")
@require("manage_users")
def resend_invitation(user_id):
    """Send the invitation again (a new link; the old one stays valid until it expires)."""
    person = get_user_or_404(user_id)
    form = ResendInvitationForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.send_invitation(person, current_user)
    except services.AccountError as exc:
        flash(str(exc), "error")
    except MailError:
        flash(_("The invitation email could not be sent. Please try again later."), "error")
    else:
        flash(_("Invitation sent to %(email)s.", email=person.email), "success")
    return redirect(url_for("admin.user", user_id=person.id), code=303)


@bp.post("/users/<int:user_id>/two-factor/reset")
@require("manage_users")
def reset_two_factor(user_id):
    """Turn someone's two-factor sign-in off (a lost phone and lost codes); if their role
    requires it, they set it up again when they next log in."""
    person = get_user_or_404(user_id)
    if not can(current_user, "change_user", person):
        abort(403)
    if not ResendInvitationForm().validate_on_submit():
        abort(400, _("The form has expired. Please try again."))
    if not person.has_two_factor:
        abort(409, _("Two-factor sign-in is off for this account."))
    two_factor.reset(person, current_user)
    flash(_("Two-factor sign-in is off for %(name)s.", name=person.name), "success")
    return redirect(url_for("admin.user", user_id=person.id), code=303)
