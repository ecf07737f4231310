"""The audit log: who did what to which object, and when."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Select, String, or_, select
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


@dataclass(frozen=True)
class EventFilter:
    """Which events to show: actions starting with any of ``prefixes``, by one actor,
    from ``since`` (inclusive) to ``until`` (exclusive)."""

    prefixes: tuple[str, ...] = ()
    actor_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None

    def query(self) -> Select:
        query = select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
        if self.prefixes:
            query = query.where(
                or_(*(AuditEvent.action.startswith(p, autoescape=True) for p in self.prefixes))
            )
        if self.actor_id is not None:
            query = query.where(AuditEvent.actor_id == self.actor_id)
        if self.since is not None:
            query = query.where(AuditEvent.created_at >= self.since)
        if self.until is not None:
            query = query.where(AuditEvent.created_at < self.until)
        return query.order_by(AuditEvent.id.desc())


def recent(filters: EventFilter, page: int):
    """One page of events, newest first, with their actors; and whether more follow."""
    rows = db.session.execute(
        filters.query().limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def every(filters: EventFilter, batch: int = 1000):
    """All matching events with their actors, newest first, read in batches (for a file)."""
    last_id = None
    while True:
        query = filters.query()
        if last_id is not None:
            query = query.where(AuditEvent.id < last_id)
        rows = db.session.execute(query.limit(batch)).all()
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1][0].id
