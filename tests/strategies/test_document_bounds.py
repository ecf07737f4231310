"""Hostile uploads are refused within bounds, outside the web worker's memory, and leave
nothing stored: a zip bomb, a PDF whose tiny content streams cost minutes, a 10 MB text.
Also the request-size limits and their 413 page."""

import gc
import io
import resource
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from app.extensions import db
from app.strategies import suggest as suggest_module
from app.strategies.documents import MAX_TEXT, DocumentError, extract_text
from app.strategies.models import SmartStrategy
from tests.strategies.test_documents import pdf_from_objects

PAGE_SIZE = resource.getpagesize()
MB = 1024 * 1024


def resident_bytes() -> int:
    """This process's resident memory now (the web worker's, in these tests)."""
    gc.collect()
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_SIZE


def zip_bomb_docx(unpacked_mb: int = 95) -> bytes:
    """A real .docx whose word/document.xml unpacks to ``unpacked_mb`` MB, written in
    pieces so that building it does not hold the 95 MB here."""
    buffer = io.BytesIO()
    Document().save(buffer)
    out = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for member in source.infolist():
            if member.filename != "word/document.xml":
                bomb.writestr(member, source.read(member))
        with bomb.open("word/document.xml", "w", force_zip64=True) as document:
            document.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                b'2006/main"><w:body>'
            )
            for _ in range(unpacked_mb * MB // len(paragraph)):
                document.write(paragraph)
            document.write(b"</w:body></w:document>")
    return out.getvalue()


def slow_pdf(pages: int = 10, operators: int = 100_000) -> bytes:
    """A PDF of about 3 KB whose pages share one compressed content stream of
    ``operators`` text operators: each page costs pypdf over a second of CPU."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * operators + b"ET", 9)
    content = 4 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(f"{4 + i} 0 R".encode() for i in range(pages))
        + f"] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        *(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
            for _ in range(pages)
        ),
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
        + stream
        + b"\nendstream",
    ]
    return pdf_from_objects(objects)


def upload(auth, filename: str, data: bytes, title: str):
    return auth.post(
        "/strategies/new",
        {
            "title_original": title,
            "place": "Opole",
            "country": "PL",
            "level": "municipal",
            "population_class": "",
            "language": "pl",
            "text_file": (io.BytesIO(data), filename),
        },
        content_type="multipart/form-data",
    )


def stored(title: str) -> SmartStrategy | None:
    return db.session.scalar(select(SmartStrategy).where(SmartStrategy.title_original == title))


def test_a_zip_bomb_docx_is_refused_without_the_worker_unpacking_it(auth):
    bomb = zip_bomb_docx()
    assert len(bomb) < 1 * MB  # 95 MB of XML in a small file
    auth.login("member")
    before, started = resident_bytes(), time.monotonic()
    response = upload(auth, "plan.docx", bomb, "Bomba")
    elapsed, grown = time.monotonic() - started, resident_bytes() - before
    assert response.status_code == 400
    assert "rozpakowuje się" in response.text
    assert stored("Bomba") is None
    assert elapsed < 10, elapsed
    assert grown < 30 * MB, f"the web worker grew by {grown / MB:.0f} MB"


def test_a_pdf_whose_pages_cost_minutes_is_stopped_at_the_cpu_limit(app, auth, monkeypatch):
    monkeypatch.setitem(app.config, "EXTRACTION_CPU_SECONDS", 2)
    heavy = slow_pdf()
    assert len(heavy) < 10_000
    auth.login("member")
    before, started = resident_bytes(), time.monotonic()
    response = upload(auth, "plan.pdf", heavy, "Ciężki PDF")
    elapsed, grown = time.monotonic() - started, resident_bytes() - before
    assert response.status_code == 400
    assert "trwało zbyt długo" in response.text
    assert stored("Ciężki PDF") is None
    assert elapsed < 8, elapsed
    assert grown < 30 * MB, f"the web worker grew by {grown / MB:.0f} MB"


def test_the_wall_clock_stops_a_reader_that_waits(app, monkeypatch):
    """A reader that neither uses CPU nor ends (here: the CPU limit is far away and the
    wall clock near) is stopped by the timeout."""
    monkeypatch.setitem(app.config, "EXTRACTION_WALL_SECONDS", 1)
    monkeypatch.setitem(app.config, "EXTRACTION_CPU_SECONDS", 60)
    started = time.monotonic()
    with pytest.raises(DocumentError, match="zbyt długo"):
        extract_text("plan.pdf", slow_pdf())
    assert time.monotonic() - started < 5


def test_a_10_mb_text_is_kept_to_its_first_characters_and_the_person_is_told(auth):
    text = ("Transport publiczny i energia odnawialna. " * 250_000)[: 10 * MB]
    auth.login("member")
    before = resident_bytes()
    response = upload(auth, "plan.txt", text.encode(), "Długi tekst")
    grown = resident_bytes() - before
    assert response.status_code == 303
    strategy = stored("Długi tekst")
    assert len(strategy.full_text) <= MAX_TEXT
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "500" in page and "znaków" in page
    assert grown < 60 * MB, f"the web worker grew by {grown / MB:.0f} MB"


def test_a_file_over_10_mb_is_refused(auth):
    auth.login("member")
    response = upload(auth, "plan.txt", b"a" * (10 * MB + 1), "Za duży")
    assert response.status_code == 400
    assert "10 MB" in response.text
    assert stored("Za duży") is None


def test_a_pasted_text_over_the_cap_is_an_inline_error(auth):
    auth.login("member")
    count = db.session.scalar(select(func.count(SmartStrategy.id)))
    response = auth.post(
        "/strategies/new",
        {
            "title_original": "Wklejony",
            "place": "Opole",
            "country": "PL",
            "level": "municipal",
            "population_class": "",
            "language": "pl",
            "full_text": "a" * (MAX_TEXT + 1),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "500" in response.text
    assert db.session.scalar(select(func.count(SmartStrategy.id))) == count


def test_the_413_page_renders_without_reading_the_body_again(client):
    """A 5 MB form field is over the form-memory limit: the answer is the 413 page with
    the layout (language switch included) and the security headers, not a bare 500."""
    response = client.post(
        "/auth/login",
        data={"email": "a" * (5 * MB), "password": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert response.headers["Content-Security-Policy"]
    page = response.text
    assert "413" in page and 'value="en" lang="en" class="lang-option">English</button>' in page


def test_a_body_over_the_content_limit_is_413(app, client):
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(
        "/strategies/new", data=b"x" * size, content_type="application/octet-stream"
    )
    assert response.status_code == 413


def test_suggestions_are_ranked_once_per_text(auth, monkeypatch):
    from tests.test_permissions import sample_strategy

    member = auth.login("member")
    strategy = sample_strategy(member)
    strategy.full_text = "Transport publiczny, tramwaje i kolej aglomeracyjna. " * 200
    db.session.commit()
    calls = []
    real_rank = suggest_module.rank
    monkeypatch.setattr(
        suggest_module, "rank", lambda *a, **k: calls.append(1) or real_rank(*a, **k)
    )
    for _ in range(3):
        assert auth.client.get(f"/strategies/{strategy.id}/classify").status_code == 200
    assert len(calls) == 1
    strategy.full_text += " Energia odnawialna."
    db.session.commit()
    auth.client.get(f"/strategies/{strategy.id}/classify")
    assert len(calls) == 2  # a new text is ranked afresh
