"""Who may review a strategy's classification (registered with ``can``)."""

from app.permissions import register_object_rules


def _review_strategy(user, strategy) -> bool:
    """A different person from the classifier reviews a proposed classification."""
    return strategy.status == "proposed" and strategy.classifier_id != user.id


register_object_rules({"review_strategy": _review_strategy})
