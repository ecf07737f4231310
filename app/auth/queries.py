"""Reads of accounts and organisations, shared by pages and the admin."""

from sqlalchemy import func, select

from app import kept
from app.auth.models import Organisation, Sector, User
from app.extensions import db


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


#: Organisations as read-only rows, by name, kept in the process (``app.kept``): for
#: pages that only show them, such as the recommendation list's filter.
organisation_rows = kept.table_rows(Organisation, "name")


def members_by_organisation() -> dict[int, int]:
    """Organisation id -> how many accounts belong to it."""
    return dict(
        db.session.execute(
            select(User.organisation_id, func.count())
            .where(User.organisation_id.is_not(None))
            .group_by(User.organisation_id)
        ).all()
    )


def users() -> list[User]:
    """Every account, by name (organisation and sector are joined in)."""
    return list(db.session.scalars(select(User).order_by(User.name, User.id)))


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def active_people() -> list[User]:
    """Everyone who can take part in a meeting, ministry reviewers included."""
    return list(
        db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id))
    )


def people_for_filter() -> list[tuple[int, str, str]]:
    """(id, name, email) of every account, by name: a filter's choices (no objects)."""
    return list(
        db.session.execute(select(User.id, User.name, User.email).order_by(User.name, User.id))
    )


def sectors() -> list[Sector]:
    return list(db.session.scalars(select(Sector).order_by(Sector.position, Sector.code)))


def joined_by_handle(handle: str) -> User | None:
    """The account with this handle that has joined (an invitee has no page yet)."""
    if len(handle) > 60:
        return None
    return db.session.scalar(
        select(User).where(User.handle == handle.lower(), User.password_hash.is_not(None))
    )
