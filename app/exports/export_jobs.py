"""Exports made in the background: a PDF report too big to lay out while the person
waits (over ``PDF_MAX_RECOMMENDATIONS``).

The job remembers the filters and the language, and is made, like a package's files,
in a thread of the process that took the request (``EXPORT_JOBS = "thread"``), in the
request itself (``"inline"``, the tests) or by the scheduler's job; a job is claimed
before it is made, a claim left by a process that died is taken again after
``CLAIM_TIMEOUT``, at most ``MAX_ATTEMPTS`` times. Its page shows how far it is: the
recommendations read, then the layout of the pages, then the file with its SHA-256,
kept in the file store for the person who asked."""

import io
import logging
from datetime import timedelta
from functools import partial

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update

from app import background, filestore
from app.auth.models import User
from app.database import utcnow
from app.exports import selection, services
from app.exports.models import ExportJob
from app.extensions import db
from app.permissions import visible_statuses
from app.scheduler import register_job

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=30)
MAX_ATTEMPTS = 3
#: The progress is written every this many recommendations read.
PROGRESS_STEP = 50
#: Stages a job is still being made in.
UNDER_WAY = ("waiting", "reading", "layout")


filestore.register_references(
    lambda: db.session.scalars(select(ExportJob.sha256).where(ExportJob.sha256.is_not(None)))
)


def create(user, chosen: selection.Selection, count: int, language: str) -> ExportJob:
    job = ExportJob(
        user_id=user.id,
        format="pdf",
        selection_args=chosen.as_args(),
        language=language,
        total=count,
    )
    db.session.add(job)
    db.session.commit()
    return job


def start(job_id: int) -> None:
    """Right after the job is committed: make it as ``EXPORT_JOBS`` says."""
    background.after_commit("EXPORT_JOBS", partial(build, job_id))


def _claimable():
    stale = utcnow() - CLAIM_TIMEOUT
    return and_(
        ExportJob.attempts < MAX_ATTEMPTS,
        or_(
            ExportJob.stage == "waiting",
            and_(ExportJob.stage.in_(("reading", "layout")), ExportJob.claimed_at < stale),
        ),
    )


@register_job("export-jobs")
def build_waiting() -> int:
    """The scheduler's job: make every waiting export; how many were made."""
    waiting = db.session.scalars(
        select(ExportJob.id).where(_claimable()).order_by(ExportJob.id)
    ).all()
    db.session.commit()
    return sum(build(job_id) for job_id in waiting)


def _set(job_id: int, **values) -> None:
    db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def build(job_id: int) -> bool:
    """Claim one job and make its file; False when another builder has it."""
    now = utcnow()
    claimed = db.session.execute(
        update(ExportJob)
        .where(ExportJob.id == job_id, _claimable())
        .values(stage="reading", claimed_at=now, attempts=ExportJob.attempts + 1, done=0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return False
    job = db.session.get(ExportJob, job_id)
    try:
        data, sha256 = _render(job)
        store = filestore.store()
        with store.receive(io.BytesIO(data), len(data)) as incoming:
            store.keep(incoming)
    except Exception as exc:  # noqa: BLE001  kept on the job, shown, tried again
        db.session.rollback()
        log.exception("export job %s failed", job_id)
        attempts = db.session.scalar(select(ExportJob.attempts).where(ExportJob.id == job_id))
        _set(
            job_id,
            stage="failed" if attempts >= MAX_ATTEMPTS else "waiting",
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return True
    _set(
        job_id,
        stage="ready",
        sha256=sha256,
        size=len(data),
        finished_at=utcnow(),
        last_error="",
    )
    return True


def _render(job: ExportJob) -> tuple[bytes, str]:
    """The file, made with what its owner may see now, in the language they asked in."""
    job_id = job.id
    with (
        current_app.test_request_context(base_url=current_app.config["BASE_URL"]),
        force_locale(job.language),
    ):
        owner = db.session.get(User, job.user_id)
        args = {name: str(value) for name, value in job.selection_args.items()}
        chosen = selection.parse(args, visible_statuses(owner))
        ids = services.selected_ids(chosen)
        _set(job_id, total=len(ids))
        report = services.report_for(ids, chosen.describe())
        report.recommendations = _counted(job_id, report.recommendations, len(ids))
        out = io.BytesIO()
        sha256 = services.write_file(job.format, report, len(ids), chosen.as_args(), out)
        db.session.commit()
    return out.getvalue(), sha256


def _counted(job_id: int, records, total: int):
    """The records as they are read, the job's progress written on the way; when the
    last is read, the layout of the pages begins."""
    read = 0
    for read, record in enumerate(records, start=1):
        yield record
        if read % PROGRESS_STEP == 0:
            _set(job_id, done=read)
    _set(job_id, done=max(read, total), stage="layout")


def jobs_of(user, limit: int = 10) -> list[ExportJob]:
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.user_id == user.id)
            .order_by(ExportJob.id.desc())
            .limit(limit)
        )
    )
