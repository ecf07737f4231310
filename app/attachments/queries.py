"""Reading materials for the pages that show them: one owner's, or those of many owners
of one kind at once (a meeting's agenda items), in a fixed number of statements."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.attachments.models import Attachment, AttachmentFile
from app.extensions import db


@dataclass
class Material:
    """One attachment as a page shows it: the current file and the versions before it."""

    attachment: Attachment

    @property
    def current(self) -> AttachmentFile:
        return self.attachment.files[-1]

    @property
    def earlier(self) -> list[AttachmentFile]:
        """The earlier versions, newest first."""
        return self.attachment.files[-2::-1]


def by_owner(kind: str, owner_ids) -> dict[int, list[Material]]:
    """The materials (not removed) of each owner, oldest first."""
    ids = list(owner_ids)
    found: dict[int, list[Material]] = {owner_id: [] for owner_id in ids}
    if not ids:
        return found
    rows = db.session.scalars(
        select(Attachment)
        .where(
            Attachment.owner_type == kind,
            Attachment.owner_id.in_(ids),
            Attachment.deleted_at.is_(None),
        )
        .options(
            joinedload(Attachment.created_by),
            selectinload(Attachment.files).joinedload(AttachmentFile.uploaded_by),
        )
        .order_by(Attachment.created_at, Attachment.id)
    )
    for attachment in rows:
        found[attachment.owner_id].append(Material(attachment))
    return found


def attachment_with_files(attachment_id: int) -> Attachment | None:
    return db.session.scalar(
        select(Attachment)
        .where(Attachment.id == attachment_id)
        .options(
            joinedload(Attachment.created_by),
            selectinload(Attachment.files).joinedload(AttachmentFile.uploaded_by),
        )
    )
