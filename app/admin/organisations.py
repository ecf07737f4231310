"""Partners run their own records: organisations (name in the original language,
English name, country, sector, website) are added, corrected, merged and, when nothing
refers to them, deleted. One function, one transaction; each change is audited."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Column, UniqueConstraint, and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit
from app.auth.models import Organisation, Sector
from app.auth.services import organisation_like
from app.extensions import db


def references() -> list[Column]:
    """Every column of the schema that refers to an organisation (what a merge moves and
    what stops a delete), read from the tables' foreign keys: a feature that adds one is
    covered without this module knowing it."""
    return sorted(
        (
            key.parent
            for table in db.metadata.tables.values()
            for key in table.foreign_keys
            if key.column.table.name == Organisation.__tablename__
        ),
        key=lambda column: (column.table.name, column.name),
    )


def _unique_partners(column: Column) -> list[tuple[Column, ...]]:
    """For each unique constraint that holds ``column``, its other columns: two rows
    that differ only in the organisation would collide after a merge."""
    return [
        tuple(c for c in constraint.columns if c is not column)
        for constraint in column.table.constraints
        if isinstance(constraint, UniqueConstraint) and constraint.columns.contains_column(column)
    ]


class OrganisationError(Exception):
    """A change to the list of organisations that cannot be made; the message says why."""


@dataclass
class OrganisationFields:
    name: str
    sector_code: str
    name_en: str = ""
    short_name: str = ""
    country: str = ""
    website: str = ""


def _clean(fields: OrganisationFields) -> dict:
    return {
        "name": " ".join(fields.name.split()),
        "sector_code": fields.sector_code,
        "name_en": " ".join(fields.name_en.split()) or None,
        "short_name": fields.short_name.strip() or None,
        "country": fields.country or None,
        "website": fields.website.strip() or None,
    }


def _check(values: dict, keep: Organisation | None = None) -> None:
    if db.session.get(Sector, values["sector_code"]) is None:
        raise OrganisationError(_("Choose the organisation's sector."))
    other = organisation_like(values["name"])
    if other is not None and other is not keep:
        raise OrganisationError(
            _("An organisation of this name is already on the list: %(name)s.", name=other.name)
        )


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise OrganisationError(_("An organisation of this name is already on the list.")) from None


def create_organisation(actor, fields: OrganisationFields) -> Organisation:
    values = _clean(fields)
    _check(values)
    organisation = Organisation(**values)
    db.session.add(organisation)
    _flush()
    audit.record(actor, "organisation.created", organisation, name=organisation.name)
    db.session.commit()
    return organisation


def update_organisation(organisation: Organisation, actor, fields: OrganisationFields) -> None:
    values = _clean(fields)
    _check(values, keep=organisation)
    changed = {key: value for key, value in values.items() if getattr(organisation, key) != value}
    if not changed:
        return
    for key, value in changed.items():
        setattr(organisation, key, value)
    _flush()
    audit.record(actor, "organisation.updated", organisation, fields=sorted(changed))
    db.session.commit()


def uses_of(organisation_id: int) -> dict[str, int]:
    """How many rows of each table refer to the organisation (tables with none left out)."""
    uses: dict[str, int] = {}
    for column in references():
        query = select(func.count()).select_from(column.table).where(column == organisation_id)
        n = db.session.scalar(query)
        if n:
            uses[column.table.name] = uses.get(column.table.name, 0) + n
    return uses


def delete_organisation(organisation: Organisation, actor) -> None:
    """Only an organisation nothing refers to; one still in use is merged instead."""
    if uses_of(organisation.id):
        raise OrganisationError(
            _(
                "%(name)s is still referred to (people, packages, speakers or answers): "
                "merge it into another organisation instead.",
                name=organisation.name,
            )
        )
    audit.record(actor, "organisation.deleted", organisation, name=organisation.name)
    db.session.delete(organisation)
    db.session.commit()


def merge_organisations(source: Organisation, target: Organisation, actor) -> None:
    """Everything that refers to ``source`` refers to ``target`` from now on, and
    ``source`` goes. Refused when both answered the same recommendation (each ministry
    has one answer per recommendation, and neither may be lost)."""
    if source.id == target.id:
        raise OrganisationError(_("Choose another organisation to merge into."))
    clashes = sum(_clashes(column, source.id, target.id) for column in references())
    if clashes:
        raise OrganisationError(
            _(
                "Both organisations answered the same recommendation (%(n)s times); "
                "they cannot be merged without losing an official answer.",
                n=clashes,
            )
        )
    moved = uses_of(source.id)
    for column in references():
        db.session.execute(
            update(column.table).where(column == source.id).values({column.name: target.id})
        )
    audit.record(
        actor,
        "organisation.merged",
        target,
        merged=source.name,
        moved=sum(moved.values()),
    )
    db.session.delete(source)
    db.session.commit()


def _clashes(column: Column, source_id: int, target_id: int) -> int:
    """Rows of ``source`` that a row of ``target`` would collide with after the merge
    (today: one official answer per ministry and recommendation)."""
    total = 0
    for others in _unique_partners(column):
        table = column.table
        twin = table.alias("twin")
        same = and_(*(twin.c[c.name] == c for c in others), twin.c[column.name] == target_id)
        query = (
            select(func.count())
            .select_from(table)
            .where(column == source_id, exists(select(1).select_from(twin).where(same)))
        )
        total += db.session.scalar(query)
    return total
