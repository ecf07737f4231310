"""The materials section as the pages of other features include it: one object's
materials with the form to add more (``templates/attachments/_section.html``)."""

from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from app.attachments import owners, queries
from app.attachments.forms import UploadForm


@dataclass
class Section:
    """The materials of one object, for ``attachments/_section.html``."""

    kind: str
    obj: Any
    materials: list[queries.Material]
    #: The upload form: empty, or as posted when it was refused.
    form: UploadForm

    @property
    def anchor(self) -> str:
        return anchor(self.kind, self.obj.id)

    @property
    def name(self) -> str:
        return owners.of(self.obj).name(self.obj)


def anchor(kind: str, owner_id: int) -> str:
    """The section's id on its page (also its form's prefix, so that several sections
    on one page have fields of their own)."""
    return f"materials-{kind}-{owner_id}"


def upload_form(kind: str, owner_id: int, **kwargs) -> UploadForm:
    return UploadForm(prefix=anchor(kind, owner_id), **kwargs)


def section(obj, form: UploadForm | None = None) -> Section:
    kind = owners.of(obj).kind
    materials = queries.by_owner(kind, [obj.id])[obj.id]
    return Section(kind, obj, materials, form or upload_form(kind, obj.id, formdata=None))


def shown(obj) -> Section | None:
    """The section for the current user's page, or None when they may not see the
    object's materials (a draft's, for someone who is not its author)."""
    return section(obj) if owners.of(obj).may_see(current_user, obj) else None


def sections(objects) -> dict[int, Section]:
    """Sections for several objects of one kind, by id, in two statements."""
    objects = list(objects)
    if not objects:
        return {}
    kind = owners.of(objects[0]).kind
    materials = queries.by_owner(kind, [obj.id for obj in objects])
    return {
        obj.id: Section(kind, obj, materials[obj.id], upload_form(kind, obj.id, formdata=None))
        for obj in objects
    }
