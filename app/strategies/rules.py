"""Who may review a strategy's classification (registered with ``can``), and who sees
and adds a strategy's materials."""

from flask import url_for

from app import permissions
from app.attachments import owners
from app.permissions import register_object_rules
from app.strategies.models import SmartStrategy


def _review_strategy(user, strategy) -> bool:
    """A different person from the classifier reviews a proposed classification."""
    return strategy.status == "proposed" and strategy.classifier_id != user.id


register_object_rules({"review_strategy": _review_strategy})
owners.register(
    owners.Owner(
        kind="strategy",
        model=SmartStrategy,
        may_see=lambda user, _strategy: permissions.can(user, "view_strategies"),
        may_attach=lambda user, _strategy: permissions.can(user, "edit_strategy"),
        page=lambda strategy: url_for("strategies.detail", strategy_id=strategy.id),
        name=lambda strategy: strategy.title_original,
    )
)
