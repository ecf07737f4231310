"""Outgoing mail: one message builder, two transports (SMTP, or .eml files in the outbox)."""

import re
import smtplib
import ssl
from contextlib import contextmanager
from contextvars import ContextVar
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale


class MailError(Exception):
    """Sending failed; the message was not delivered."""


#: Control characters, and what str.splitlines() breaks on (U+2028 and U+2029 among them):
#: in a header value, any of them makes the email package refuse the whole message.
_NOT_IN_A_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_text(value) -> str:
    """A header value that cannot break its message: line breaks and control characters
    become spaces, and runs of spaces one. Every header is set through this."""
    return " ".join(_NOT_IN_A_HEADER.sub(" ", str(value)).split())


def build_message(
    to: str, subject: str, text: str, html: str | None = None, headers: dict[str, str] | None = None
) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = header_text(config["MAIL_DEFAULT_SENDER"])
    message["To"] = header_text(to)
    message["Subject"] = header_text(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="warsztat")
    for name, value in (headers or {}).items():
        message[name] = header_text(value)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def render_message(to: str, subject: str, template: str, **context) -> EmailMessage:
    """Build a message from ``<template>.txt`` and ``<template>.html``."""
    text = render_template(f"{template}.txt", **context)
    html = render_template(f"{template}.html", **context)
    return build_message(to, subject, text, html)


def absolute_url(path: str) -> str:
    """A link for a mail: scheduled jobs have no request to build URLs from, so mails
    use the stable paths of DESIGN.md under ``BASE_URL``."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def render_parts(template: str, language: str, **context) -> tuple[str, str, str]:
    """Subject, plain text and HTML from ``<template>.subject.txt``, ``.txt`` and
    ``.html``, in the reader's language."""
    with force_locale(language):
        subject = render_template(f"{template}.subject.txt", **context).strip()
        return (
            subject,
            render_template(f"{template}.txt", **context),
            render_template(f"{template}.html", **context),
        )


def send(message: EmailMessage) -> str:
    """Deliver ``message`` with the configured backend; returns its Message-ID."""
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(message)
    elif backend == "outbox":
        _write_outbox(message)
    else:
        raise MailError(f"unknown MAIL_BACKEND {backend!r}")
    return message["Message-ID"]


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


class _Connection:
    """The SMTP connection a batch of sends shares (``one_connection``)."""

    smtp: smtplib.SMTP | None = None


_shared: ContextVar[_Connection | None] = ContextVar("shared_smtp_connection", default=None)


@contextmanager
def one_connection():
    """Within the block, SMTP sends share one connection (and its TLS handshake and
    login) instead of opening one per message. A send that fails drops the connection;
    the next one opens a new one."""
    connection = _Connection()
    token = _shared.set(connection)
    try:
        yield
    finally:
        _shared.reset(token)
        if connection.smtp is not None:
            _close(connection.smtp)


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _send_smtp(message: EmailMessage) -> None:
    shared = _shared.get()
    try:
        if shared is None:
            with _connect() as smtp:
                smtp.send_message(message)
            return
        if shared.smtp is None:
            shared.smtp = _connect()
        try:
            shared.smtp.send_message(message)
        except BaseException:
            smtp, shared.smtp = shared.smtp, None
            smtp.close()
            raise
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP delivery to {message['To']} failed: {exc}") from exc


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_DIR"])
    outbox.mkdir(parents=True, exist_ok=True)
    stem = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    target = outbox / f"{stem}.eml"
    partial = target.with_suffix(".part")
    partial.write_bytes(bytes(message))
    partial.rename(target)  # readers never see half a message
