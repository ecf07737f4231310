"""Reads of recommendations shared by pages, exports and the API (eager loading decided here)."""

from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Organisation, Sector, User
from app.extensions import db
from app.problems.models import Challenge, ProblemArea
from app.recommendations.models import (
    STANCES,
    Amendment,
    Comment,
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
    Support,
    recommendation_challenges,
)

#: Recommendations shown per category on a problem area's page; the rest are one link away.
PER_CATEGORY = 20


def of_area_by_category(
    area: ProblemArea, statuses: tuple[str, ...] | None, per_category: int = PER_CATEGORY
) -> tuple[dict[int, list[Recommendation]], dict[int, int]]:
    """An area's first ``per_category`` recommendations of each category (stable number
    order), keyed by category id, and how many each category holds in all."""
    in_area = [Recommendation.problem_area_id == area.id]
    if statuses is not None:
        in_area.append(Recommendation.status.in_(statuses))
    ranked = (
        select(
            Recommendation.id,
            func.row_number()
            .over(partition_by=Recommendation.category_id, order_by=Recommendation.number)
            .label("rank"),
        )
        .where(*in_area)
        .subquery()
    )
    query = (
        select(Recommendation)
        .join(ranked, ranked.c.id == Recommendation.id)
        .where(ranked.c.rank <= per_category)
        .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
        .order_by(Recommendation.category_id, Recommendation.number)
    )
    grouped: dict[int, list[Recommendation]] = {}
    for rec in db.session.scalars(query):
        grouped.setdefault(rec.category_id, []).append(rec)
    totals = dict(
        db.session.execute(
            select(Recommendation.category_id, func.count())
            .where(*in_area)
            .group_by(Recommendation.category_id)
        ).all()
    )
    return grouped, totals


# --- one recommendation -------------------------------------------------------------------


def recommendation_for_page(rec_id: int) -> Recommendation | None:
    """A recommendation with everything its page and its permission checks read."""
    return db.session.scalar(_for_page(), {"rec_id": rec_id})


@cache
def _for_page() -> Select:
    """Built once per process: with its nine loader options, building the statement
    and working out its cache key cost more than running it."""
    return (
        select(Recommendation)
        .where(Recommendation.id == bindparam("rec_id"))
        .options(
            joinedload(Recommendation.problem_area),
            joinedload(Recommendation.category),
            joinedload(Recommendation.created_by),
            joinedload(Recommendation.origin_meeting),
            joinedload(Recommendation.merged_into).options(
                joinedload(Recommendation.problem_area), joinedload(Recommendation.category)
            ),
            selectinload(Recommendation.secondary_areas),
            selectinload(Recommendation.challenges),
            selectinload(Recommendation.authors).options(joinedload(RecommendationAuthor.user)),
        )
    )


def stance_counts(
    *, recommendation_id: int | None = None, challenge_id: int | None = None
) -> dict[str, int]:
    query = (
        select(Comment.stance, func.count())
        .where(Comment.stance.is_not(None), Comment.deleted_at.is_(None))
        .group_by(Comment.stance)
    )
    if recommendation_id is not None:
        query = query.where(Comment.recommendation_id == recommendation_id)
    else:
        query = query.where(Comment.challenge_id == challenge_id)
    counts = dict.fromkeys(STANCES, 0)
    counts.update(dict(db.session.execute(query).all()))
    return counts


def support_by_sector(rec_id: int) -> list[tuple[object, int]]:
    """Supporters per sector (people without an organisation under "other")."""
    rows = db.session.execute(
        select(Sector, func.count(Support.id))
        .select_from(Support)
        .join(User, User.id == Support.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .join(Sector, Sector.code == func.coalesce(Organisation.sector_code, "other"))
        .where(Support.recommendation_id == rec_id)
        .group_by(Sector.code, Sector.position, Sector.name_pl, Sector.name_en)
        .order_by(Sector.position)
    ).all()
    return [(sector, n) for sector, n in rows]


def has_supported(rec_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(Support.id).where(
                Support.recommendation_id == rec_id, Support.user_id == user_id
            )
        )
        is not None
    )


def timeline(rec_id: int) -> list[StatusChange]:
    return list(
        db.session.scalars(
            select(StatusChange)
            .where(StatusChange.recommendation_id == rec_id)
            .options(joinedload(StatusChange.actor))
            .order_by(StatusChange.created_at, StatusChange.id)
        )
    )


def amendments_of(rec_id: int) -> list[Amendment]:
    return list(
        db.session.scalars(
            select(Amendment)
            .where(Amendment.recommendation_id == rec_id)
            .options(joinedload(Amendment.author), joinedload(Amendment.decided_by))
            .order_by(Amendment.created_at.desc(), Amendment.id.desc())
        )
    )


def amendment_for_page(rec: Recommendation, amendment_id: int) -> Amendment | None:
    amendment = db.session.scalar(
        select(Amendment)
        .where(Amendment.id == amendment_id, Amendment.recommendation_id == rec.id)
        .options(
            joinedload(Amendment.author),
            joinedload(Amendment.decided_by),
            joinedload(Amendment.base_revision),
        )
    )
    if amendment is not None:
        amendment.recommendation = rec  # already loaded, with its authors
    return amendment


def merged_into_this(rec_id: int, statuses: tuple[str, ...] | None = None):
    """Recommendations merged into this one (only those the viewer may see)."""
    query = (
        select(Recommendation)
        .where(Recommendation.merged_into_id == rec_id)
        .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
        .order_by(Recommendation.id)
    )
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    return list(db.session.scalars(query))


def revisions_of(rec_id: int) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.recommendation_id == rec_id)
            .options(joinedload(Revision.author), joinedload(Revision.amended_by))
            .order_by(Revision.number.desc())
        )
    )


def revision_by_number(rec_id: int, number: int) -> Revision | None:
    return db.session.scalar(
        select(Revision).where(Revision.recommendation_id == rec_id, Revision.number == number)
    )


def revision_at_version(rec_id: int, version: int) -> Revision | None:
    """The revision an editor started from: the newest one saved at or before ``version``."""
    return db.session.scalar(
        select(Revision)
        .where(Revision.recommendation_id == rec_id, Revision.recommendation_version <= version)
        .order_by(Revision.number.desc())
        .limit(1)
    )


def merge_candidates(rec: Recommendation) -> list[Recommendation]:
    """Where a recommendation may be merged: open ones in the same problem area (a
    duplicate is found there; the list stays short however large the database grows)."""
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(
                Recommendation.id != rec.id,
                Recommendation.problem_area_id == rec.problem_area_id,
                Recommendation.status.in_(("draft", "discussion", "agreed")),
            )
            .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
            .order_by(Recommendation.category_id, Recommendation.number)
            .limit(200)
        )
    )


def open_for_linking() -> list[Recommendation]:
    """Recommendations an agenda item may refer to (neither withdrawn nor merged)."""
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(
                Recommendation.status.in_(
                    ("draft", "discussion", "agreed", "submitted", "answered")
                )
            )
            .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
            .order_by(
                Recommendation.problem_area_id, Recommendation.category_id, Recommendation.number
            )
        )
    )


def in_discussion() -> list[Recommendation]:
    """Recommendations a meeting may agree."""
    return list(
        db.session.scalars(
            select(Recommendation)
            .where(Recommendation.status == "discussion")
            .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
            .order_by(
                Recommendation.problem_area_id, Recommendation.category_id, Recommendation.number
            )
        )
    )


def shown_author(user_id: int, statuses: tuple[str, ...] | None) -> User | None:
    """The person the list is filtered by, named only if they are an accepted author of
    a recommendation the reader may see (the list's own rule): an id in the URL must not
    reveal the name of a pending invitee, a reviewer or anyone else."""
    authored = (
        select(RecommendationAuthor.id)
        .join(Recommendation, Recommendation.id == RecommendationAuthor.recommendation_id)
        .where(
            RecommendationAuthor.user_id == user_id,
            RecommendationAuthor.state == "accepted",
        )
    )
    if statuses is not None:
        authored = authored.where(Recommendation.status.in_(statuses))
    return db.session.scalar(select(User).where(User.id == user_id, authored.exists()))


def authored_by(user_id: int, statuses: tuple[str, ...] | None, limit: int = 50):
    """Recommendations ``user_id`` is an accepted author of, among those the reader may
    see, newest change first."""
    query = (
        select(Recommendation)
        .join(RecommendationAuthor, RecommendationAuthor.recommendation_id == Recommendation.id)
        .where(RecommendationAuthor.user_id == user_id, RecommendationAuthor.state == "accepted")
        .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
        .order_by(Recommendation.updated_at.desc(), Recommendation.id.desc())
        .limit(limit)
    )
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    return list(db.session.scalars(query))


# --- seen from problem areas and challenges ---------------------------------------------


#: Statuses that count as agreed in the coverage matrix (agreement and what follows it).
AGREED_ONWARD = ("agreed", "submitted", "answered")


@dataclass
class CoverageCell:
    """Recommendations of one problem area in one category, by status."""

    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def agreed(self) -> int:
        return sum(self.by_status.get(s, 0) for s in AGREED_ONWARD)


def coverage(statuses: tuple[str, ...] | None) -> dict[tuple[int, int], CoverageCell]:
    """The matrix (problem area id, category id) -> counts by status, in one query."""
    query = select(
        Recommendation.problem_area_id,
        Recommendation.category_id,
        Recommendation.status,
        func.count(),
    ).group_by(Recommendation.problem_area_id, Recommendation.category_id, Recommendation.status)
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    cells: dict[tuple[int, int], CoverageCell] = {}
    for area, cat, status, n in db.session.execute(query):
        cells.setdefault((area, cat), CoverageCell()).by_status[status] = n
    return cells


def recommendations_answering(challenge: Challenge, statuses: tuple[str, ...] | None):
    query = (
        select(Recommendation)
        .join(
            recommendation_challenges,
            recommendation_challenges.c.recommendation_id == Recommendation.id,
        )
        .where(recommendation_challenges.c.challenge_id == challenge.id)
        .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
        .order_by(Recommendation.id)
    )
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    return list(db.session.scalars(query))
