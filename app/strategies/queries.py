"""Reads of the strategy catalogue: facets with counts, one strategy, reference lists."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.search import contains_pattern
from app.strategies.models import (
    ClassificationEvent,
    GreenDealArea,
    SdgGoal,
    SdgTarget,
    SmartDimension,
    SmartStrategy,
    StrategyLink,
    StrategySdg,
    strategy_dimensions,
    strategy_green_deal_areas,
)

PAGE_SIZE = 20
COUNTRIES = ("PL", "CZ", "SK", "HU")


@dataclass
class StrategyFilters:
    """The portal's filters, kept in the URL."""

    country: str | None = None
    level: str | None = None
    dimension: str | None = None
    green_deal: str | None = None
    sdg: int | None = None
    status: str | None = None
    year: int | None = None
    q: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "StrategyFilters":
        def word(name, limit=30):
            value = (args.get(name) or "").strip()
            return value[:limit] if value and value.replace("_", "").isalnum() else None

        def number(name, low, high):
            value = args.get(name, "")
            if value.isascii() and value.isdecimal() and len(value) <= 6:
                n = int(value)
                return n if low <= n <= high else None
            return None

        return cls(
            country=(word("country", 2) or "").upper() or None,
            level=word("level"),
            dimension=word("dimension"),
            green_deal=word("green_deal"),
            sdg=number("sdg", 1, 17),
            status=word("status"),
            year=number("year", 1990, 2100),
            q=(args.get("q") or "").strip()[:200] or None,
            page=number("page", 1, 100_000) or 1,
        )

    def as_args(self, **changes) -> dict:
        values = {k: v for k, v in vars(self).items() if v not in (None, "")}
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        return {k: v for k, v in values.items() if v not in (None, "")}


def filtered(filters: StrategyFilters) -> Select:
    query = select(SmartStrategy)
    if filters.country:
        query = query.where(SmartStrategy.country == filters.country)
    if filters.level:
        query = query.where(SmartStrategy.level == filters.level)
    if filters.status:
        query = query.where(SmartStrategy.status == filters.status)
    if filters.year:
        query = query.where(SmartStrategy.adopted_year == filters.year)
    if filters.dimension:
        query = query.where(
            SmartStrategy.id.in_(
                select(strategy_dimensions.c.strategy_id).where(
                    strategy_dimensions.c.dimension_code == filters.dimension
                )
            )
        )
    if filters.green_deal:
        query = query.where(
            SmartStrategy.id.in_(
                select(strategy_green_deal_areas.c.strategy_id).where(
                    strategy_green_deal_areas.c.area_code == filters.green_deal
                )
            )
        )
    if filters.sdg:
        query = query.where(
            SmartStrategy.id.in_(
                select(StrategySdg.strategy_id).where(StrategySdg.goal_number == filters.sdg)
            )
        )
    if filters.q:
        pattern = contains_pattern(filters.q.lower())
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern, escape="\\")
                    for column in (
                        SmartStrategy.title_original,
                        SmartStrategy.title_en,
                        SmartStrategy.place,
                        SmartStrategy.summary,
                        SmartStrategy.keywords,
                    )
                )
            )
        )
    return query


def page_of(filters: StrategyFilters):
    base = filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(
        base.options(selectinload(SmartStrategy.sdgs))
        .order_by(SmartStrategy.country, SmartStrategy.place, SmartStrategy.id)
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    return rows, total


def facet_counts(filters: StrategyFilters) -> dict[str, dict]:
    """Per facet, value -> number of strategies in the current result (one query each)."""
    ids = filtered(filters).with_only_columns(SmartStrategy.id).subquery()

    def grouped(column, *joins):
        query = select(column, func.count()).select_from(SmartStrategy)
        for target, on in joins:
            query = query.join(target, on)
        return dict(
            db.session.execute(
                query.where(SmartStrategy.id.in_(select(ids.c.id))).group_by(column)
            ).all()
        )

    return {
        "country": grouped(SmartStrategy.country),
        "level": grouped(SmartStrategy.level),
        "status": grouped(SmartStrategy.status),
        "year": grouped(SmartStrategy.adopted_year),
        "dimension": grouped(
            strategy_dimensions.c.dimension_code,
            (strategy_dimensions, strategy_dimensions.c.strategy_id == SmartStrategy.id),
        ),
        "green_deal": grouped(
            strategy_green_deal_areas.c.area_code,
            (
                strategy_green_deal_areas,
                strategy_green_deal_areas.c.strategy_id == SmartStrategy.id,
            ),
        ),
        "sdg": grouped(
            StrategySdg.goal_number, (StrategySdg, StrategySdg.strategy_id == SmartStrategy.id)
        ),
    }


def strategy_for_page(strategy_id: int) -> SmartStrategy | None:
    return db.session.scalar(
        select(SmartStrategy)
        .where(SmartStrategy.id == strategy_id)
        .options(
            selectinload(SmartStrategy.dimensions),
            selectinload(SmartStrategy.green_deal_areas),
            selectinload(SmartStrategy.targets),
            selectinload(SmartStrategy.sdgs),
            joinedload(SmartStrategy.classifier),
            joinedload(SmartStrategy.reviewer),
        )
    )


def events_of(strategy_id: int) -> list[ClassificationEvent]:
    return list(
        db.session.scalars(
            select(ClassificationEvent)
            .where(ClassificationEvent.strategy_id == strategy_id)
            .options(joinedload(ClassificationEvent.actor))
            .order_by(ClassificationEvent.created_at, ClassificationEvent.id)
        )
    )


def goals() -> list[SdgGoal]:
    return list(db.session.scalars(select(SdgGoal).order_by(SdgGoal.number)))


def targets() -> list[SdgTarget]:
    return list(db.session.scalars(select(SdgTarget).order_by(SdgTarget.position)))


def green_deal_areas() -> list[GreenDealArea]:
    return list(db.session.scalars(select(GreenDealArea).order_by(GreenDealArea.position)))


def dimensions() -> list[SmartDimension]:
    return list(db.session.scalars(select(SmartDimension).order_by(SmartDimension.position)))


def links_of_recommendation(rec_id: int) -> list[StrategyLink]:
    return list(
        db.session.scalars(
            select(StrategyLink)
            .where(StrategyLink.recommendation_id == rec_id)
            .options(joinedload(StrategyLink.strategy).selectinload(SmartStrategy.sdgs))
            .order_by(StrategyLink.id)
        )
    )


def search_for_linking(q: str, exclude_ids, limit: int = 10) -> list[SmartStrategy]:
    filters = StrategyFilters(q=q[:200] or None)
    query = filtered(filters).options(selectinload(SmartStrategy.sdgs))
    if exclude_ids:
        query = query.where(SmartStrategy.id.not_in(list(exclude_ids)))
    return list(
        db.session.scalars(
            query.order_by(SmartStrategy.country, SmartStrategy.place, SmartStrategy.id).limit(
                limit
            )
        )
    )


def export_rows(filters: StrategyFilters):
    """Every strategy matching the filters with its classification, in batches of 500."""
    query = (
        filtered(filters)
        .options(
            selectinload(SmartStrategy.sdgs),
            selectinload(SmartStrategy.dimensions),
            selectinload(SmartStrategy.green_deal_areas),
            selectinload(SmartStrategy.targets),
        )
        .order_by(SmartStrategy.id)
    )
    offset = 0
    while True:
        batch = db.session.scalars(query.limit(500).offset(offset)).all()
        if not batch:
            return
        yield from batch
        offset += 500


def link_of(rec_id: int, link_id: int) -> StrategyLink | None:
    """One of a recommendation's strategy links (None if it is another's or gone)."""
    return db.session.scalar(
        select(StrategyLink).where(
            StrategyLink.id == link_id, StrategyLink.recommendation_id == rec_id
        )
    )
