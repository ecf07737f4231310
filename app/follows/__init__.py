"""Following: what a person wants to hear about (recommendations, challenges, problem areas)."""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from app import audit
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.permissions import only_shown_targets


class FollowTarget(enum.StrEnum):
    RECOMMENDATION = "recommendation"
    CHALLENGE = "challenge"
    PROBLEM_AREA = "problem_area"


class Follow(db.Model):
    """A person follows one object; digests and notifications read these rows."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_type", "target_id", name="uq_follow"),
        CheckConstraint(
            "target_type IN (" + ", ".join(repr(t.value) for t in FollowTarget) + ")",
            name="target_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: What kind of object is followed, and its id.
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    #: A muted follow stays (so the author is not re-subscribed) but sends nothing.
    muted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def is_following(user, target_type: str, target_id: int) -> bool:
    return (
        db.session.scalar(
            select(Follow.id).where(
                Follow.user_id == user.id,
                Follow.target_type == target_type,
                Follow.target_id == target_id,
                Follow.muted.is_(False),
            )
        )
        is not None
    )


def ensure_follow(user, target_type: str, target_id: int) -> None:
    """Follow quietly (authors and commenters follow what they touch); the caller commits.
    A muted follow is left muted: the person asked not to hear more."""
    exists = db.session.scalar(
        select(Follow.id).where(
            Follow.user_id == user.id,
            Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )
    if exists is None:
        db.session.add(Follow(user_id=user.id, target_type=target_type, target_id=target_id))


def set_following(user, target_type: str, target_id: int, follow: bool) -> None:
    """The follow button: follow (or unmute), or stop following."""
    row = db.session.scalar(
        select(Follow).where(
            Follow.user_id == user.id,
            Follow.target_type == target_type,
            Follow.target_id == target_id,
        )
    )
    if follow:
        if row is None:
            row = Follow(user_id=user.id, target_type=target_type, target_id=target_id)
            db.session.add(row)
            db.session.flush()
        row.muted = False
        audit.record(user, "follow.started", row, target=f"{target_type}:{target_id}")
    elif row is not None and not row.muted:
        # Muted, not deleted: commenting again must not quietly re-subscribe the person.
        audit.record(user, "follow.stopped", row, target=f"{target_type}:{target_id}")
        row.muted = True
    db.session.commit()


def followers(target_type: str, target_id: int) -> list[int]:
    """Ids of the people following an object (not muted)."""
    return list(
        db.session.scalars(
            select(Follow.user_id).where(
                Follow.target_type == target_type,
                Follow.target_id == target_id,
                Follow.muted.is_(False),
            )
        )
    )


@dataclass(frozen=True)
class Followable:
    """How the account page lists one kind of followed object (registered by the
    feature that owns it): its model, its title in a language, and its page."""

    model: type
    #: Language code -> the SQL expression of the title shown.
    title: Callable[[str], ColumnElement]
    #: The column that goes after ``prefix`` in the page's path (the id, or a code).
    slug: Callable[[], ColumnElement]
    #: The page's stable path up to the slug (DESIGN.md), e.g. ``/recommendations/``.
    prefix: str


_FOLLOWABLE: dict[str, Followable] = {}


def register_followable(target_type: str, followable: Followable) -> None:
    if target_type not in {t.value for t in FollowTarget}:
        raise KeyError(f"{target_type!r} is not a FollowTarget")
    _FOLLOWABLE[target_type] = followable


def followed_by(user) -> list[tuple[Follow, str, str, str]]:
    """What a person follows, for /account/: (row, target type, title, path).

    One query for the follows and one per kind of object, however many rows."""
    # What the person may no longer see (a recommendation back in discussion, for a
    # reviewer) is left out, title and all.
    rows = db.session.scalars(
        only_shown_targets(
            select(Follow).where(Follow.user_id == user.id),
            Follow.user_id,
            Follow.target_type,
            Follow.target_id,
        ).order_by(Follow.created_at.desc())
    ).all()
    wanted: dict[str, set[int]] = {t.value: set() for t in FollowTarget}
    for row in rows:
        wanted[row.target_type].add(row.target_id)
    titles: dict[tuple[str, int], tuple[str, str]] = {}
    for target_type, kind in _FOLLOWABLE.items():
        if wanted[target_type]:
            model = kind.model
            for target_id, text, key in db.session.execute(
                select(model.id, kind.title(user.language), kind.slug()).where(
                    model.id.in_(wanted[target_type])
                )
            ):
                titles[(target_type, target_id)] = (text, f"{kind.prefix}{key}")
    result = []
    for row in rows:
        found = titles.get((row.target_type, row.target_id))
        if found:  # the object may have been deleted since
            result.append((row, row.target_type, *found))
    return result


def set_muted(user, follow_id: int, muted: bool) -> bool:
    """Mute or unmute one of the person's own follows; False if it is not theirs."""
    row = db.session.get(Follow, follow_id)
    if row is None or row.user_id != user.id:
        return False
    if row.muted != muted:
        action = "follow.muted" if muted else "follow.unmuted"
        audit.record(user, action, row, target=f"{row.target_type}:{row.target_id}")
        row.muted = muted
    db.session.commit()
    return True
