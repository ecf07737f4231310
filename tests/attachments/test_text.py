"""The text of materials is read after upload, within bounds, and the search finds
recommendations by it once their materials are seen by everyone."""

import io

import pytest
from sqlalchemy import select

from app.attachments import services, text
from app.attachments.models import Attachment, AttachmentFile
from app.extensions import db
from app.recommendations import services as rec_services
from tests import factories
from tests.attachments import samples
from tests.recommendations.helpers import make_rec
from tests.strategies.test_document_bounds import slow_pdf


def attach(obj, user, name, content):
    services.attach(obj, user, [services.Upload(name, io.BytesIO(content))])
    return db.session.scalars(select(AttachmentFile).order_by(AttachmentFile.id.desc())).first()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.pdf", samples.pdf("Copenhagen smart city case study"), "Copenhagen smart city"),
        ("a.docx", samples.docx("Kopenhaga: zielone miejsca pracy"), "zielone miejsca pracy"),
        ("a.pptx", samples.pptx("Brno", "Inteligentní město"), "Inteligentní město"),
        ("a.xlsx", samples.xlsx("Wskaźnik zatrudnienia"), "Wskaźnik zatrudnienia"),
        ("a.odt", samples.odf("text", "Győr és Łódź"), "Győr és Łódź"),
        ("a.ods", samples.odf("spreadsheet", "Košice"), "Košice"),
        ("a.csv", "miasto;kraj\nŁódź;PL\n".encode(), "Łódź;PL"),
        ("a.txt", "Płeć, żółć — zapis w cp1250".encode("cp1250"), "Płeć, żółć"),
    ],
    ids=["pdf", "docx", "pptx", "xlsx", "odt", "ods", "csv", "txt-cp1250"],
)
def test_the_text_of_each_kind_is_read(name, content, expected):
    author = factories.make_user("member")
    row = attach(make_rec(author), author, name, content)
    db.session.refresh(row)
    assert row.text_state == "done"
    assert expected in row.text


def test_a_picture_has_no_text_to_read():
    author = factories.make_user("member")
    row = attach(make_rec(author), author, "map.png", samples.png())
    assert row.text_state == "none"


def test_a_pdf_too_slow_to_read_is_kept_without_its_text(app, monkeypatch):
    monkeypatch.setitem(app.config, "EXTRACTION_CPU_SECONDS", 1)
    author = factories.make_user("member")
    row = attach(make_rec(author), author, "slow.pdf", slow_pdf(pages=10))
    db.session.refresh(row)
    assert row.text_state == "refused" and row.text == ""
    assert row.size > 0  # the file itself stays


def test_a_file_is_read_once_and_a_dead_readers_claim_is_taken_again(app, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIALS_TEXT", "scheduler")
    author = factories.make_user("member")
    row = attach(make_rec(author), author, "n.txt", b"notatka")
    assert row.text_state == "pending"
    assert text.read(row.id) is True
    assert text.read(row.id) is False  # done: nothing to claim
    db.session.refresh(row)
    assert (row.text_state, row.text, row.text_attempts) == ("done", "notatka", 1)

    other = attach(make_rec(author), author, "m.txt", b"druga")
    db.session.execute(
        AttachmentFile.__table__.update()
        .where(AttachmentFile.id == other.id)
        .values(text_state="reading", text_claimed_at=text.utcnow() - text.CLAIM_TIMEOUT * 2)
    )
    db.session.commit()
    assert text.read_waiting() == 1
    db.session.refresh(other)
    assert other.text_state == "done"


def search(client, words):
    return client.get("/recommendations/", query_string={"q": words}).get_data(as_text=True)


def test_the_search_finds_a_recommendation_by_its_materials_once_out_of_draft(app, auth):
    author = auth.login("member")
    rec = make_rec(author, title="Rekomendacja bez słowa w treści")
    attach(rec, author, "kopenhaga.docx", samples.docx("Przykład z Kopenhagi: fjordbyen"))
    reader = app.test_client()
    type(auth)(reader).login("member")
    assert "Rekomendacja bez słowa" not in search(reader, "fjordbyen")  # a draft's material

    rec_services.change_status(rec, author, "discussion")
    assert "Rekomendacja bez słowa" in search(reader, "fjordbyen")

    attachment = db.session.scalar(select(Attachment))
    services.remove(attachment, author)
    assert "Rekomendacja bez słowa" not in search(reader, "fjordbyen")


def test_outside_a_request_the_text_is_read_before_returning(app, monkeypatch):
    """`flask seed --demo` attaches files and exits: a thread would die with it."""
    monkeypatch.setitem(app.config, "MATERIALS_TEXT", "thread")
    author = factories.make_user("member")
    row = attach(make_rec(author), author, "n.txt", b"czytane od razu")
    db.session.refresh(row)
    assert (row.text_state, row.text) == ("done", "czytane od razu")
