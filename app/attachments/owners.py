"""What materials can be attached to. Each feature that owns such objects registers
them here when its ``rules`` module is imported (meetings and agenda items,
recommendations, challenges, strategies), saying who sees them and who may add to them;
materials then follow their object: visible exactly when it is."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.extensions import db


@dataclass(frozen=True)
class Owner:
    """A kind of object that takes materials."""

    #: The name in URLs and in ``Attachment.owner_type``.
    kind: str
    model: type
    #: Whether ``user`` sees the object and so its materials.
    may_see: Callable[[Any, Any], bool]
    #: Whether ``user`` may attach to it, replace its files and (their own, or as
    #: staff) remove them; False once the object is frozen (a submitted recommendation).
    may_attach: Callable[[Any, Any], bool]
    #: The page that shows the object's materials.
    page: Callable[[Any], str]
    #: The object's name, for headings.
    name: Callable[[Any], str]
    #: Refreshes the object's search document (by id) after its materials' text
    #: changed; the caller commits. None: the object is not searched by its materials.
    reindex: Callable[[int], None] | None = None


_OWNERS: dict[str, Owner] = {}


def register(owner: Owner) -> None:
    _OWNERS[owner.kind] = owner


def find(kind: str) -> Owner | None:
    return _OWNERS.get(kind)


def of(obj) -> Owner:
    """The registered owner kind of ``obj``."""
    for owner in _OWNERS.values():
        if isinstance(obj, owner.model):
            return owner
    raise KeyError(f"{type(obj).__name__} takes no materials: register it in attachments.owners")


def load(kind: str, owner_id: int):
    """The object, or None when there is no such kind or object."""
    owner = _OWNERS.get(kind)
    return db.session.get(owner.model, owner_id) if owner else None


def kinds() -> tuple[str, ...]:
    return tuple(_OWNERS)
