"""Reads of the strategy catalogue: facets with counts, one strategy, reference lists."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app import kept, search
from app.extensions import db
from app.i18n import localized
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


#: The catalogue's facets. Values within one facet are alternatives (Poland or Czechia);
#: facets narrow each other (Poland and SDG 11).
FACETS = ("country", "level", "status", "dimension", "green_deal", "sdg", "year")
#: Values one facet takes from a URL; more are ignored.
MAX_VALUES = 20


@dataclass(frozen=True)
class StrategyFilters:
    """The portal's filters, kept in the URL (``?country=PL&country=CZ&sdg=11``)."""

    country: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    dimension: tuple[str, ...] = ()
    green_deal: tuple[str, ...] = ()
    sdg: tuple[int, ...] = ()
    status: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    q: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "StrategyFilters":
        def words(name, limit=30):
            values = (value.strip() for value in args.getlist(name))
            return _distinct(
                v[:limit] for v in values if v and v.replace("_", "").isalnum() and v.isascii()
            )

        def number(value, low, high):
            if value.isascii() and value.isdecimal() and len(value) <= 6:
                n = int(value)
                return n if low <= n <= high else None
            return None

        def numbers(name, low, high):
            found = (number(value, low, high) for value in args.getlist(name))
            return _distinct(n for n in found if n is not None)

        return cls(
            country=tuple(v.upper() for v in words("country", 2)),
            level=words("level"),
            dimension=words("dimension"),
            green_deal=words("green_deal"),
            sdg=numbers("sdg", 1, 17),
            status=words("status"),
            year=numbers("year", 1990, 2100),
            q=(args.get("q") or "").strip()[:200] or None,
            page=number(args.get("page", ""), 1, 100_000) or 1,
        )

    def as_args(self, **changes) -> dict:
        """The filters as URL arguments (a facet's values as a list), with ``changes``."""
        values = {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in vars(self).items()
        }
        values.update(changes)
        if values.get("page") == 1:
            values.pop("page")
        return {k: v for k, v in values.items() if v not in (None, "", [], ())}

    def toggled(self, name: str, value) -> dict:
        """URL arguments with ``value`` added to facet ``name``, or taken out if it is on."""
        chosen = getattr(self, name)
        values = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        return self.as_args(**{name: values, "page": 1})

    def without(self, name: str) -> "StrategyFilters":
        return replace(self, **{name: ()}, page=1)

    @property
    def active(self) -> bool:
        return bool(self.q) or any(getattr(self, name) for name in FACETS)


def _distinct(values) -> tuple:
    return tuple(dict.fromkeys(values))[:MAX_VALUES]


def _linked(key):
    """Strategies with any of the values in the link table column ``key``."""
    return lambda values: SmartStrategy.id.in_(
        select(key.table.c.strategy_id).where(key.in_(values))
    )


#: Facet -> the SQL condition "any of these values".
_CONDITIONS = {
    "country": SmartStrategy.country.in_,
    "level": SmartStrategy.level.in_,
    "status": SmartStrategy.status.in_,
    "year": SmartStrategy.adopted_year.in_,
    "dimension": _linked(strategy_dimensions.c.dimension_code),
    "green_deal": _linked(strategy_green_deal_areas.c.area_code),
    "sdg": _linked(StrategySdg.__table__.c.goal_number),
}


def filtered(filters: StrategyFilters) -> Select:
    """Strategies matching every facet (any of its values) and every word of the search,
    in any field or the document's text, whatever the case and diacritics."""
    query = select(SmartStrategy)
    for name, condition in _CONDITIONS.items():
        values = getattr(filters, name)
        if values:
            query = query.where(condition(values))
    if filters.q:
        matches = search.matching_strategy_ids(filters.q)
        if matches is not None:
            query = query.where(SmartStrategy.id.in_(matches))
    return query


def _in_order(query: Select, q: str | None) -> Select:
    """With a search, the best matches first; else by country and place."""
    scores = search.strategy_relevance(q) if q else None
    if scores is None:
        return query.order_by(SmartStrategy.country, SmartStrategy.place, SmartStrategy.id)
    ranked = scores.subquery()
    return query.join(ranked, ranked.c.id == SmartStrategy.id).order_by(
        ranked.c.score, SmartStrategy.id
    )


def page_of(filters: StrategyFilters):
    base = filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.scalars(
        _in_order(base.options(selectinload(SmartStrategy.sdgs)), filters.q)
        .limit(PAGE_SIZE)
        .offset((filters.page - 1) * PAGE_SIZE)
    ).all()
    return rows, total


def facet_counts(filters: StrategyFilters) -> dict[str, dict]:
    """Per facet, value -> number of strategies it would show, one query each.

    A facet is counted under every other facet's choice but not its own, so the counts
    beside its other values say how many strategies choosing them too would add."""

    def grouped(name, column, *joins):
        ids = filtered(filters.without(name)).with_only_columns(SmartStrategy.id).subquery()
        query = select(column, func.count()).select_from(SmartStrategy)
        for target, on in joins:
            query = query.join(target, on)
        return dict(
            db.session.execute(
                query.where(SmartStrategy.id.in_(select(ids.c.id))).group_by(column)
            ).all()
        )

    return {
        "country": grouped("country", SmartStrategy.country),
        "level": grouped("level", SmartStrategy.level),
        "status": grouped("status", SmartStrategy.status),
        "year": grouped("year", SmartStrategy.adopted_year),
        "dimension": grouped(
            "dimension",
            strategy_dimensions.c.dimension_code,
            (strategy_dimensions, strategy_dimensions.c.strategy_id == SmartStrategy.id),
        ),
        "green_deal": grouped(
            "green_deal",
            strategy_green_deal_areas.c.area_code,
            (
                strategy_green_deal_areas,
                strategy_green_deal_areas.c.strategy_id == SmartStrategy.id,
            ),
        ),
        "sdg": grouped(
            "sdg",
            StrategySdg.goal_number,
            (StrategySdg, StrategySdg.strategy_id == SmartStrategy.id),
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


#: The goals, the Green Deal areas and the smart-city dimensions as read-only rows, in
#: order, kept in the process (``app.kept``): for pages that only show their names
#: (facets, classification choices, suggestions).
goal_rows = kept.table_rows(SdgGoal, "number")
green_deal_rows = kept.table_rows(GreenDealArea, "position")
dimension_rows = kept.table_rows(SmartDimension, "position")


def suggestion_names(loaded_goals: list | None = None) -> dict[str, dict[str, str]]:
    """The names that suggestions are shown with, in the reader's language: "sdg" and
    "green_deal", each code -> name. ``loaded_goals`` when the page has them already."""
    return {
        "sdg": {str(g.number): localized(g, "short_name") for g in loaded_goals or goal_rows()},
        "green_deal": {area.code: localized(area, "name") for area in green_deal_rows()},
    }


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
    return list(db.session.scalars(_in_order(query, filters.q).limit(limit)))


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
