"""Meetings a new recommendation may come from. The meetings feature sits above this
one: it registers where to find them, and the drafting form offers them."""

from collections.abc import Callable

_source: list[Callable[[], list]] = []


def register(meetings: Callable[[], list]) -> None:
    """``meetings()`` -> the meetings to offer, newest first (objects with ``id``,
    ``title`` and ``starts_at``)."""
    _source[:] = [meetings]


def meetings() -> list:
    return _source[0]() if _source else []
