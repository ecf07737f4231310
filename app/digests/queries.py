"""Reads of notifications: the unread count for the bell and the list.

Both leave out notifications about what their owner may no longer see (the same rule
as every list, ``permissions.only_shown_targets``)."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app.digests.models import Notification
from app.extensions import db
from app.permissions import only_shown_targets


def shown(statement: Select) -> Select:
    """``statement`` (over notifications) without those about hidden objects."""
    return only_shown_targets(
        statement, Notification.user_id, Notification.target_type, Notification.target_id
    )


def unread_count(user_id: int) -> int:
    return (
        db.session.scalar(
            shown(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            )
        )
        or 0
    )


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            shown(select(Notification).where(Notification.user_id == user_id))
            .options(joinedload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )
