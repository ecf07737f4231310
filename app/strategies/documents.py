"""Text out of an uploaded strategy document (.txt, .docx, .pdf), for suggestions and search."""

import io

from flask_babel import gettext as _

MAX_UPLOAD = 10 * 1024 * 1024
MAX_TEXT = 2_000_000


class DocumentError(Exception):
    """The file cannot be read; the message is for the person."""


def extract_text(filename: str, data: bytes) -> str:
    if len(data) > MAX_UPLOAD:
        raise DocumentError(_("The file is larger than 10 MB."))
    name = filename.lower()
    try:
        if name.endswith(".txt"):
            text = data.decode("utf-8-sig")
        elif name.endswith(".docx"):
            from docx import Document

            document = Document(io.BytesIO(data))
            parts = [p.text for p in document.paragraphs]
            for table in document.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
            text = "\n".join(parts)
        elif name.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise DocumentError(_("The PDF is password-protected."))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        else:
            raise DocumentError(_("Upload a .txt, .docx or .pdf file."))
    except DocumentError:
        raise
    except UnicodeDecodeError:
        raise DocumentError(
            _("The text file is not UTF-8; save it as UTF-8 and try again.")
        ) from None
    except Exception:  # noqa: BLE001  any parser failure means an unreadable file
        raise DocumentError(
            _(
                "The file could not be read. Is it really a %(kind)s file?",
                kind=name.rsplit(".", 1)[-1],
            )
        ) from None
    text = text.replace("\x00", "").strip()
    if not text:
        raise DocumentError(
            _(
                "No text was found in the file (a scanned PDF has only "
                "pictures); paste the text instead."
            )
        )
    return text[:MAX_TEXT]
