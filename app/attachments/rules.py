"""Who may see, add, replace and remove materials (registered with ``can``). Each rule
asks the object the material belongs to (``owners``): a material is visible exactly
when its object is, and can change while its object takes changes."""

from app.attachments import owners
from app.permissions import is_staff, register_object_rules


def _owner(attachment, owner):
    return owner if owner is not None else owners.load(attachment.owner_type, attachment.owner_id)


def _view(user, attachment, owner=None) -> bool:
    obj = _owner(attachment, owner)
    return attachment.deleted_at is None and obj is not None and owners.of(obj).may_see(user, obj)


def _changeable(user, attachment, owner=None) -> bool:
    obj = _owner(attachment, owner)
    return _view(user, attachment, obj) and owners.of(obj).may_attach(user, obj)


def _attach(user, obj) -> bool:
    rules = owners.of(obj)
    return rules.may_see(user, obj) and rules.may_attach(user, obj)


def _remove(user, attachment, owner=None) -> bool:
    """By the person who uploaded it, or by a facilitator."""
    return (attachment.created_by_id == user.id or is_staff(user)) and _changeable(
        user, attachment, owner
    )


register_object_rules(
    {
        "view_attachment": _view,
        "attach": _attach,
        "replace_attachment": _changeable,
        "remove_attachment": _remove,
    }
)
