"""Reads of notifications: the unread count for the bell, the list and what still
needs the person's action.

Both leave out notifications about what their owner may no longer see (the same rule
as every list, ``permissions.only_shown_targets``)."""

from datetime import timedelta
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from app import pending
from app.database import utcnow
from app.digests.models import Notification
from app.extensions import db
from app.permissions import only_shown_targets


def shown(statement: Select) -> Select:
    """``statement`` (over notifications) without those about hidden objects."""
    return only_shown_targets(
        statement, Notification.user_id, Notification.target_type, Notification.target_id
    )


@cache
def _unread_count_statement() -> Select:
    """Every page's bell asks this: built once per process (after every feature has
    registered its visibility rule, which happens before the first request), so each
    page only binds the person instead of building and keying the statement again."""
    return shown(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
    )


def unread_count(user_id: int) -> int:
    return db.session.scalar(_unread_count_statement(), {"user_id": user_id}) or 0


def recent(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.scalars(
            shown(select(Notification).where(Notification.user_id == user_id))
            .options(joinedload(Notification.actor))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


#: Requests older than this are not listed as waiting (the list stays short and current).
ASKS_WITHIN = timedelta(days=90)
#: Requests read per page, newest first; only the open ones are shown.
ASKS_READ = 200


@cache
def _asks_statement() -> Select:
    """The dashboard asks this on every visit: built once per process (see
    ``_unread_count_statement``), the person, the kinds and the time bound."""
    return (
        shown(
            select(Notification).where(
                Notification.user_id == bindparam("user_id"),
                Notification.kind.in_(bindparam("kinds", expanding=True)),
                Notification.created_at >= bindparam("since"),
            )
        )
        .options(joinedload(Notification.actor))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(ASKS_READ)
    )


def needs_action(user_id: int, limit: int = 10, without=()) -> list[Notification]:
    """Requests made of the person that are still open now (each object once, newest
    first), except the kinds in ``without``: one query for the requests and one per
    kind for their objects' state."""
    asks = list(
        db.session.scalars(
            _asks_statement(),
            {
                "user_id": user_id,
                "kinds": sorted(pending.kinds() - set(without)),
                "since": utcnow() - ASKS_WITHIN,
            },
        )
    )
    still_open = pending.still_open(asks)
    seen, result = set(), []
    for n in asks:
        data = n.data or {}
        about = (n.kind, n.target_id, data.get("amendment_id"), data.get("action_id"))
        if n.id in still_open and about not in seen:
            seen.add(about)
            result.append(n)
    return result[:limit]
