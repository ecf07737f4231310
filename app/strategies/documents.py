"""Text out of an uploaded strategy document (.txt, .docx, .pdf), for suggestions and search.

Reading a document is where a small upload can cost the most: a 278 KB .docx that
unpacks to 95 MB, or a 24 KB PDF whose content streams take a minute of CPU. So a .docx
or .pdf is read by the bounded child process of ``app.reading``; the web worker only
receives the text. Every bound that is hit is a refusal with a reason, and nothing is
stored."""

from dataclasses import dataclass

from flask_babel import gettext as _

from app import reading

MAX_UPLOAD = 10 * 1024 * 1024
#: The most characters of a strategy's text that are kept (about 250 pages).
MAX_TEXT = 500_000


class DocumentError(Exception):
    """The file cannot be read; the message is for the person."""


@dataclass(frozen=True)
class Extracted:
    text: str
    #: True when the document had more than MAX_TEXT characters and only those were kept.
    truncated: bool


def extract_text(filename: str, data: bytes) -> Extracted:
    if len(data) > MAX_UPLOAD:
        raise DocumentError(_("The file is larger than 10 MB."))
    kind = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if kind == "txt":
        text, truncated = _read_txt(data)
    elif kind in ("docx", "pdf"):
        text, truncated = _read_in_child(kind, data)
    else:
        raise DocumentError(_("Upload a .txt, .docx or .pdf file."))
    text = text.replace("\x00", "").strip()
    if not text:
        raise DocumentError(
            _(
                "No text was found in the file (a scanned PDF has only "
                "pictures); paste the text instead."
            )
        )
    return Extracted(text, truncated)


def _read_txt(data: bytes) -> tuple[str, bool]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(
            _("The text file is not UTF-8; save it as UTF-8 and try again.")
        ) from None
    return text[:MAX_TEXT], len(text) > MAX_TEXT


def _read_in_child(kind: str, data: bytes) -> tuple[str, bool]:
    try:
        return reading.read_document(kind, MAX_TEXT, data=data)
    except reading.Unreadable as refusal:
        raise DocumentError(_refusal(refusal.args[0], kind)) from None


def _too_slow() -> str:
    return _(
        "Reading the document took too long, so it was stopped. Save it as a simpler "
        "file (for example a PDF with fewer images) or paste its text instead."
    )


def _too_big() -> str:
    return _(
        "The document unpacks to far more than its file size and was not read. "
        "Paste its text instead."
    )


def _refusal(reason: str, kind: str) -> str:
    if reason == "too_slow":
        return _too_slow()
    if reason == "encrypted":
        return _("The PDF is password-protected.")
    if reason == "too_many_pages":
        return _("The PDF has more than 2,000 pages; paste the part that matters instead.")
    if reason == "too_big":
        return _too_big()
    return _("The file could not be read. Is it really a %(kind)s file?", kind=kind)
