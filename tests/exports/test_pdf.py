"""The report, a package and the CLI as PDF/A: readable text with Polish letters, the
archive's identification and metadata, bookmarks, page numbers, and the size limit of
the web."""

import hashlib
from datetime import timedelta

from sqlalchemy import select, update

from app.audit import AuditEvent
from app.database import utcnow
from app.exports import export_jobs
from app.exports.models import ExportJob, PackageFile
from app.extensions import db
from app.meetings import services as meeting_services
from tests.attachments.test_meeting_materials import meeting_with_slides
from tests.exports.helpers import agreed_set, send_package
from tests.pdf_checks import assert_pdf_a, page_numbers, read


def test_the_report_pdf_has_the_docx_content_as_pdf_a(auth):
    agreed_set()
    auth.login("member")
    response = auth.client.get("/exports/recommendations.pdf", query_string={"status": "agreed"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    document = read(response.data)
    assert_pdf_a(
        document, title="Rekomendacje podgrupy ds. gospodarki i rynku pracy", language="pl"
    )
    for text in ("Żłobki przy parkach", "Fundusz powrotów", "Ulga dla startupów", "G03/R2/1"):
        assert text in document.text
    assert "Szkic tajny" not in document.text  # a draft outside the filter
    assert "Spis treści" in document.text
    assert any(title.startswith("G03 ") for title in document.bookmarks)
    assert any("Fundusz powrotów" in title for title in document.bookmarks)
    numbers = page_numbers(document)
    total = str(len(document.reader.pages))
    assert numbers and {n for _, n in numbers} == {total}


def test_the_report_pdf_in_english_says_so(auth):
    agreed_set()
    auth.login("member", language="en")
    document = read(auth.client.get("/exports/recommendations.pdf?status=agreed").data)
    assert document.reader.trailer["/Root"]["/Lang"] == "en"
    assert "Table of contents" in document.text


def test_a_pdf_beyond_the_webs_limit_is_refused_with_a_reason(app, auth, monkeypatch):
    agreed_set()
    monkeypatch.setitem(app.config, "PDF_MAX_RECOMMENDATIONS", 2)
    auth.login("member", language="en")
    response = auth.client.get("/exports/recommendations.pdf?status=agreed")
    assert response.status_code == 422
    assert "at most 2 recommendations" in response.get_data(as_text=True)


def test_a_package_pdf_is_frozen_with_its_hash(auth):
    _author, facilitator, _recs, _draft = agreed_set()
    assert send_package(auth, facilitator, area="G03").status_code == 303
    stored = db.session.scalar(select(PackageFile).where(PackageFile.format == "pdf"))
    document = read(stored.content)
    assert_pdf_a(document, title="Rekomendacje 2026")
    assert "Szanowni Państwo" in document.text and "G03/R1/1" in document.text
    response = auth.client.get(f"/exports/packages/{stored.package_id}/files/pdf")
    assert response.data == stored.content
    assert response.headers["X-Content-SHA256"] == stored.sha256


def test_flask_export_writes_a_pdf(app, tmp_path):
    agreed_set()
    target = tmp_path / "raport.pdf"
    result = app.test_cli_runner().invoke(
        args=["export", "--format", "pdf", "-o", str(target), "--status", "agreed"]
    )
    assert result.exit_code == 0, result.output
    document = read(target.read_bytes())
    assert "Żłobki przy parkach" in document.text


def test_published_minutes_as_pdf_a_in_the_meetings_language(auth):

    facilitator, meeting, _item, _slides, _invitation = meeting_with_slides()
    auth.login("member")
    assert auth.client.get(f"/meetings/{meeting.id}/minutes.pdf").status_code == 404  # unpublished
    meeting.status = "held"
    db.session.commit()
    meeting_services.save_minutes(meeting, facilitator, "# Protokół\n\nOmówiono Kopenhagę i Łódź.")
    meeting_services.publish_minutes(meeting, facilitator)
    response = auth.client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = read(response.data)
    assert_pdf_a(document, title="Protokół: Spotkanie z ekspertem")
    assert "Omówiono Kopenhagę i Łódź." in document.text
    assert "Slajdy: Kopenhaga" in document.text


def test_a_report_beyond_the_limit_is_made_in_the_background_for_its_owner(app, auth, monkeypatch):
    agreed_set()
    monkeypatch.setitem(app.config, "PDF_MAX_RECOMMENDATIONS", 2)
    owner = auth.login("member", language="en")
    page = auth.client.get("/exports/?status=agreed").get_data(as_text=True)
    assert "Make the same report as PDF/A in the background" in page

    response = auth.post("/exports/jobs/", {"status": "agreed"})
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job = db.session.scalar(select(ExportJob))
    assert (job.user_id, job.stage, job.total, job.done) == (owner.id, "ready", 3, 3)
    page = auth.client.get(job_url).get_data(as_text=True)
    assert "Download the PDF" in page and job.sha256 in page and "every 2s" not in page

    download = auth.client.get(f"{job_url}/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.headers["X-Content-SHA256"] == job.sha256
    assert hashlib.sha256(download.data).hexdigest() == job.sha256
    document = read(download.data)
    download.close()
    assert_pdf_a(
        document,
        title="Recommendations of the subgroup for the economy and the labour market",
        language="en",
    )
    assert "Żłobki przy parkach" in document.text
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "export.downloaded")
    ).all()
    assert [e.data["via"] for e in events] == ["background"]

    # Someone else's job is not there for them.
    other = app.test_client()
    type(auth)(other).login("member")
    assert other.get(job_url).status_code == 404
    assert other.get(f"{job_url}/file").status_code == 404


def test_a_waiting_job_shows_its_progress_and_a_dead_builders_claim_is_taken_over(
    app, auth, monkeypatch
):
    agreed_set()
    monkeypatch.setitem(app.config, "PDF_MAX_RECOMMENDATIONS", 2)
    monkeypatch.setitem(app.config, "EXPORT_JOBS", "scheduler")
    auth.login("member", language="en")
    job_url = auth.post("/exports/jobs/", {"status": "agreed"}).headers["Location"]
    page = auth.client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Waiting for its turn" in page and "every 2s" in page

    job = db.session.scalar(select(ExportJob))
    db.session.execute(
        update(ExportJob).values(stage="layout", claimed_at=utcnow(), attempts=1, done=3)
    )
    db.session.commit()
    page = auth.client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Laying out the pages" in page
    assert export_jobs.build_waiting() == 0  # a builder is at it
    stale = utcnow() - export_jobs.CLAIM_TIMEOUT - timedelta(seconds=1)
    db.session.execute(update(ExportJob).values(claimed_at=stale))
    db.session.commit()
    assert export_jobs.build_waiting() == 1
    db.session.refresh(job)
    assert job.stage == "ready" and job.attempts == 2


def test_an_export_job_needs_a_form_and_a_match(auth):
    auth.login("member")
    assert auth.client.post("/exports/jobs/", data={"status": "agreed"}).status_code == 400
    assert auth.post("/exports/jobs/", {"status": "agreed"}).status_code == 422


def test_a_made_export_is_no_stray_for_the_files_check(app, auth, monkeypatch, tmp_path):
    agreed_set()
    monkeypatch.setitem(app.config, "FILES_DIR", tmp_path / "files")
    monkeypatch.setitem(app.config, "PDF_MAX_RECOMMENDATIONS", 2)
    auth.login("member")
    auth.post("/exports/jobs/", {"status": "agreed"})
    result = app.test_cli_runner().invoke(args=["files", "check"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "files").glob("??/*"))) == 1
    assert "0 files checked: 0 missing, 0 changed, 0 not in any record." in result.output
