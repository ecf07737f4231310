"""Reads of problem areas, categories and challenges, shared by pages, exports and the API."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app import kept
from app.extensions import db
from app.problems.models import Challenge, ProblemArea, RecommendationCategory, Subgroup


def the_subgroup() -> Subgroup:
    """The subgroup new meetings belong to (the UI hides the choice while there is one)."""
    return db.session.scalar(select(Subgroup).order_by(Subgroup.id).limit(1))


def problem_areas() -> list[ProblemArea]:
    return list(db.session.scalars(select(ProblemArea).order_by(ProblemArea.position)))


def categories() -> list[RecommendationCategory]:
    return list(
        db.session.scalars(select(RecommendationCategory).order_by(RecommendationCategory.position))
    )


#: The problem areas and the categories as read-only rows, in order, kept in the process
#: (``app.kept``): for pages that only show them (filters, the coverage matrix).
area_rows = kept.table_rows(ProblemArea, "position")
category_rows = kept.table_rows(RecommendationCategory, "position")


def problem_area_by_code(code: str) -> ProblemArea | None:
    return db.session.scalar(select(ProblemArea).where(ProblemArea.code == code.upper()))


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
