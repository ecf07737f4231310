"""The document reader's child process: a document (PDF, DOCX, PPTX, XLSX or an
OpenDocument file) from a path or stdin, its text as JSON on stdout.

It is started by ``app.reading`` as a plain script (``python -I extraction.py``), so it
imports neither the app nor its configuration, and it limits itself before it reads a
byte: address space, CPU time, and no file may be written. Whatever a hostile document
does, it does to this process, which then dies or answers with a reason code; the web
worker only reads the answer. Reason codes, not sentences: the parent translates them."""

import io
import json
import resource
import sys
import zipfile

#: The most a zip-based document may unpack to, all its parts together (bytes, as its
#: zip declares; zipfile never inflates a member beyond its declared size).
MAX_UNPACKED = 40 * 1024 * 1024
#: The most cells of a spreadsheet that are read.
MAX_CELLS = 2_000_000
#: The most pages of a PDF that are read.
MAX_PAGES = 2_000


class Refused(Exception):
    """The document is beyond a bound; ``args[0]`` is the reason code."""


def limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def take(parts, max_chars: int) -> tuple[str, bool]:
    """Join text parts until ``max_chars``; whether anything was left out."""
    kept, total = [], 0
    for part in parts:
        if not part:
            continue
        if total + len(part) > max_chars:
            kept.append(part[: max_chars - total])
            return "\n".join(kept), True
        kept.append(part)
        total += len(part) + 1
    return "\n".join(kept), False


def check_zip(data: bytes, main_part: str) -> None:
    """A zip-based document: whole, with its main part, and not a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if main_part not in archive.namelist():
                raise Refused("unreadable")
    except zipfile.BadZipFile:
        raise Refused("unreadable") from None
    if unpacked > MAX_UNPACKED:
        raise Refused("unpacks_too_large")


def read_docx(data: bytes, max_chars: int) -> tuple[str, bool]:
    check_zip(data, "word/document.xml")
    # Loaded on demand: the child process reads one kind of document, under a memory
    # limit, and should not carry the other parsers.
    from docx import Document

    document = Document(io.BytesIO(data))

    def parts():
        for paragraph in document.paragraphs:
            yield paragraph.text
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield cell.text

    return take(parts(), max_chars)


def read_pdf(data: bytes, max_chars: int) -> tuple[str, bool]:
    # Loaded on demand, as python-docx above.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise Refused("encrypted")
    if len(reader.pages) > MAX_PAGES:
        raise Refused("too_many_pages")
    return take((page.extract_text() or "" for page in reader.pages), max_chars)


def read_pptx(data: bytes, max_chars: int) -> tuple[str, bool]:
    check_zip(data, "ppt/presentation.xml")
    from pptx import Presentation  # on demand, as python-docx above

    presentation = Presentation(io.BytesIO(data))

    def parts():
        for slide in presentation.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    yield shape.text_frame.text
            if slide.has_notes_slide:
                yield slide.notes_slide.notes_text_frame.text

    return take(parts(), max_chars)


def read_xlsx(data: bytes, max_chars: int) -> tuple[str, bool]:
    check_zip(data, "xl/workbook.xml")
    from openpyxl import load_workbook  # on demand, as python-docx above

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)

    def parts():
        cells = 0
        for sheet in book.worksheets:
            yield sheet.title
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    return
                yield " ".join(str(value) for value in row if value is not None)

    try:
        return take(parts(), max_chars)
    finally:
        book.close()


#: OpenDocument's text elements: paragraphs and headings, each a line.
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def read_odf(data: bytes, max_chars: int) -> tuple[str, bool]:
    """The paragraphs and headings of an ODT, ODS or ODP (content.xml, read as a
    stream; no entities, no network)."""
    check_zip(data, "content.xml")
    from lxml import etree  # on demand, as python-docx above

    lines = {f"{{{_ODF_TEXT}}}p", f"{{{_ODF_TEXT}}}h"}

    def parts():
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
            events = etree.iterparse(
                xml, events=("end",), tag=tuple(lines), resolve_entities=False, no_network=True
            )
            for _event, element in events:
                yield "".join(element.itertext())
                element.clear(keep_tail=True)

    return take(parts(), max_chars)


READERS = {
    "docx": read_docx,
    "pdf": read_pdf,
    "pptx": read_pptx,
    "xlsx": read_xlsx,
    "odf": read_odf,
}


def main(argv: list[str]) -> int:
    kind, max_chars, memory_bytes, cpu_seconds = argv[1], *map(int, argv[2:5])
    source = argv[5] if len(argv) > 5 else "-"
    limit_self(memory_bytes, cpu_seconds)
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(source, "rb") as document:
            data = document.read()
    try:
        text, truncated = READERS[kind](data, max_chars)
        answer = {"text": text, "truncated": truncated}
    except Refused as refusal:
        answer = {"refused": refusal.args[0]}
    except MemoryError:
        answer = {"refused": "needs_too_much_memory"}
    except Exception:  # noqa: BLE001  whatever the parser trips on, the file is unreadable
        answer = {"refused": "unreadable"}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
