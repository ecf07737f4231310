"""Files of every accepted kind, and some that must be refused, made in the test."""

import io
import struct
import zipfile
import zlib

from docx import Document
from openpyxl import Workbook
from pptx import Presentation

ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
    "<text:h>{heading}</text:h><text:p>{text}</text:p>"
    "</office:text></office:body></office:document-content>"
)


def docx(text: str = "Zażółć gęślą jaźń: Kopenhaga jako studium przypadku.") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx(text: str = "Wskaźnik zatrudnienia") -> bytes:
    book = Workbook()
    book.active["A1"] = text
    book.active["B1"] = 42
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pptx(title: str = "Kopenhaga", body: str = "Zielone miejsca pracy") -> bytes:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = title
    slide.placeholders[1].text = body
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odf(kind: str = "text", text: str = "Łódź, Brno, Győr", heading: str = "Materiał") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # ODF: "mimetype" first and stored, as the standard asks.
        archive.writestr(zipfile.ZipInfo("mimetype"), f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", ODT_CONTENT.format(heading=heading, text=text))
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def pdf(text: str = "Copenhagen smart city case study") -> bytes:
    """A one-page PDF with ``text`` in Helvetica (ASCII only)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def png() -> bytes:
    """A 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """The start of a JFIF JPEG: what its type is read from."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\x00" * 64
        + b"\xff\xd9"
    )


def zip_bomb(declared: int = 2 * 1024**3) -> bytes:
    """A DOCX-shaped zip whose one big member inflates from a few kB to ``declared``
    bytes (written as zeros in chunks, never held whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\x00" * (1024 * 1024)
            for _ in range(declared // len(block)):
                member.write(block)
    return out.getvalue()


ACCEPTED = {
    "slides.pdf": (pdf(), "application/pdf"),
    "notes.docx": (
        docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "data.xlsx": (xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "talk.pptx": (
        pptx(),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "notes.odt": (odf("text"), "application/vnd.oasis.opendocument.text"),
    "data.ods": (odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    "talk.odp": (odf("presentation"), "application/vnd.oasis.opendocument.presentation"),
    "map.png": (png(), "image/png"),
    "photo.jpg": (jpeg(), "image/jpeg"),
    "table.csv": ("miasto,kraj\nBrno,CZ\nGyőr,HU\nŁódź,PL\n".encode(), "text/csv"),
    "readme.txt": (b"Notatka ze spotkania o rynku pracy.\n", "text/plain"),
}
