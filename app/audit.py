"""The audit log: who did what to which object, and when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """One recorded change of state."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who acted; empty for the system (CLI, scheduler).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Dotted verb, e.g. ``user.role_changed``.
    action: Mapped[str] = mapped_column(String(80), index=True)
    #: The object acted on, by table name and id.
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int | None]
    #: Details worth keeping (old and new values).
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def record(actor, action: str, obj, **data) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits).

    obj is a model instance, or a plain name for what has no row (an export)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj if isinstance(obj, str) else obj.__tablename__,
        object_id=None if isinstance(obj, str) else obj.id,
        data=data,
    )
    db.session.add(event)
    return event


PAGE_SIZE = 50


def recent(action_prefix: str | None, page: int):
    """One page of events, newest first, with their actors; and whether more follow."""
    query = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    rows = db.session.execute(
        query.order_by(AuditEvent.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
