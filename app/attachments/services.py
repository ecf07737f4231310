"""Every change to materials: attach files, replace one with a new version, remove one.
Each is one transaction, audited. Files are checked whole before anything is written:
a refused file in a batch keeps the whole batch out, and nothing of it stays on disk."""

from contextlib import ExitStack
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app import audit, filestore
from app.attachments import kinds, owners, text
from app.attachments.models import Attachment, AttachmentFile
from app.database import commit, utcnow
from app.extensions import db


@dataclass(frozen=True)
class Upload:
    """A file as it came in a request: the name the browser gave and its bytes."""

    filename: str
    stream: BinaryIO


class UploadRefused(Exception):
    """Nothing was stored. ``problems`` pairs each refused file's name with the reason
    (the name is empty for a problem of the whole request)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


class StaleVersion(Exception):
    """Someone replaced the file since the form was opened; nothing was stored."""


@dataclass
class _Accepted:
    incoming: filestore.Incoming
    kind: kinds.Kind
    filename: str


def max_file_bytes() -> int:
    return current_app.config["MATERIALS_MAX_FILE_MB"] * 1024 * 1024


def attach(
    obj, user, uploads: list[Upload], title: str = "", description: str = ""
) -> list[Attachment]:
    """Attach each upload to ``obj`` as a material of its own. ``title`` names a single
    upload; several are each titled by their file name."""
    if not uploads:
        raise UploadRefused([("", str(_l("Choose at least one file.")))])
    if title and len(uploads) > 1:
        raise UploadRefused(
            [
                (
                    "",
                    str(
                        _l(
                            "A title names one file. Upload several files without a title "
                            "(each is named after its file), or one at a time with a title."
                        )
                    ),
                )
            ]
        )
    owner = owners.of(obj)
    store = filestore.store()
    with ExitStack() as stack:
        accepted = _receive_all(stack, store, uploads)
        now = utcnow()
        created, files = [], []
        for item in accepted:
            store.keep(item.incoming)
            attachment = Attachment(
                owner_type=owner.kind,
                owner_id=obj.id,
                title=title or kinds.title_from_name(item.filename),
                description=description,
                created_by_id=user.id,
                created_at=now,
            )
            files.append(_file_row(item, 1, user, now))
            attachment.files = [files[-1]]
            db.session.add(attachment)
            created.append(attachment)
        db.session.flush()
        file_ids = [row.id for row in files]
        for attachment, item in zip(created, accepted, strict=True):
            audit.record(
                user,
                "attachment.added",
                attachment,
                owner=f"{owner.kind}:{obj.id}",
                filename=item.filename,
                sha256=item.incoming.sha256,
                size=item.incoming.size,
            )
        commit()
    text.start_reading(file_ids)
    return created


def replace(attachment: Attachment, user, upload: Upload, expected_number: int) -> AttachmentFile:
    """A new version of the file; the earlier ones stay. ``expected_number`` is the
    version the person saw: if another has come since, nothing is stored."""
    store = filestore.store()
    with ExitStack() as stack:
        (item,) = _receive_all(stack, store, [upload])
        number = expected_number + 1
        moved = db.session.execute(
            update(Attachment)
            .where(Attachment.id == attachment.id, Attachment.current_number == expected_number)
            .values(current_number=number)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:
            db.session.rollback()
            raise StaleVersion
        store.keep(item.incoming)
        row = _file_row(item, number, user, utcnow())
        row.attachment_id = attachment.id
        db.session.add(row)
        db.session.flush()
        file_id = row.id
        audit.record(
            user,
            "attachment.replaced",
            attachment,
            number=number,
            filename=item.filename,
            sha256=item.incoming.sha256,
            size=item.incoming.size,
        )
        commit()
    text.start_reading([file_id])
    db.session.refresh(attachment)
    return row


def remove(attachment: Attachment, user) -> None:
    """Take the material off its object. The record and its files stay (the audit log
    and any package that carried them still point at them)."""
    attachment.deleted_at = utcnow()
    attachment.deleted_by_id = user.id
    audit.record(user, "attachment.removed", attachment, title=attachment.title)
    text.refresh_owner(attachment.owner_type, attachment.owner_id)
    commit()


def hand_over(from_obj, to_obj, user) -> int:
    """Give the materials of an object that is going away to another one (an agenda
    item's to its meeting), audited; how many. The caller commits."""
    source, target = owners.of(from_obj), owners.of(to_obj)
    moved = db.session.scalars(
        select(Attachment).where(
            Attachment.owner_type == source.kind,
            Attachment.owner_id == from_obj.id,
            Attachment.deleted_at.is_(None),
        )
    ).all()
    for attachment in moved:
        attachment.owner_type, attachment.owner_id = target.kind, to_obj.id
        audit.record(
            user,
            "attachment.moved",
            attachment,
            old=f"{source.kind}:{from_obj.id}",
            new=f"{target.kind}:{to_obj.id}",
        )
    return len(moved)


def _receive_all(stack: ExitStack, store, uploads: list[Upload]) -> list[_Accepted]:
    """Receive and check every upload; the files are discarded when ``stack`` closes
    unless kept. Raises ``UploadRefused`` with every problem found."""
    limit = max_file_bytes()
    accepted, problems = [], []
    for upload in uploads:
        shown = _shown_name(upload.filename)
        try:
            incoming = stack.enter_context(store.receive(upload.stream, limit))
        except filestore.TooLarge:
            problems.append(
                (
                    shown,
                    str(
                        _l(
                            "The file is larger than %(limit)s MB.",
                            limit=current_app.config["MATERIALS_MAX_FILE_MB"],
                        )
                    ),
                )
            )
            continue
        try:
            kind = kinds.detect(incoming.path)
            name = kinds.clean_name(upload.filename, kind)
        except kinds.Refused as refusal:
            problems.append((shown, str(refusal.args[0])))
            continue
        accepted.append(_Accepted(incoming, kind, name))
    if problems:
        raise UploadRefused(problems)
    return accepted


def _shown_name(filename: str) -> str:
    """The name as it may be shown back in a message: control characters as '?'."""
    return "".join("?" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in filename or "")[:150]


def _file_row(item: _Accepted, number: int, user, now) -> AttachmentFile:
    return AttachmentFile(
        number=number,
        filename=item.filename,
        content_type=item.kind.mime,
        size=item.incoming.size,
        sha256=item.incoming.sha256,
        uploaded_by_id=user.id,
        uploaded_at=now,
        text_state="pending" if item.kind.reader else "none",
    )
