"""Forms that create something are carried out once per rendering.

Each rendering of such a form carries a one-time key (``SentOnce``). The first submit
that passes validation claims the key in the same transaction as what it creates; a
repeated or parallel submit of the same rendering finds the key taken and is sent to
what the first one created, instead of creating it again. A submit that fails (a form
error, a refused change) claims nothing, so the corrected form goes through with the
same key. Forms posted without a key (older tabs, scripts) are carried out as before.

The claim is a row in ``form_submissions``; its primary key makes the database the
arbiter, on SQLite and PostgreSQL alike. Rows are kept for a day."""

import secrets
import time
from datetime import datetime, timedelta

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.scheduler import register_job

KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
#: How long a repeated submit waits for the first one to finish before giving up.
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
KEEP = timedelta(days=1)


class FormSubmission(db.Model):
    """One rendering of a create form that has been carried out."""

    __tablename__ = "form_submissions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Where the first submit led (the created object's page); empty while it runs.
    result_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def new_key() -> str:
    return secrets.token_urlsafe(24)


class SentOnce:
    """Mixin for a ``Form`` whose submit creates something (render ``submission_key``)."""

    submission_key = HiddenField(
        default=new_key,
        validators=[
            Optional(),
            Regexp(
                KEY_PATTERN,
                message=_l("This form is out of date: reload the page and send it again."),
            ),
        ],
    )


def claim(form) -> FormSubmission | None:
    """Claim the form's key before creating; the caller commits with what it creates.

    None: go ahead (the first submit of this rendering, or a form without a key).
    Otherwise the earlier submission, finished: show its result instead. Waits while a
    parallel submit of the same rendering is still running; 409 if it takes too long,
    or if the key belongs to someone else."""
    key = form.submission_key.data
    if not key:
        return None
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        earlier = db.session.get(FormSubmission, key, populate_existing=True)
        if earlier is None:
            db.session.add(FormSubmission(key=key, user_id=current_user.id))
            try:
                db.session.flush()
            except IntegrityError:
                # A parallel submit claimed it first (PostgreSQL waited for it to commit).
                db.session.rollback()
                continue
            return None
        if earlier.user_id != current_user.id:
            abort(409, _("This form is out of date: reload the page and send it again."))
        if earlier.result_url:
            return earlier
        # The first submit is still running: wait for it to finish.
        db.session.rollback()
        if time.monotonic() > deadline:
            abort(409, _("This form is still being processed. Reload the page in a moment."))
        time.sleep(POLL_SECONDS)


def done(form, result_url: str) -> None:
    """Record where the first submit led, for any repeat of it."""
    key = form.submission_key.data
    if not key:
        return
    row = db.session.get(FormSubmission, key)
    if row is not None:
        row.result_url = result_url
        db.session.commit()


def back_to(earlier: FormSubmission):
    """The answer to a repeated submit of a page form: what the first one created."""
    flash(_("This form had already been sent; here is what it created."), "info")
    return redirect(earlier.result_url, code=303)


@register_job("form-submissions")
def forget_old_submissions() -> int:
    """Drop claims older than a day: nobody resubmits a form rendered that long ago."""
    gone = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP)
    ).rowcount
    db.session.commit()
    return gone
