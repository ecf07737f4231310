"""A package's files are built after it is sent: the page shows the progress, the
scheduler's job builds what waits, a failed file is shown and built again, and several
builders build each file exactly once."""

import hashlib
import json
import multiprocessing
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.audit import AuditEvent
from app.database import utcnow
from app.exports import package_files
from app.exports.models import PackageFile, SubmissionPackage
from app.extensions import db
from tests.conftest import build_app, separate_database
from tests.exports.helpers import agreed_set, send_package
from tests.workers import build_package_files

HTMX = {"HX-Request": "true"}

#: The files of a package without materials: Word, PDF/A, Excel, JSON.
FILES = len(package_files.PACKAGE_FORMATS)


@pytest.fixture
def later(app, monkeypatch):
    """Sending leaves the files to the scheduler's job, as a deployment whose sending
    process stopped right after the send would."""
    monkeypatch.setitem(app.config, "PACKAGE_FILES", "scheduler")


def sent(auth):
    _, facilitator, _, _ = agreed_set()
    assert send_package(auth, facilitator, area="G03").status_code == 303
    return db.session.scalar(select(SubmissionPackage))


def test_a_sent_package_shows_its_files_being_prepared_until_the_job_builds_them(auth, later):
    package = sent(auth)
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert f"0 z {FILES}" in page
    assert 'data-hx-trigger="every 2s"' in page
    refused = auth.client.get(f"/exports/packages/{package.id}/files/docx")
    assert refused.status_code == 409
    assert not db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "package.files_ready")
    )

    # The page asks again every two seconds; while nothing changed there is nothing to swap.
    seen = package_files.progress(package.id)["token"]
    unchanged = auth.client.get(f"/exports/packages/{package.id}/files?seen={seen}", headers=HTMX)
    assert unchanged.status_code == 204 and not unchanged.data

    assert package_files.build_waiting() == FILES

    part = auth.client.get(f"/exports/packages/{package.id}/files?seen={seen}", headers=HTMX)
    html = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in html
    assert "every 2s" not in html and "data-announce=" in html  # done: no more asking
    stored = {f.format: f for f in db.session.scalars(select(PackageFile))}
    for f in stored.values():
        assert f.sha256 == hashlib.sha256(f.content).hexdigest() and f.sha256 in html
    download = auth.client.get(f"/exports/packages/{package.id}/files/json")
    assert download.status_code == 200 and download.data == stored["json"].content
    assert db.session.get(SubmissionPackage, package.id).files_ready_at is not None
    assert package_files.build_waiting() == 0  # nothing is built twice
    ready = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "package.files_ready")
    ).all()
    assert len(ready) == 1 and ready[0].data["sha256"]["xlsx"] == stored["xlsx"].sha256
    # Without scripts the part is the page.
    assert auth.client.get(f"/exports/packages/{package.id}/files").status_code == 303


def test_a_failed_file_is_shown_and_built_again_by_the_next_run(auth, later, monkeypatch):
    package = sent(auth)
    real = package_files._render

    def xlsx_breaks(package_id, fmt):
        if fmt == "xlsx":
            raise OSError("disk full")
        return real(package_id, fmt)

    monkeypatch.setattr(package_files, "_render", xlsx_breaks)
    assert package_files.build_waiting() == FILES - 1
    failed = db.session.scalar(select(PackageFile).where(PackageFile.format == "xlsx"))
    assert failed.built_at is None and failed.claimed_at is None
    assert failed.attempts == 1 and "disk full" in failed.last_error
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert "disk full" in page and 'data-hx-trigger="every 2s"' in page
    assert db.session.get(SubmissionPackage, package.id).files_ready_at is None

    monkeypatch.setattr(package_files, "_render", real)
    assert package_files.build_waiting() == 1
    db.session.expire_all()
    rebuilt = db.session.scalar(select(PackageFile).where(PackageFile.format == "xlsx"))
    assert rebuilt.built_at is not None and rebuilt.last_error == "" and rebuilt.attempts == 2
    assert db.session.get(SubmissionPackage, package.id).files_ready_at is not None


def test_a_claimed_file_is_left_to_its_builder_until_the_claim_expires(auth, later):
    package = sent(auth)
    db.session.execute(update(PackageFile).values(claimed_at=utcnow(), attempts=1))
    db.session.commit()
    assert package_files.build(package.id) == 0  # another builder is at it
    expired = utcnow() - package_files.CLAIM_TIMEOUT - timedelta(seconds=1)
    db.session.execute(update(PackageFile).values(claimed_at=expired))
    db.session.commit()
    assert package_files.build(package.id) == FILES  # that builder died: taken over


def test_a_file_that_keeps_failing_is_given_up_with_a_message(auth, later):
    package = sent(auth)
    db.session.execute(
        update(PackageFile)
        .where(PackageFile.format == "docx")
        .values(attempts=package_files.MAX_ATTEMPTS, last_error="ValueError: broken")
    )
    db.session.commit()
    assert package_files.build_waiting() == FILES - 1
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert 'role="alert"' in page and "every 2s" not in page
    assert "ValueError: broken" in page  # the facilitator sees why
    from tests.exports.helpers import MINISTRY

    auth.logout()
    auth.login("reviewer", organisation=MINISTRY)
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert 'role="alert"' in page and "ValueError" not in page  # the ministry does not


@pytest.mark.postgres_only
@pytest.mark.own_app
def test_four_builders_build_each_file_exactly_once(database_url, tmp_path):
    from tests import factories
    from tests.exports.helpers import ministry

    url = separate_database(database_url, "packages", tmp_path)
    app = build_app(url, tmp_path)
    app.config["PACKAGE_FILES"] = "scheduler"
    with app.app_context(), app.test_request_context():
        from app.exports import packages
        from app.exports.selection import parse

        _, facilitator, _, _ = agreed_set()
        for area in ("G03", "G01"):
            packages.send(
                facilitator,
                parse({"area": area}, None),
                organisation=ministry(),
                title=f"Pakiet {area}",
                cover_letter="",
            )
        factories.make_user("member")  # something after the packages, as life goes on
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    context = multiprocessing.get_context("spawn")
    start = context.Manager().Event()
    with context.Pool(4) as pool:
        results = [
            pool.apply_async(build_package_files, (url, str(tmp_path), start)) for _ in range(4)
        ]
        start.set()
        built = [r.get(timeout=180) for r in results]

    assert sum(built) == 2 * FILES
    with app.app_context():
        attempts = db.session.scalars(select(PackageFile.attempts)).all()
        assert sorted(attempts) == [1] * (2 * FILES)
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "package.files_ready")
            )
            == 2
        )
        db.session.remove()
        db.engine.dispose()


def test_files_are_built_from_any_selection_and_dated_when_the_package_was_sent(app, later):
    from app.exports import packages
    from app.exports.selection import parse
    from tests.exports.helpers import ministry

    author, facilitator, _, _ = agreed_set()
    with app.test_request_context():
        package = packages.send(
            facilitator,
            # The author's id is kept as a number in the package's arguments.
            parse({"author": str(author.id)}, None),
            organisation=ministry(),
            title="Według autora",
            cover_letter="",
        )
    sent_at = package.sent_at
    assert package_files.build_waiting() == FILES
    stored = db.session.scalar(select(PackageFile).where(PackageFile.format == "json"))
    document = json.loads(stored.content)
    assert document["generated_at"].startswith(sent_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert document["selection"] == {"author": author.id, "status": "agreed"}
