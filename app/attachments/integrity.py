"""Whether the file store still holds every file the database knows, unchanged
(``flask files check``)."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app import filestore
from app.attachments.models import Attachment, AttachmentFile
from app.extensions import db


@dataclass
class Report:
    checked: int = 0
    #: SHA-256 -> the materials (id, title, version) whose file is gone or altered.
    missing: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    changed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: Files in the store that no record names (an upload whose record was never saved).
    unreferenced: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.missing and not self.changed


def check() -> Report:
    store = filestore.store()
    report = Report()
    known: dict[str, str] = {}
    rows = db.session.execute(
        select(
            AttachmentFile.sha256,
            AttachmentFile.size,
            AttachmentFile.number,
            Attachment.id,
            Attachment.title,
        )
        .join(Attachment, Attachment.id == AttachmentFile.attachment_id)
        .order_by(AttachmentFile.id)
        .execution_options(yield_per=500)
    )
    for sha256, size, number, attachment_id, title in rows:
        if sha256 not in known:
            known[sha256] = store.state(sha256, size)
            report.checked += 1
        where = f"#{attachment_id} “{title}”, version {number}"
        if known[sha256] == "missing":
            report.missing[sha256].append(where)
        elif known[sha256] == "changed":
            report.changed[sha256].append(where)
    elsewhere = filestore.referenced_elsewhere()
    report.unreferenced = [
        name for name in store.names() if name not in known and name not in elsewhere
    ]
    return report
