"""Reads of problem areas, categories and challenges, shared by pages, exports and the API."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.problems.models import Challenge, ProblemArea, RecommendationCategory
from app.recommendations.models import Recommendation


def problem_areas() -> list[ProblemArea]:
    return list(db.session.scalars(select(ProblemArea).order_by(ProblemArea.position)))


def categories() -> list[RecommendationCategory]:
    return list(
        db.session.scalars(select(RecommendationCategory).order_by(RecommendationCategory.position))
    )


def problem_area_by_code(code: str) -> ProblemArea | None:
    return db.session.scalar(select(ProblemArea).where(ProblemArea.code == code.upper()))


def coverage_counts(statuses: tuple[str, ...] | None) -> dict[tuple[int, int], int]:
    """Recommendations per (problem area id, category id), in one query."""
    query = select(
        Recommendation.problem_area_id, Recommendation.category_id, func.count()
    ).group_by(Recommendation.problem_area_id, Recommendation.category_id)
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    return {(area, cat): n for area, cat, n in db.session.execute(query)}


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
