"""Text from uploaded strategy documents: .txt, .docx and .pdf, read with their libraries."""

import io

import pytest
from docx import Document
from sqlalchemy import select

from app.extensions import db
from app.strategies.documents import DocumentError, extract_text
from app.strategies.models import SmartStrategy


def docx_bytes(*paragraphs) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Tabela: kolej aglomeracyjna"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of these numbered objects (object 1 the catalogue), with its xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF with the text (Helvetica, ASCII), built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    return pdf_from_objects(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_docx_paragraphs_and_tables_are_read():
    text = extract_text("strategia.docx", docx_bytes("Łódź stawia na transport publiczny.")).text
    assert "Łódź stawia na transport publiczny." in text
    assert "Tabela: kolej aglomeracyjna" in text


def test_pdf_text_is_read():
    assert (
        "Smart mobility and public transport"
        in extract_text("strategy.pdf", pdf_bytes("Smart mobility and public transport")).text
    )


@pytest.mark.parametrize(
    "name, data",
    [
        ("a.pdf", b"not a pdf"),
        ("a.docx", b"PK not a zip"),
        ("a.exe", b"MZ"),
        ("a.txt", "Łódź".encode("iso-8859-2")),
        ("a.txt", b"   "),
    ],
)
def test_unreadable_files_get_a_clear_message(name, data):
    with pytest.raises(DocumentError):
        extract_text(name, data)


def test_uploading_a_docx_fills_the_full_text(auth):
    auth.login("member")
    response = auth.post(
        "/strategies/new",
        {
            "title_original": "Strategia z pliku",
            "place": "Opole",
            "country": "PL",
            "level": "municipal",
            "population_class": "",
            "language": "pl",
            "text_file": (io.BytesIO(docx_bytes("Rozwój kolei aglomeracyjnej.")), "s.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    strategy = db.session.scalar(select(SmartStrategy).where(SmartStrategy.place == "Opole"))
    assert "Rozwój kolei aglomeracyjnej." in strategy.full_text


def test_a_broken_upload_is_an_inline_error(auth):
    auth.login("member")
    response = auth.post(
        "/strategies/new",
        {
            "title_original": "Zły plik",
            "place": "Opole",
            "country": "PL",
            "level": "municipal",
            "population_class": "",
            "language": "pl",
            "text_file": (io.BytesIO(b"not a pdf"), "s.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert (
        db.session.scalar(select(SmartStrategy).where(SmartStrategy.title_original == "Zły plik"))
        is None
    )
