"""Whether a request for someone's action is still open, asked when a list is read.

A notification such as "you were invited to co-author" records that something was
asked of a person at one moment. By the time the digest goes out or the dashboard is
opened, the person may have answered, the amendment may be decided, the meeting held.
So "needs your action" is never read from the notification row: the feature that owns
the object registers, for each kind of request, a rule that looks at the object's
current state, and every list asks the rules before it shows a request.

A rule takes a batch of requests of its kind and returns those still open, with one
query for the whole batch, so a digest run or a page costs the same whatever the
number of requests."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Request:
    """One thing asked of one person: about ``target_id``, with the notification's
    ``detail`` (its data, e.g. the amendment's id)."""

    key: Any
    user_id: int
    target_id: int
    detail: dict

    def get(self, name: str):
        return (self.detail or {}).get(name)


#: Takes the requests of one kind and returns the keys of those still open.
Rule = Callable[[list[Request]], set]
_RULES: dict[str, Rule] = {}


def register(kind: str, rule: Rule) -> None:
    """The feature that owns the object says when a request of ``kind`` is dealt with
    (at import time)."""
    _RULES[kind] = rule


def kinds() -> frozenset[str]:
    """The notification kinds that ask the reader to do something."""
    return frozenset(_RULES)


def still_open(notifications: Iterable) -> set[int]:
    """Ids of the notifications in ``notifications`` that still ask for action now.

    Each needs ``id``, ``kind``, ``user_id``, ``target_id`` and ``data``; notifications
    of other kinds are never open."""
    by_kind: dict[str, list[Request]] = defaultdict(list)
    for n in notifications:
        if n.kind in _RULES:
            by_kind[n.kind].append(Request(n.id, n.user_id, n.target_id, n.data or {}))
    open_ids: set[int] = set()
    for kind, requests in by_kind.items():
        open_ids |= _RULES[kind](requests)
    return open_ids
