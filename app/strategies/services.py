"""Every change to strategies: records, the classification procedure, links."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, search
from app.database import flush_or_raise
from app.extensions import db
from app.permissions import is_staff
from app.strategies.models import (
    ClassificationEvent,
    ClassificationStatus,
    SmartStrategy,
    StrategyLink,
    StrategySdg,
    strategy_dimensions,
    strategy_green_deal_areas,
    strategy_targets,
)

#: What a strategy is found by in the catalogue's search.
SEARCHED_FIELDS = ("title_original", "title_en", "place", "summary", "keywords", "full_text")


def reindex(strategy: SmartStrategy) -> None:
    """Refresh the strategy's search document (no commit)."""
    search.index_strategy(strategy.id, [getattr(strategy, name) for name in SEARCHED_FIELDS])


class StrategyError(Exception):
    """A request about a strategy that cannot be carried out; the message is for the person."""


@dataclass
class StrategyFields:
    title_original: str
    place: str
    country: str
    level: str
    title_en: str = ""
    population_class: str | None = None
    adopted_year: int | None = None
    horizon_year: int | None = None
    source_url: str = ""
    language: str = "pl"
    summary: str = ""
    full_text: str = ""


@dataclass
class Classification:
    dimensions: list[str] = field(default_factory=list)
    green_deal: list[str] = field(default_factory=list)
    #: goal number -> "primary" or "secondary"
    sdgs: dict[int, str] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    keywords: str = ""


def _values(fields: StrategyFields) -> dict:
    if fields.adopted_year and fields.horizon_year and fields.horizon_year < fields.adopted_year:
        raise StrategyError(_("The horizon year cannot come before the year of adoption."))
    return {
        name: (value.strip() if isinstance(value, str) else value)
        for name, value in vars(fields).items()
    }


def create_strategy(actor, fields: StrategyFields) -> SmartStrategy:
    strategy = SmartStrategy(created_by_id=actor.id, **_values(fields))
    db.session.add(strategy)
    db.session.flush()
    reindex(strategy)
    audit.record(actor, "strategy.created", strategy)
    db.session.commit()
    return strategy


def update_strategy(
    strategy: SmartStrategy, actor, fields: StrategyFields, expected_version: int
) -> None:
    if strategy.version != expected_version:
        raise StrategyError(_("Someone changed this strategy in the meantime. Reload the page."))
    for name, value in _values(fields).items():
        setattr(strategy, name, value)
    flush_or_raise(
        lambda: StrategyError(_("Someone changed this strategy in the meantime. Reload the page."))
    )
    reindex(strategy)
    audit.record(actor, "strategy.edited", strategy)
    db.session.commit()


def _replace(table, column: str, strategy_id: int, values) -> None:
    db.session.execute(delete(table).where(table.c.strategy_id == strategy_id))
    values = list(dict.fromkeys(values))
    if values:
        db.session.execute(insert(table), [{"strategy_id": strategy_id, column: v} for v in values])


def apply_classification(strategy: SmartStrategy, classification: Classification) -> None:
    """Write a classification's dimensions, areas, goals, targets and keywords (no commit)."""
    _replace(strategy_dimensions, "dimension_code", strategy.id, classification.dimensions)
    _replace(strategy_green_deal_areas, "area_code", strategy.id, classification.green_deal)
    _replace(strategy_targets, "target_code", strategy.id, classification.targets)
    db.session.execute(delete(StrategySdg).where(StrategySdg.strategy_id == strategy.id))
    for goal, relevance in sorted(classification.sdgs.items()):
        db.session.add(StrategySdg(strategy_id=strategy.id, goal_number=goal, relevance=relevance))
    strategy.keywords = classification.keywords.strip()
    reindex(strategy)


def propose_classification(
    strategy: SmartStrategy, actor, classification: Classification, comment: str = ""
) -> None:
    """The classifier's proposal: it replaces the previous one and awaits review."""
    if not classification.sdgs and not classification.green_deal and not classification.dimensions:
        raise StrategyError(_("Choose at least one dimension, Green Deal area or goal."))
    goals = set(classification.sdgs)
    stray = [t for t in classification.targets if int(t.split(".")[0]) not in goals]
    if stray:
        raise StrategyError(
            _("Targets must belong to a chosen goal: %(targets)s.", targets=", ".join(stray))
        )
    apply_classification(strategy, classification)
    strategy.status = ClassificationStatus.PROPOSED.value
    strategy.classifier_id = actor.id
    strategy.reviewer_id = None
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise StrategyError(
            _("The classification could not be saved; reload the page and try again.")
        ) from None
    db.session.add(
        ClassificationEvent(
            strategy_id=strategy.id, actor_id=actor.id, action="proposed", comment=comment.strip()
        )
    )
    audit.record(actor, "strategy.classification_proposed", strategy)
    db.session.commit()


def review_classification(strategy: SmartStrategy, actor, approve: bool, comment: str = "") -> None:
    """A second person approves the proposal, or returns it with a comment."""
    if strategy.status != ClassificationStatus.PROPOSED:
        raise StrategyError(_("There is no proposed classification to review."))
    if strategy.classifier_id == actor.id:
        raise StrategyError(_("A classification is reviewed by someone other than its classifier."))
    if not is_staff(actor):
        raise StrategyError(_("Facilitators and administrators review classifications."))
    if not approve and not comment.strip():
        raise StrategyError(_("Say what to change: the classifier will read it."))
    strategy.status = (
        ClassificationStatus.REVIEWED if approve else ClassificationStatus.UNCLASSIFIED
    ).value
    strategy.reviewer_id = actor.id if approve else None
    db.session.flush()
    db.session.add(
        ClassificationEvent(
            strategy_id=strategy.id,
            actor_id=actor.id,
            action="approved" if approve else "returned",
            comment=comment.strip(),
        )
    )
    audit.record(
        actor, "strategy.classification_" + ("approved" if approve else "returned"), strategy
    )
    db.session.commit()


def link_strategy(
    recommendation, strategy: SmartStrategy, actor, relation: str, note: str = ""
) -> StrategyLink:
    link = StrategyLink(
        recommendation_id=recommendation.id,
        strategy_id=strategy.id,
        relation=relation,
        note=note.strip(),
        created_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(link)
    except IntegrityError:
        raise StrategyError(_("This strategy is already linked.")) from None
    audit.record(actor, "strategy.linked", link, recommendation=recommendation.id)
    db.session.commit()
    return link


def unlink_strategy(link: StrategyLink, actor) -> None:
    audit.record(actor, "strategy.unlinked", link)
    db.session.execute(delete(StrategyLink).where(StrategyLink.id == link.id))
    db.session.commit()
