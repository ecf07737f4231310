"""Reads of recommendations shared by pages, exports and the API (eager loading decided here)."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.models import STATUSES, Recommendation

PAGE_SIZE = 25


@dataclass
class RecommendationFilters:
    """The list's filters, as they appear in the URL (DESIGN §4)."""

    area: str | None = None
    category: str | None = None
    status: str | None = None
    q: str | None = None
    author: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "RecommendationFilters":
        """Read filters from query parameters, dropping values that cannot match."""
        status = args.get("status") or None
        author = args.get("author", "")
        page = args.get("page", "1")
        return cls(
            area=(args.get("area") or "").upper() or None,
            category=(args.get("category") or "").upper() or None,
            status=status if status in STATUSES else None,
            q=(args.get("q") or "").strip()[:200] or None,
            author=int(author) if author.isdigit() else None,
            page=max(1, int(page)) if page.isdigit() else 1,
        )

    def as_args(self, **changes) -> dict:
        values = {k: v for k, v in vars(self).items() if v not in (None, "")}
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        return {k: v for k, v in values.items() if v not in (None, "")}


def filtered(filters: RecommendationFilters, statuses: tuple[str, ...] | None) -> Select:
    """The select for the filtered list, without ordering or paging."""
    query = select(Recommendation)
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    if filters.area:
        query = query.join(ProblemArea, Recommendation.problem_area_id == ProblemArea.id).where(
            ProblemArea.code == filters.area
        )
    if filters.category:
        query = query.join(
            RecommendationCategory, Recommendation.category_id == RecommendationCategory.id
        ).where(RecommendationCategory.code == filters.category)
    if filters.status:
        query = query.where(Recommendation.status == filters.status)
    if filters.author:
        query = query.where(Recommendation.created_by_id == filters.author)
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        query = query.where(
            or_(
                func.lower(Recommendation.title).like(pattern),
                func.lower(Recommendation.summary).like(pattern),
            )
        )
    return query


def page_of(filters: RecommendationFilters, statuses: tuple[str, ...] | None):
    """One page of the list and the total count: two queries whatever the size."""
    base = filtered(filters, statuses)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(
        base.options(
            joinedload(Recommendation.problem_area),
            joinedload(Recommendation.category),
            joinedload(Recommendation.created_by),
        )
        .order_by(Recommendation.updated_at.desc(), Recommendation.id.desc())
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    return rows, total


def of_area_by_category(area: ProblemArea, statuses: tuple[str, ...] | None):
    """An area's recommendations, keyed by category id, in stable number order."""
    query = (
        select(Recommendation)
        .where(Recommendation.problem_area_id == area.id)
        .options(joinedload(Recommendation.problem_area), joinedload(Recommendation.category))
        .order_by(Recommendation.category_id, Recommendation.number)
    )
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    grouped: dict[int, list[Recommendation]] = {}
    for rec in db.session.scalars(query):
        grouped.setdefault(rec.category_id, []).append(rec)
    return grouped
