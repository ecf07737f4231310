"""Reads of problem areas, categories and challenges, shared by pages, exports and the API."""

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.problems.models import Challenge, ProblemArea, RecommendationCategory, Subgroup
from app.recommendations.models import Recommendation, recommendation_challenges


def the_subgroup() -> Subgroup:
    """The subgroup new meetings belong to (the UI hides the choice while there is one)."""
    return db.session.scalar(select(Subgroup).order_by(Subgroup.id).limit(1))


def problem_areas() -> list[ProblemArea]:
    return list(db.session.scalars(select(ProblemArea).order_by(ProblemArea.position)))


def categories() -> list[RecommendationCategory]:
    return list(
        db.session.scalars(select(RecommendationCategory).order_by(RecommendationCategory.position))
    )


def problem_area_by_code(code: str) -> ProblemArea | None:
    return db.session.scalar(select(ProblemArea).where(ProblemArea.code == code.upper()))


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


def challenge_counts() -> dict[int, int]:
    query = select(Challenge.problem_area_id, func.count()).group_by(Challenge.problem_area_id)
    return dict(db.session.execute(query).all())


def challenges_of(area: ProblemArea) -> list[Challenge]:
    return list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.problem_area_id == area.id)
            .options(selectinload(Challenge.author))
            .order_by(Challenge.created_at, Challenge.id)
        )
    )


def all_challenges() -> list[Challenge]:
    """Every challenge with its area, for pickers."""
    return list(
        db.session.scalars(
            select(Challenge)
            .options(joinedload(Challenge.problem_area))
            .join(ProblemArea, ProblemArea.id == Challenge.problem_area_id)
            .order_by(ProblemArea.position, Challenge.id)
        )
    )


def challenge_for_page(challenge_id: int) -> Challenge | None:
    return db.session.scalar(
        select(Challenge)
        .where(Challenge.id == challenge_id)
        .options(
            joinedload(Challenge.problem_area),
            joinedload(Challenge.author),
            joinedload(Challenge.origin_meeting),
        )
    )


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
