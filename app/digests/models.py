"""In-app notifications: one row per person per thing worth telling them."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Notification(db.Model):
    """Something happened that this person should know about."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: What happened, e.g. ``comment.mention``, ``amendment.accepted``.
    kind: Mapped[str] = mapped_column(String(40))
    #: Who did it (empty for the system).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: What it is about, by type and id, and a link to it.
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int]
    url: Mapped[str] = mapped_column(String(300))
    #: Details for the text (titles at the time, reasons).
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went into a digest mail; a notification is never mailed twice.
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    actor = relationship("User", foreign_keys=[actor_id], lazy="raise")
