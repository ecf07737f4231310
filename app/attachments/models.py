"""Materials: documents attached to meetings, agenda items, recommendations, challenges
and strategies, each with the versions of its file."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db


class Attachment(db.Model):
    """One document on one object: a title, a description and its files, newest last."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What it is attached to: a kind registered in ``attachments.owners`` and its id.
    owner_type: Mapped[str] = mapped_column(String(30))
    owner_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: The number of the current file (1 for the first upload); also the version a
    #: replacement must name, so two replacements at once cannot both become current.
    current_number: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when removed (a soft delete: the files and the record stay for the audit).
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="raise")
    files: Mapped[list["AttachmentFile"]] = relationship(
        back_populates="attachment", order_by="AttachmentFile.number", lazy="raise"
    )


class AttachmentFile(db.Model):
    """One version of an attachment's file. The bytes are in the file store under
    ``sha256``; this row is what is known about them."""

    __tablename__ = "attachment_files"
    __table_args__ = (UniqueConstraint("attachment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"))
    #: 1, 2, 3 ... in the order the versions were uploaded.
    number: Mapped[int]
    #: The cleaned name the file came with, offered again on download.
    filename: Mapped[str] = mapped_column(String(255))
    #: The type found in the content (never the browser's claim).
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The text read out of the file for search: ``pending`` until read, then ``done``,
    #: ``none`` (a type without text: pictures), ``empty`` or ``refused`` (too big, too
    #: slow, unreadable; the file itself stays).
    text_state: Mapped[str] = mapped_column(String(12), default="pending")
    text: Mapped[str] = mapped_column(Text, default="")
    #: When a reader took the file (``text_state`` "reading"); a claim older than the
    #: readers' timeout is taken again, up to ``attachments.text.MAX_ATTEMPTS`` times.
    text_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    text_attempts: Mapped[int] = mapped_column(default=0)

    attachment: Mapped[Attachment] = relationship(back_populates="files", lazy="raise")
    uploaded_by: Mapped[User] = relationship(foreign_keys=[uploaded_by_id], lazy="raise")
