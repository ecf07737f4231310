"""The text of materials, read after they are stored, for search.

Reading a 500-page PDF takes seconds, so it never holds up an upload: right after the
upload commits, its files are read in a thread of the same process (or in the request
for the tests, or only by the scheduler), each by the bounded child of ``app.reading``.
A file is claimed before it is read, so two readers (a thread and the scheduler's job)
never both read it; a claim left by a process that died is taken again after
``CLAIM_TIMEOUT``, at most ``MAX_ATTEMPTS`` times. Whatever cannot be read (too big, too
slow, encrypted, broken) is marked ``refused``: the file stays, only its words are not
found. Then the object the file belongs to refreshes its search document."""

import logging
from datetime import timedelta
from functools import partial

from flask import current_app, has_request_context
from sqlalchemy import and_, or_, select, update

from app import background, filestore, reading
from app.attachments import kinds, owners
from app.attachments.models import Attachment, AttachmentFile
from app.database import utcnow
from app.extensions import db
from app.scheduler import register_job

log = logging.getLogger(__name__)

#: The most characters of a file's text that are kept (about 250 pages).
MAX_TEXT = 500_000
CLAIM_TIMEOUT = timedelta(minutes=10)
MAX_ATTEMPTS = 3
#: Text files are decoded in these encodings, in order (UTF-8, then the Central
#: European Windows code page that older Polish, Czech and Hungarian files use).
TEXT_ENCODINGS = ("utf-8-sig", "cp1250")


def start_reading(file_ids: list[int]) -> None:
    """Right after new files are committed: read them in a thread (``MATERIALS_TEXT =
    "thread"``, the default), in the caller (``"inline"``), or leave them to the
    scheduler (``"scheduler"``). Outside a request (``flask seed``) they are read in
    the caller: nobody waits for a page, and the process may end before a thread."""
    if not file_ids:
        return
    work = partial(_read_all, file_ids)
    if current_app.config["MATERIALS_TEXT"] == "thread" and not has_request_context():
        work()
    else:
        background.after_commit("MATERIALS_TEXT", work)


def _read_all(file_ids: list[int]) -> None:
    for file_id in file_ids:
        read(file_id)


def _claimable():
    stale = utcnow() - CLAIM_TIMEOUT
    return and_(
        AttachmentFile.text_attempts < MAX_ATTEMPTS,
        or_(
            AttachmentFile.text_state == "pending",
            and_(AttachmentFile.text_state == "reading", AttachmentFile.text_claimed_at < stale),
        ),
    )


@register_job("materials-text")
def read_waiting() -> int:
    """The scheduler's job: read every file still waiting; how many were read."""
    waiting = db.session.scalars(
        select(AttachmentFile.id).where(_claimable()).order_by(AttachmentFile.id).limit(200)
    ).all()
    db.session.commit()
    return sum(read(file_id) for file_id in waiting)


def read(file_id: int) -> bool:
    """Claim one file and read its text; False when another reader has it."""
    now = utcnow()
    claimed = db.session.execute(
        update(AttachmentFile)
        .where(AttachmentFile.id == file_id, _claimable())
        .values(
            text_state="reading",
            text_claimed_at=now,
            text_attempts=AttachmentFile.text_attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    # No transaction while the child reads: on SQLite it would hold the write lock.
    db.session.commit()
    if not claimed:
        return False
    row = db.session.execute(
        select(
            AttachmentFile.sha256,
            AttachmentFile.content_type,
            Attachment.owner_type,
            Attachment.owner_id,
        )
        .join(Attachment, Attachment.id == AttachmentFile.attachment_id)
        .where(AttachmentFile.id == file_id)
    ).one()
    db.session.commit()
    state, text = _text_of(row.sha256, row.content_type)
    db.session.execute(
        update(AttachmentFile)
        .where(AttachmentFile.id == file_id, AttachmentFile.text_claimed_at == now)
        .values(text_state=state, text=text, text_claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    refresh_owner(row.owner_type, row.owner_id)
    db.session.commit()
    return True


def _text_of(sha256: str, content_type: str) -> tuple[str, str]:
    """(state, text) for a stored file."""
    kind = kinds.BY_MIME.get(content_type)
    if kind is None or kind.reader is None:
        return "none", ""
    path = filestore.store().path(sha256)
    try:
        if kind.reader == "text":
            text = _decoded(path)
        else:
            text, _truncated = reading.read_document(kind.reader, MAX_TEXT, path=path)
    except reading.Unreadable as refusal:
        log.info("material file %s not read: %s", sha256, refusal.args[0])
        return "refused", ""
    except FileNotFoundError:
        log.error("material file %s is missing from the store", sha256)
        return "refused", ""
    text = text.replace("\x00", "").strip()[:MAX_TEXT]
    return ("done" if text else "empty"), text


def _decoded(path) -> str:
    # Four bytes a character at most in UTF-8: this is enough for MAX_TEXT characters.
    with open(path, "rb") as handle:
        data = handle.read(MAX_TEXT * 4)
    for encoding in TEXT_ENCODINGS:
        try:
            return data.decode(encoding)[:MAX_TEXT]
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")[:MAX_TEXT]


def refresh_owner(owner_type: str, owner_id: int) -> None:
    """The object's search document again, with its materials' text as it is now."""
    owner = owners.find(owner_type)
    if owner is not None and owner.reindex is not None:
        owner.reindex(owner_id)


def texts_of(owner_type: str, owner_ids) -> list[str]:
    """The text of the current file of each material (not removed) of these objects."""
    ids = list(owner_ids)
    if not ids:
        return []
    current = (
        select(AttachmentFile.text)
        .join(Attachment, Attachment.id == AttachmentFile.attachment_id)
        .where(
            Attachment.owner_type == owner_type,
            Attachment.owner_id.in_(ids),
            Attachment.deleted_at.is_(None),
            AttachmentFile.number == Attachment.current_number,
            AttachmentFile.text_state == "done",
        )
        .order_by(Attachment.id)
    )
    return list(db.session.scalars(current))
