"""Recommendations' evidence seen from the other side: the recommendations that cite a
strategy, and how far an area's recommendations reach the SDGs and the Green Deal
through the strategies they link to. (The strategies feature sits below this one; its
pages get these through ``app.strategies.citations``.)"""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.recommendations.models import Recommendation
from app.strategies.models import StrategyLink, StrategySdg, strategy_green_deal_areas


def links_of_strategy(strategy_id: int, statuses) -> list[StrategyLink]:
    query = (
        select(StrategyLink)
        .join(Recommendation, Recommendation.id == StrategyLink.recommendation_id)
        .where(StrategyLink.strategy_id == strategy_id)
        .options(
            joinedload(StrategyLink.recommendation).options(
                joinedload(Recommendation.problem_area), joinedload(Recommendation.category)
            )
        )
        .order_by(StrategyLink.id)
    )
    if statuses is not None:
        query = query.where(Recommendation.status.in_(statuses))
    return list(db.session.scalars(query))


def area_reach(area_id: int, statuses) -> tuple[dict[int, int], dict[str, int]]:
    """How many of an area's recommendations reach each SDG and each Green Deal area,
    through the strategies they link to (two queries)."""
    recs = select(Recommendation.id).where(Recommendation.problem_area_id == area_id)
    if statuses is not None:
        recs = recs.where(Recommendation.status.in_(statuses))
    linked = (
        select(StrategyLink.recommendation_id, StrategyLink.strategy_id)
        .where(StrategyLink.recommendation_id.in_(recs))
        .subquery()
    )
    goals = db.session.execute(
        select(StrategySdg.goal_number, func.count(func.distinct(linked.c.recommendation_id)))
        .join(linked, linked.c.strategy_id == StrategySdg.strategy_id)
        .group_by(StrategySdg.goal_number)
    ).all()
    areas = db.session.execute(
        select(
            strategy_green_deal_areas.c.area_code,
            func.count(func.distinct(linked.c.recommendation_id)),
        )
        .join(linked, linked.c.strategy_id == strategy_green_deal_areas.c.strategy_id)
        .group_by(strategy_green_deal_areas.c.area_code)
    ).all()
    return dict(goals), dict(areas)
