"""Which files Warsztat keeps, decided by what is in them.

libmagic (the ``file`` command's library) names the type from the content. A type it
names as a zip container (DOCX, XLSX, PPTX and the OpenDocument formats are zips) is
then confirmed by the container itself: the part that makes it a document of that kind
must be in it. The name the file came with and the browser's claim decide nothing; the
name only comes back on download, cleaned."""

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import magic
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    """One type of file that is accepted."""

    mime: str
    #: Extensions the type goes by; the first is added to a name that has none of them.
    extensions: tuple[str, ...]
    label: str
    #: How its text is read for search (``attachments.text``); None: it has none.
    reader: str | None
    #: For a zip-based type: the member that proves it (OOXML's main part, or ODF's
    #: ``mimetype``, whose content must be the type).
    zip_member: str | None = None


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

KINDS = (
    Kind("application/pdf", ("pdf",), "PDF", "pdf"),
    Kind(_OOXML + "wordprocessingml.document", ("docx",), "DOCX", "docx", "word/document.xml"),
    Kind(_OOXML + "spreadsheetml.sheet", ("xlsx",), "XLSX", "xlsx", "xl/workbook.xml"),
    Kind(_OOXML + "presentationml.presentation", ("pptx",), "PPTX", "pptx", "ppt/presentation.xml"),
    Kind(_ODF + "text", ("odt",), "ODT", "odf", "mimetype"),
    Kind(_ODF + "spreadsheet", ("ods",), "ODS", "odf", "mimetype"),
    Kind(_ODF + "presentation", ("odp",), "ODP", "odf", "mimetype"),
    Kind("image/png", ("png",), "PNG", None),
    Kind("image/jpeg", ("jpg", "jpeg"), "JPEG", None),
    Kind("text/csv", ("csv",), "CSV", "text"),
    Kind("text/plain", ("txt",), "TXT", "text"),
)
BY_MIME = {kind.mime: kind for kind in KINDS}

#: What the person is told is accepted (the labels, in order).
ACCEPTED = ", ".join(kind.label for kind in KINDS)

#: Text types libmagic names that are not plain text to anybody who opens them.
_ACTIVE_TEXT = ("text/html", "text/xml", "text/javascript", "text/x-php", "text/x-shellscript")
_CONTAINERS = ("application/zip", "application/octet-stream")
#: The most of an ODF ``mimetype`` member that is read.
_MIMETYPE_BYTES = 100
#: Bounds on what a zip-based document may unpack to, by its own directory: in all,
#: per member against its packed size (text and XML pack 5-30 times; a bomb of zeros
#: a thousand), and in members. Beyond them it is refused before anyone unpacks it.
MAX_UNPACKED = 500 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


class Refused(Exception):
    """The file is not kept; ``args[0]`` is the reason for the person."""


def detect(path: Path) -> Kind:
    """The kind of the file at ``path``, or ``Refused`` with a reason."""
    if path.stat().st_size == 0:
        raise Refused(_l("The file is empty."))
    found = magic.from_file(str(path), mime=True)
    kind = BY_MIME.get(found)
    if found in _CONTAINERS or (kind and kind.zip_member):
        return _confirm_zip(path, kind, found)
    if kind is None and found.startswith("text/") and found not in _ACTIVE_TEXT:
        # libmagic guesses a programming language for some notes (text/x-c, ...):
        # to a reader they are text, and they are served as text, never run.
        kind = BY_MIME["text/plain"]
    if kind is None:
        raise Refused(_refusal(found))
    return kind


def _confirm_zip(path: Path, claimed: Kind | None, found: str) -> Kind:
    """The document kind a zip really is, by the part that makes it one."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_unpacked(members)
            names = {member.filename for member in members}
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    declared = member.read(_MIMETYPE_BYTES).decode("ascii", "replace").strip()
                kind = BY_MIME.get(declared)
                if kind and kind.zip_member == "mimetype":
                    return kind
            for kind in KINDS:
                if kind.zip_member and kind.zip_member != "mimetype" and kind.zip_member in names:
                    return kind
    except (zipfile.BadZipFile, OSError, EOFError):
        pass
    if claimed is not None:
        raise Refused(
            _l(
                "The file says it is %(label)s but is not a whole %(label)s file.",
                label=claimed.label,
            )
        )
    raise Refused(_refusal(found))


def _check_unpacked(members: list[zipfile.ZipInfo]) -> None:
    too_big = (
        len(members) > MAX_MEMBERS
        or sum(member.file_size for member in members) > MAX_UNPACKED
        or any(
            member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * member.compress_size
            for member in members
        )
    )
    if too_big:
        raise Refused(
            _l(
                "The file unpacks to far more than its size (a “zip bomb”), so it is not "
                "kept. Save it again from its program, or as a PDF."
            )
        )


def _refusal(found: str):
    return _l(
        "This type of file (%(type)s) is not accepted. Accepted: %(accepted)s.",
        type=found,
        accepted=ACCEPTED,
    )


#: The longest name kept (in characters, the extension included).
MAX_NAME = 150


def clean_name(name: str, kind: Kind) -> str:
    """The name offered on download: the person's own name for the file, with a path
    or control characters refused, spaces and dots trimmed, and an extension that fits
    the content."""
    name = unicodedata.normalize("NFC", name or "")
    if "/" in name or "\\" in name:
        raise Refused(_l("The file name contains a folder path; rename the file and try again."))
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name):
        raise Refused(
            _l("The file name contains control characters; rename the file and try again.")
        )
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in kind.extensions:
        stem, extension = name, kind.extensions[0]
    stem = stem[: MAX_NAME - len(extension) - 1].rstrip(" .") or "file"
    return f"{stem}.{extension}"


def title_from_name(name: str) -> str:
    """A title for a file uploaded without one: its name without the extension."""
    stem, dot, _extension = name.rpartition(".")
    return (stem if dot else name).replace("_", " ").strip() or name
