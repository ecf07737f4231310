"""The recommendation list: its filters as they stand in the URL, the filtered select
(shared with the exports), and one page of rows read as plain columns."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from app import search
from app.auth.models import User
from app.extensions import db
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.models import STATUSES, Recommendation, RecommendationAuthor

PAGE_SIZE = 25


#: Sort orders of the list: URL value -> ORDER BY (ties broken by id, newest first).
SORTS = {
    "updated": (Recommendation.updated_at.desc(),),
    "number": (Recommendation.problem_area_id, Recommendation.category_id, Recommendation.number),
    "support": (Recommendation.support_count.desc(),),
    "discussed": (Recommendation.comment_count.desc(),),
    "title": (Recommendation.title,),
}


@dataclass
class RecommendationFilters:
    """The list's filters, as they appear in the URL (DESIGN §4)."""

    area: str | None = None
    category: str | None = None
    status: str | None = None
    q: str | None = None
    author: int | None = None
    #: Part of an author's name (the list's text field; ``author`` is the stable id).
    who: str | None = None
    organisation: int | None = None
    sort: str = "updated"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "RecommendationFilters":
        """Read filters from query parameters, dropping values that cannot match."""
        status = args.get("status") or None
        sort = args.get("sort") or "updated"
        return cls(
            area=(args.get("area") or "").upper()[:10] or None,
            category=(args.get("category") or "").upper()[:10] or None,
            status=status if status in STATUSES else None,
            q=(args.get("q") or "").strip()[:200] or None,
            author=_bounded_int(args.get("author", "")),
            who=(args.get("who") or "").strip()[:100] or None,
            organisation=_bounded_int(args.get("organisation", "")),
            sort=sort if sort in SORTS else "updated",
            page=_bounded_int(args.get("page", ""), maximum=100_000) or 1,
        )

    def as_args(self, **changes) -> dict:
        values = {k: v for k, v in vars(self).items() if v not in (None, "")}
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        if values.get("sort") == "updated":
            values.pop("sort")
        return {k: v for k, v in values.items() if v not in (None, "")}


def _bounded_int(value: str, maximum: int = 2**31 - 1) -> int | None:
    """A positive whole number from a query parameter, or None for anything else."""
    if value.isascii() and value.isdecimal() and 0 < len(value) <= 10:
        number = int(value)
        if 0 < number <= maximum:
            return number
    return None


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
    if filters.author or filters.organisation or filters.who:
        authors = select(RecommendationAuthor.recommendation_id).where(
            RecommendationAuthor.state == "accepted"
        )
        if filters.author:
            authors = authors.where(RecommendationAuthor.user_id == filters.author)
        if filters.who:
            named = select(User.id).where(
                User.name.ilike(search.contains_pattern(filters.who), escape="\\")
            )
            authors = authors.where(RecommendationAuthor.user_id.in_(named))
        if filters.organisation:
            authors = authors.join(User, User.id == RecommendationAuthor.user_id).where(
                User.organisation_id == filters.organisation
            )
        query = query.where(Recommendation.id.in_(authors))
    if filters.q:
        matches = search.matching_recommendation_ids(filters.q)
        if matches is not None:
            query = query.where(Recommendation.id.in_(matches))
    return query


@dataclass(frozen=True)
class ListRow:
    """A recommendation as the list shows it: read as plain columns, not as an object
    with its whole text, area and category (the list is the most visited page)."""

    id: int
    reference: str
    title: str
    summary: str | None
    status: str
    support_count: int
    comment_count: int
    updated_at: datetime
    #: The accepted authors' names, in the order they joined.
    author_names: tuple[str, ...]


def page_of(filters: RecommendationFilters, statuses: tuple[str, ...] | None):
    """One page of the list and the total count: the same three statements whatever
    the size."""
    base = filtered(filters, statuses)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    # ``filtered`` joins the area and the category only when it filters by them.
    page = base
    if not filters.area:
        page = page.join(ProblemArea, ProblemArea.id == Recommendation.problem_area_id)
    if not filters.category:
        page = page.join(
            RecommendationCategory, RecommendationCategory.id == Recommendation.category_id
        )
    rows = db.session.execute(
        page.with_only_columns(
            Recommendation.id,
            ProblemArea.code,
            RecommendationCategory.code,
            Recommendation.number,
            Recommendation.title,
            Recommendation.summary,
            Recommendation.status,
            Recommendation.support_count,
            Recommendation.comment_count,
            Recommendation.updated_at,
        )
        .order_by(*SORTS[filters.sort], Recommendation.id.desc())
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    names: dict[int, list[str]] = {row[0]: [] for row in rows}
    if rows:
        for rec_id, name in db.session.execute(
            select(RecommendationAuthor.recommendation_id, User.name)
            .join(User, User.id == RecommendationAuthor.user_id)
            .where(
                RecommendationAuthor.recommendation_id.in_(names),
                RecommendationAuthor.state == "accepted",
            )
            .order_by(RecommendationAuthor.id)
        ):
            names[rec_id].append(name)
    listed = [
        ListRow(
            id=rec_id,
            reference=f"{area}/{category}/{number}",
            title=title,
            summary=summary,
            status=status,
            support_count=supports,
            comment_count=comments,
            updated_at=updated_at,
            author_names=tuple(names[rec_id]),
        )
        for (
            rec_id,
            area,
            category,
            number,
            title,
            summary,
            status,
            supports,
            comments,
            updated_at,
        ) in rows
    ]
    return listed, total
