"""A package's files (Word, Excel, JSON), built after the package is sent rather than in
the request that sends it: at 10,000 recommendations the Word report alone takes
seconds, and the facilitator should not wait on a form for it.

Sending makes one row per file, waiting. The sending process starts building them at
once in a thread of its own; the scheduler's job builds whatever still waits (the
process stopped, a build failed) on its next tick. A builder first claims a package's
waiting files in the database, so two builders (the thread and the scheduler, or two
schedulers) never build the same file, and a claim left by a process that died expires.
The package page shows how many files are ready, and why one failed."""

import hashlib
import io
import logging
from datetime import timedelta
from functools import partial

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import selectinload

from app import audit, background
from app.auth.models import Organisation
from app.database import utcnow
from app.exports import package_materials, selection, services
from app.exports.models import PackageFile, PackageItem, SubmissionPackage
from app.extensions import db
from app.scheduler import register_job

log = logging.getLogger(__name__)

#: The files every package gets (PDF would need an office suite on the server).
PACKAGE_FORMATS = ("docx", "pdf", "xlsx", "json")
#: A package is an official submission to a Polish ministry, so its frozen files are in
#: Polish whatever language the facilitator who sends it reads Warsztat in.
PACKAGE_LANGUAGE = "pl"
#: A claim older than this belongs to a builder that died: the file is built again.
CLAIM_TIMEOUT = timedelta(minutes=15)
#: A file that failed this many times is left to an administrator (the error is shown).
MAX_ATTEMPTS = 5


def waiting_files(package: SubmissionPackage, with_manifest: bool = False) -> list[PackageFile]:
    """The rows of a new package's files, waiting to be built; with the manifest of its
    materials' annex when it has one."""
    formats = (
        (*PACKAGE_FORMATS, package_materials.MANIFEST_FORMAT) if with_manifest else PACKAGE_FORMATS
    )
    return [
        PackageFile(
            package_id=package.id,
            format=fmt,
            filename=f"warsztat-package-{package.number}.{fmt}"
            if fmt != package_materials.MANIFEST_FORMAT
            else f"warsztat-package-{package.number}-materials.sha256",
        )
        for fmt in formats
    ]


def _claimable(package_id: int):
    stale = utcnow() - CLAIM_TIMEOUT
    return and_(
        PackageFile.package_id == package_id,
        PackageFile.built_at.is_(None),
        PackageFile.attempts < MAX_ATTEMPTS,
        or_(PackageFile.claimed_at.is_(None), PackageFile.claimed_at < stale),
    )


def start_building(package_id: int) -> None:
    """Right after a package is committed: build its files in a thread of this process
    (``PACKAGE_FILES = "thread"``, the default), in the caller (``"inline"``: the test
    suite), or leave them to the scheduler (``"scheduler"``)."""
    background.after_commit("PACKAGE_FILES", partial(build, package_id))


@register_job("package-files")
def build_waiting() -> int:
    """The scheduler's job: build the waiting files of every package; how many."""
    package_ids = db.session.scalars(
        select(PackageFile.package_id)
        .where(PackageFile.built_at.is_(None), PackageFile.attempts < MAX_ATTEMPTS)
        .group_by(PackageFile.package_id)
        .order_by(PackageFile.package_id)
    ).all()
    db.session.commit()
    return sum(build(package_id) for package_id in package_ids)


def build(package_id: int) -> int:
    """Claim the waiting files of one package and build them, each stored with its
    SHA-256 and committed on its own; how many this call built."""
    now = utcnow()
    claimed = db.session.execute(
        update(PackageFile)
        .where(_claimable(package_id))
        .values(claimed_at=now, attempts=PackageFile.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return 0
    mine = db.session.execute(
        select(PackageFile.id, PackageFile.format)
        .where(PackageFile.package_id == package_id, PackageFile.claimed_at == now)
        .order_by(PackageFile.format)
    ).all()
    # No transaction while the files render: on SQLite it could hold the write lock.
    db.session.commit()
    built = 0
    for file_id, fmt in mine:
        ours = (PackageFile.id == file_id, PackageFile.claimed_at == now)
        try:
            content, sha = _render(package_id, fmt)
        except Exception as exc:  # noqa: BLE001  kept on the row, shown, tried again
            db.session.rollback()
            log.exception("file %s of package %s failed", fmt, package_id)
            db.session.execute(
                update(PackageFile)
                .where(*ours)
                .values(claimed_at=None, last_error=f"{type(exc).__name__}: {exc}"[:2000])
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            continue
        db.session.execute(
            update(PackageFile)
            .where(*ours)
            .values(
                content=content, sha256=sha, size=len(content), built_at=utcnow(), last_error=""
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        built += 1
    _mark_ready(package_id)
    return built


def _render(package_id: int, fmt: str) -> tuple[bytes, str]:
    """One file of the package, in Polish, with the package's title, letter, addressee
    and moment, over its recommendations in the order they were sent; or the manifest
    of its materials' annex."""
    if fmt == package_materials.MANIFEST_FORMAT:
        content = package_materials.manifest(package_id)
        db.session.commit()
        return content, hashlib.sha256(content).hexdigest()
    # Outside a request (a thread, the scheduler) links are made on BASE_URL, as in mail;
    # and the reads below run as a page's do (on SQLite: without the write lock).
    with (
        current_app.test_request_context(base_url=current_app.config["BASE_URL"]),
        force_locale(PACKAGE_LANGUAGE),
    ):
        package = db.session.get(SubmissionPackage, package_id)
        organisation_name = db.session.scalar(
            select(Organisation.name).where(Organisation.id == package.organisation_id)
        )
        ids = list(
            db.session.scalars(
                select(PackageItem.recommendation_id)
                .where(PackageItem.package_id == package_id)
                .order_by(PackageItem.position)
            )
        )
        # Stored as the selection's arguments; parse reads text, as from a query string.
        args = {name: str(value) for name, value in (package.selection_args or {}).items()}
        chosen = selection.parse(args, None)
        report = services.report_for(
            ids,
            chosen.describe(),
            title=package.title,
            cover_letter=package.cover_letter,
            addressee=organisation_name,
            # The package's moment, whenever the file is built.
            generated_at=package.sent_at,
        )
        out = io.BytesIO()
        sha = services.write_file(fmt, report, len(ids), chosen.as_args(), out)
        db.session.commit()
    return out.getvalue(), sha


def _mark_ready(package_id: int) -> None:
    """When every file is built: the package is ready, and the audit log gets the files'
    hashes, once (the builder whose update marks the package writes the entry)."""
    files = db.session.execute(
        select(PackageFile.format, PackageFile.sha256, PackageFile.built_at).where(
            PackageFile.package_id == package_id
        )
    ).all()
    if any(built_at is None for _fmt, _sha, built_at in files):
        return
    marked = db.session.execute(
        update(SubmissionPackage)
        .where(SubmissionPackage.id == package_id, SubmissionPackage.files_ready_at.is_(None))
        .values(files_ready_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if marked:
        package = db.session.get(SubmissionPackage, package_id)
        audit.record(
            None, "package.files_ready", package, sha256={fmt: sha for fmt, sha, _ in files}
        )
    db.session.commit()


def progress(package_id: int) -> dict:
    """What the package page says while files are built: how many are ready, whether
    any is still being built (the page asks again while one is), whether one was given
    up, and a token that changes only when any of that does."""
    rows = db.session.execute(
        select(
            PackageFile.format, PackageFile.built_at, PackageFile.last_error, PackageFile.attempts
        ).where(PackageFile.package_id == package_id)
    ).all()
    ready = sum(1 for row in rows if row.built_at is not None)
    given_up = sum(1 for row in rows if row.built_at is None and row.attempts >= MAX_ATTEMPTS)
    failed = sum(1 for row in rows if row.last_error)
    return {
        "ready": ready,
        "total": len(rows),
        "building": len(rows) - ready - given_up,
        "given_up": given_up > 0,
        "max_attempts": MAX_ATTEMPTS,
        "token": f"{ready}-{failed}-{given_up}",
    }


def package_with_files(package_id: int) -> SubmissionPackage | None:
    """A package and its files' rows (not their content): what the page's files part
    shows, read every two seconds while they are built."""
    return db.session.scalar(
        select(SubmissionPackage)
        .where(SubmissionPackage.id == package_id)
        .options(selectinload(SubmissionPackage.files).defer(PackageFile.content))
    )
