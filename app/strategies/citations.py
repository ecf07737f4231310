"""What cites a strategy. The recommendations feature sits above this one: it registers
how to find the links that cite a strategy, and the strategy's page lists them."""

from collections.abc import Callable

_finders: list[Callable] = []


def register(finder: Callable) -> None:
    """``finder(strategy_id, statuses)`` -> the links citing the strategy that a reader
    who sees ``statuses`` may see (None: every status)."""
    _finders.append(finder)


def citing(strategy_id: int, statuses) -> list:
    return [link for finder in _finders for link in finder(strategy_id, statuses)]
