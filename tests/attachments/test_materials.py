"""Materials on a recommendation, a meeting's agenda item and the other owners: upload,
download, versions, removal, and who sees what."""

import io

import pytest
from sqlalchemy import func, select

from app.attachments import services
from app.attachments.models import Attachment, AttachmentFile
from app.audit import AuditEvent
from app.extensions import db
from app.meetings import services as meeting_services
from tests import factories
from tests.attachments import samples
from tests.recommendations.helpers import make_rec


def upload(auth, url, *files, **fields):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **fields}
    return auth.post(url, data=data, content_type="multipart/form-data")


def field_names(kind, owner_id):
    prefix = f"materials-{kind}-{owner_id}-"
    return lambda **fields: {prefix + k: v for k, v in fields.items()}


def attach_to_rec(auth, rec, *files, **fields):
    named = field_names("recommendation", rec.id)
    data = named(
        files=[(io.BytesIO(content), name) for name, content in files],
        **fields,
    )
    return auth.post(
        f"/materials/recommendation/{rec.id}", data=data, content_type="multipart/form-data"
    )


def fetch(client, url):
    """A download, read whole and closed (the file it streams from is released)."""
    response = client.get(url)
    response.get_data()  # kept on the response
    response.close()
    return response


def stored_files(files_dir):
    return sorted(p.name for p in files_dir.rglob("*") if p.is_file())


def test_an_author_attaches_files_to_a_draft_and_reads_them_back(auth, files_dir):
    author = auth.login("member")
    rec = make_rec(author)
    pdf, docx = samples.ACCEPTED["slides.pdf"][0], samples.ACCEPTED["notes.docx"][0]
    response = attach_to_rec(
        auth, rec, ("Kopenhaga.pdf", pdf), ("notatki.docx", docx), description="Z eksperta"
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/recommendations/{rec.id}#materials-recommendation-{rec.id}"
    )

    rows = db.session.scalars(select(AttachmentFile).order_by(AttachmentFile.id)).all()
    assert [(r.filename, r.content_type) for r in rows] == [
        ("Kopenhaga.pdf", "application/pdf"),
        ("notatki.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]
    assert stored_files(files_dir) == sorted(r.sha256 for r in rows)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "attachment.added")
        )
        == 2
    )

    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Kopenhaga" in page and "notatki" in page and "Z eksperta" in page

    attachment_id = rows[0].attachment_id
    download = fetch(auth.client, f"/materials/{attachment_id}/file")
    assert download.status_code == 200
    assert download.data == pdf
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "Kopenhaga.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.headers["Cache-Control"] == "no-store"


def test_a_refused_file_keeps_the_whole_batch_out(auth, files_dir):
    author = auth.login("member")
    rec = make_rec(author)
    response = attach_to_rec(
        auth,
        rec,
        ("good.pdf", samples.ACCEPTED["slides.pdf"][0]),
        ("fake.pdf", b"<!DOCTYPE html><html><body>not a pdf</body></html>"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "fake.pdf" in page and "text/html" in page
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(files_dir) == []


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.pdf", b"", "pusty"),
        ("bomb.docx", None, "bomba zip"),
        ("../../evil.pdf", samples.pdf(), "ścieżkę"),
        ("a\x07b.pdf", samples.pdf(), "znaki sterujące"),
    ],
    ids=["empty", "zip-bomb", "path", "control"],
)
def test_bad_files_get_a_message_in_the_form_and_nothing_is_stored(
    auth, files_dir, name, content, message
):
    author = auth.login("member")
    rec = make_rec(author)
    content = samples.zip_bomb(200 * 1024 * 1024) if content is None else content
    response = attach_to_rec(auth, rec, (name, content))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(files_dir) == []


def test_a_file_over_the_limit_is_refused(app, auth, files_dir, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIALS_MAX_FILE_MB", 1)
    author = auth.login("member")
    rec = make_rec(author)
    response = attach_to_rec(auth, rec, ("big.txt", b"a line of text\n" * 80_000))
    assert response.status_code == 422
    assert "1 MB" in response.get_data(as_text=True)
    assert stored_files(files_dir) == []


def test_a_request_over_the_upload_limit_is_413_not_a_crash(app, auth, monkeypatch):
    monkeypatch.setitem(app.config, "MATERIALS_MAX_REQUEST_MB", 1)
    author = auth.login("member")
    rec = make_rec(author)
    response = attach_to_rec(auth, rec, ("big.txt", b"x" * (2 * 1024 * 1024)))
    assert response.status_code == 413


def test_uploads_larger_than_other_forms_are_taken_by_the_upload_route(
    app, auth, files_dir, monkeypatch
):
    """The site-wide body limit (MAX_CONTENT_LENGTH) does not cap materials."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    author = auth.login("member")
    rec = make_rec(author)
    response = attach_to_rec(auth, rec, ("long.txt", b"a line of text\n" * 140_000))
    assert response.status_code == 303
    assert len(stored_files(files_dir)) == 1


def test_a_title_names_one_file_only(auth):
    author = auth.login("member")
    rec = make_rec(author)
    response = attach_to_rec(
        auth,
        rec,
        ("a.txt", b"first note\n"),
        ("b.txt", b"second note\n"),
        title="Jeden tytuł",
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_drafts_materials_are_for_its_authors_and_facilitators_until_discussion(app, auth):
    author = factories.make_user("member")
    rec = make_rec(author)
    auth.login_as(author)
    attach_to_rec(auth, rec, ("zalacznik-xq.pdf", samples.pdf()))
    attachment_id = db.session.scalar(select(Attachment.id))

    outcomes = {}
    for role in ("member", "facilitator", "reviewer"):
        client = app.test_client()
        other = type(auth)(client)
        other.login(role)
        outcomes[role] = (
            fetch(client, f"/materials/{attachment_id}/file").status_code,
            "zalacznik-xq" in client.get(f"/recommendations/{rec.id}").get_data(as_text=True),
        )
    assert outcomes == {
        "member": (404, False),
        "facilitator": (200, True),
        "reviewer": (404, False),
    }

    from app.recommendations import services as rec_services

    facilitator = factories.make_user("facilitator")
    rec_services.change_status(rec, author, "discussion")
    client = app.test_client()
    type(auth)(client).login("member")
    assert fetch(client, f"/materials/{attachment_id}/file").status_code == 200
    reviewer = app.test_client()
    type(auth)(reviewer).login("reviewer")
    assert fetch(reviewer, f"/materials/{attachment_id}/file").status_code == 404
    rec_services.change_status(rec, facilitator, "agreed")
    assert fetch(reviewer, f"/materials/{attachment_id}/file").status_code == 200


def test_a_new_version_keeps_the_earlier_ones_and_a_stale_one_is_refused(auth, files_dir):
    author = auth.login("member")
    rec = make_rec(author)
    attach_to_rec(auth, rec, ("plan.txt", b"version one\n"))
    attachment_id = db.session.scalar(select(Attachment.id))

    def replace(content, base):
        return auth.post(
            f"/materials/{attachment_id}/replace",
            data={"file": (io.BytesIO(content), "plan.txt"), "base_version": str(base)},
            content_type="multipart/form-data",
        )

    assert replace(b"version two\n", 1).status_code == 303
    stale = replace(b"version three, from an old page\n", 1)
    assert stale.status_code == 409
    assert "nowa wersja" in stale.get_data(as_text=True) or "nową wersję" in stale.get_data(
        as_text=True
    )

    assert fetch(auth.client, f"/materials/{attachment_id}/file").data == b"version two\n"
    assert fetch(auth.client, f"/materials/{attachment_id}/versions/1").data == b"version one\n"
    assert fetch(auth.client, f"/materials/{attachment_id}/versions/3").status_code == 404
    assert len(stored_files(files_dir)) == 2
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "wersja 2" in page


def test_removal_is_soft_audited_and_for_the_uploader_or_a_facilitator(app, auth):
    author = auth.login("member")
    rec = make_rec(author)
    attach_to_rec(auth, rec, ("a.txt", b"first\n"))
    attach_to_rec(auth, rec, ("b.txt", b"second\n"))
    first, second = db.session.scalars(select(Attachment.id).order_by(Attachment.id)).all()

    from app.recommendations import services as rec_services

    rec_services.change_status(rec, author, "discussion")
    stranger = app.test_client()
    type(auth)(stranger).login("member")
    assert type(auth)(stranger).post(f"/materials/{first}/remove").status_code == 403

    assert auth.post(f"/materials/{first}/remove").status_code == 303
    facilitator = app.test_client()
    type(auth)(facilitator).login("facilitator")
    assert type(auth)(facilitator).post(f"/materials/{second}/remove").status_code == 303

    removed = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert all(a.deleted_at is not None for a in removed)
    assert fetch(auth.client, f"/materials/{first}/file").status_code == 404
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "attachment.removed")
        )
        == 2
    )
    assert "a.txt" not in auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)


def test_a_speaker_attaches_slides_to_their_agenda_item_and_members_see_them(app, auth):
    facilitator = factories.make_user("facilitator")
    speaker = factories.make_user("member")
    meeting = factories.make_meeting()
    item = meeting_services.add_agenda_item(
        meeting,
        facilitator,
        meeting_services.AgendaFields(
            title="Kopenhaga jako studium przypadku",
            kind="expert_talk",
            planned_minutes=30,
            speaker_user_id=speaker.id,
        ),
    )
    auth.login_as(speaker)
    named = field_names("agenda-item", item.id)
    response = auth.post(
        f"/materials/agenda-item/{item.id}",
        data=named(files=[(io.BytesIO(samples.pdf()), "slajdy.pdf")], title="Slajdy eksperta"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303

    member = app.test_client()
    type(auth)(member).login("member")
    page = member.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Slajdy eksperta" in page
    other = type(auth)(member)
    refused = other.post(
        f"/materials/agenda-item/{item.id}",
        data=named(files=[(io.BytesIO(samples.pdf()), "inne.pdf")]),
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403


def test_htmx_gets_the_section_with_the_news_announced(auth):
    author = auth.login("member")
    rec = make_rec(author)
    named = field_names("recommendation", rec.id)
    response = auth.post(
        f"/materials/recommendation/{rec.id}",
        data=named(files=[(io.BytesIO(b"note\n"), "n.txt")]),
        content_type="multipart/form-data",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and "data-announce" in html


@pytest.mark.parametrize("kind", ["challenge", "strategy", "meeting"])
def test_other_owners_take_materials_from_those_who_may_change_them(auth, kind):
    from app.strategies import services as strategy_services

    user = auth.login("facilitator")
    if kind == "challenge":
        obj = factories.make_challenge("G03", author=user)
        page = f"/challenges/{obj.id}"
    elif kind == "strategy":
        obj = strategy_services.create_strategy(
            user,
            strategy_services.StrategyFields(
                title_original="Strategie Brno", place="Brno", country="CZ", level="municipal"
            ),
        )
        page = f"/strategies/{obj.id}"
    else:
        obj = factories.make_meeting()
        page = f"/meetings/{obj.id}"
    named = field_names(kind, obj.id)
    response = auth.post(
        f"/materials/{kind}/{obj.id}",
        data=named(files=[(io.BytesIO(samples.xlsx()), "dane.xlsx")]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert "dane" in auth.client.get(page).get_data(as_text=True)


def test_an_unknown_owner_kind_or_object_is_404(auth):
    auth.login("member")
    assert auth.client.get("/materials/nothing/1").status_code == 404
    assert auth.client.get("/materials/recommendation/999999").status_code == 404


def test_a_meetings_page_reads_its_materials_in_constant_statements(app, auth, count_queries):
    facilitator = auth.login("facilitator")
    meeting = factories.make_meeting()

    def add_items(n):
        for i in range(n):
            item = meeting_services.add_agenda_item(
                meeting,
                facilitator,
                meeting_services.AgendaFields(
                    title=f"Punkt {i}", kind="discussion", planned_minutes=5
                ),
            )
            for j in range(2):
                services.attach(
                    item,
                    facilitator,
                    [services.Upload(f"m{i}-{j}.txt", io.BytesIO(f"{i}-{j}".encode()))],
                )
        services.attach(meeting, facilitator, [services.Upload("all.txt", io.BytesIO(b"for all"))])

    def count():
        auth.client.get(f"/meetings/{meeting.id}")  # warm what the process keeps
        with count_queries() as counter:
            page = auth.client.get(f"/meetings/{meeting.id}")
        assert page.status_code == 200
        return counter.count

    add_items(2)
    small = count()
    add_items(6)
    assert count() == small
