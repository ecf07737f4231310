"""Submission packages: send agreed recommendations to a ministry, frozen, with hashed files."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import audit, events, system_notes
from app.auth.models import Organisation, User
from app.database import next_number
from app.exports import package_files, package_materials, records
from app.exports.models import PackageFile, PackageItem, PackageNote, SubmissionPackage
from app.exports.selection import Selection
from app.extensions import db
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.models import TEXT_FIELDS, Recommendation, Revision, StatusChange
from app.text import diff_fields


class PackageError(Exception):
    """A package that cannot be sent as asked; the message is for the person."""


#: Notes Warsztat writes on a recommendation it sends, worded for each reader.
SENT_IN_PACKAGE = "status.sent_in_package"
TEXT_AS_SENT = "revision.sent_in_package"
system_notes.register(
    SENT_IN_PACKAGE, lambda number="": _("Sent in package %(number)s.", number=number)
)
system_notes.register(
    TEXT_AS_SENT, lambda number="": _("Text as sent in package %(number)s.", number=number)
)


def ministries() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.sector_code == "ministry")
            .order_by(Organisation.name)
        )
    )


def send(
    actor: User,
    selection: Selection,
    *,
    organisation: Organisation,
    title: str,
    cover_letter: str,
    include_materials: bool = True,
) -> SubmissionPackage:
    """Freeze the agreed recommendations the selection matches and send them, in one go;
    with ``include_materials``, their materials as the package's annex."""
    if organisation.sector_code != "ministry":
        raise PackageError(_("A package is addressed to a ministry."))
    if selection.filters.status not in (None, "agreed"):
        raise PackageError(_("Only agreed recommendations can be sent."))
    selection.filters.status = "agreed"
    ids = records.ordered_ids(selection.query())
    if not ids:
        raise PackageError(
            _("No agreed recommendation matches these filters: there is nothing to send.")
        )
    package = _numbered_package(
        title=title.strip(),
        organisation_id=organisation.id,
        cover_letter=cover_letter.strip(),
        filters="&".join(f"{k}={v}" for k, v in selection.as_args().items()),
        selection_args=selection.as_args(),
        sent_by_id=actor.id,
    )
    number = package.number

    # Claim the recommendations: only rows still agreed move, so two facilitators sending
    # at once cannot both send the same recommendation.
    moved = db.session.execute(
        update(Recommendation)
        .where(Recommendation.id.in_(ids), Recommendation.status == "agreed")
        .values(status="submitted", version=Recommendation.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire_all()  # recommendations already loaded must read "submitted" now
    if moved != len(ids):
        db.session.rollback()
        raise PackageError(
            _(
                "Some of these recommendations changed status in the meantime. "
                "Reload the page and check the selection."
            )
        )
    latest = _latest_revisions(ids)
    missing = [rec_id for rec_id in ids if rec_id not in latest]
    if missing:
        latest.update(_snapshot(missing, actor, number))
    refs = {
        rec_id: f"{area}/{category}/{number}"
        for rec_id, area, category, number in db.session.execute(
            select(
                Recommendation.id,
                ProblemArea.code,
                RecommendationCategory.code,
                Recommendation.number,
            )
            .join(ProblemArea, ProblemArea.id == Recommendation.problem_area_id)
            .join(RecommendationCategory, RecommendationCategory.id == Recommendation.category_id)
            .where(Recommendation.id.in_(ids))
        )
    }
    for position, rec_id in enumerate(ids):
        db.session.add(
            PackageItem(
                package_id=package.id,
                recommendation_id=rec_id,
                revision_id=latest[rec_id],
                reference=refs[rec_id],
                position=position,
            )
        )
        db.session.add(
            StatusChange(
                recommendation_id=rec_id,
                from_status="agreed",
                to_status="submitted",
                actor_id=actor.id,
                note_code=SENT_IN_PACKAGE,
                note_params={"number": number},
            )
        )
    db.session.flush()
    annexed = (
        package_materials.freeze(package.id, {rec_id: refs[rec_id] for rec_id in ids})
        if include_materials
        else 0
    )

    # The files are built after the commit (package_files): only their rows are made here.
    db.session.add_all(package_files.waiting_files(package, with_manifest=annexed > 0))
    audit.record(
        actor,
        "package.sent",
        package,
        ministry=organisation.id,
        filters=selection.as_args(),
        count=len(ids),
        materials=annexed,
    )
    events.package_sent.send(package, actor=actor, recommendation_ids=ids)
    db.session.commit()
    package_files.start_building(package.id)
    return package


def _numbered_package(**fields) -> SubmissionPackage:
    """A new package with the next number; two sent at the same moment each get their own
    (the unique number decides, and the loser takes the next one)."""
    for _attempt in range(5):
        number = next_number(SubmissionPackage.number)
        package = SubmissionPackage(number=number, **fields)
        try:
            with db.session.begin_nested():
                db.session.add(package)
                db.session.flush()
        except IntegrityError:
            continue
        return package
    raise PackageError(_("Several packages are being sent at this moment. Send again."))


def _snapshot(ids: list[int], actor: User, number: int) -> dict[int, int]:
    """Revisions for recommendations that never had one (imported or generated data), so
    that every package item points at a frozen text."""
    made = {}
    for rec in db.session.scalars(select(Recommendation).where(Recommendation.id.in_(ids))):
        revision = Revision(
            recommendation_id=rec.id,
            number=1,
            recommendation_version=rec.version,
            author_id=actor.id,
            note_code=TEXT_AS_SENT,
            note_params={"number": number},
            **rec.text_snapshot(),
        )
        db.session.add(revision)
        db.session.flush()
        made[rec.id] = revision.id
    return made


def _latest_revisions(ids: list[int]) -> dict[int, int]:
    newest = (
        select(Revision.recommendation_id, func.max(Revision.number).label("number"))
        .where(Revision.recommendation_id.in_(ids))
        .group_by(Revision.recommendation_id)
        .subquery()
    )
    return dict(
        db.session.execute(
            select(Revision.recommendation_id, Revision.id).join(
                newest,
                (Revision.recommendation_id == newest.c.recommendation_id)
                & (Revision.number == newest.c.number),
            )
        ).all()
    )


# --- reading ---------------------------------------------------------------------------------


def visible_packages(user) -> list[SubmissionPackage]:
    """Newest first; a reviewer sees only those addressed to their ministry."""
    query = (
        select(SubmissionPackage)
        .options(joinedload(SubmissionPackage.organisation), joinedload(SubmissionPackage.sent_by))
        .order_by(SubmissionPackage.number.desc())
    )
    if user.role == "reviewer":
        query = query.where(SubmissionPackage.organisation_id == (user.organisation_id or -1))
    return list(db.session.scalars(query))


def item_counts(package_ids) -> dict[int, int]:
    return dict(
        db.session.execute(
            select(PackageItem.package_id, func.count())
            .where(PackageItem.package_id.in_(list(package_ids)))
            .group_by(PackageItem.package_id)
        ).all()
    )


def package_for_page(package_id: int) -> SubmissionPackage | None:
    return db.session.scalar(
        select(SubmissionPackage)
        .where(SubmissionPackage.id == package_id)
        .options(
            joinedload(SubmissionPackage.organisation),
            joinedload(SubmissionPackage.sent_by),
            selectinload(SubmissionPackage.items).options(
                joinedload(PackageItem.revision),
                joinedload(PackageItem.recommendation),
            ),
            selectinload(SubmissionPackage.files).defer(PackageFile.content),
        )
    )


def package_file(package_id: int, fmt: str) -> PackageFile | None:
    return db.session.scalar(
        select(PackageFile).where(PackageFile.package_id == package_id, PackageFile.format == fmt)
    )


def notes_of(package_id: int) -> list[PackageNote]:
    return list(
        db.session.scalars(
            select(PackageNote)
            .where(PackageNote.package_id == package_id)
            .options(joinedload(PackageNote.author))
            .order_by(PackageNote.created_at, PackageNote.id)
        )
    )


def add_note(package: SubmissionPackage, actor: User, body: str) -> PackageNote:
    body = body.strip()
    if not body:
        raise PackageError(_("Write a message first."))
    note = PackageNote(package_id=package.id, author_id=actor.id, body=body)
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "package.note_added", note, package=package.id)
    writers = list(
        db.session.scalars(
            select(PackageNote.author_id).where(PackageNote.package_id == package.id).distinct()
        )
    )
    events.package_note_added.send(note, actor=actor, package=package, writer_ids=writers)
    db.session.commit()
    return note


@dataclass
class Change:
    item: PackageItem
    #: The newest revision now (None: unchanged since sending).
    current: Revision
    diffs: list


def changes_since(
    package: SubmissionPackage, labels: list[tuple[str, str]], statuses
) -> tuple[list[Change], int]:
    """Every recommendation of the package whose text was saved again after sending, and
    how many of them are withheld from this reader: a reviewer does not read texts that
    went back to discussion until they are agreed again."""
    items = package.items
    latest = _latest_revisions([i.recommendation_id for i in items])
    changed = {
        i.recommendation_id for i in items if latest.get(i.recommendation_id) != i.revision_id
    }
    withheld = 0
    if statuses is not None:
        hidden = {
            i.recommendation_id
            for i in items
            if i.recommendation_id in changed and i.recommendation.status not in statuses
        }
        withheld = len(hidden)
        changed -= hidden
    current = {
        r.id: r
        for r in db.session.scalars(
            select(Revision).where(Revision.id.in_([latest[rid] for rid in changed]))
        )
    }
    fields = [pair for pair in labels if pair[0] in TEXT_FIELDS]
    result = []
    for item in items:
        if item.recommendation_id not in changed:
            continue
        now = current[latest[item.recommendation_id]]
        diffs = diff_fields(item.revision.text_snapshot(), now.text_snapshot(), fields)
        result.append(Change(item=item, current=now, diffs=[d for d in diffs if d.changed]))
    return result, withheld


def latest_package_of(rec_ids) -> dict[int, int]:
    """For each recommendation, the newest package that holds it (answers belong there)."""
    rec_ids = list(rec_ids)
    if not rec_ids:
        return {}
    return dict(
        db.session.execute(
            select(PackageItem.recommendation_id, func.max(PackageItem.package_id))
            .where(PackageItem.recommendation_id.in_(rec_ids))
            .group_by(PackageItem.recommendation_id)
        ).all()
    )


@dataclass
class Inbox:
    """The dashboard's review box: a reviewer's packages waiting for answers, or the
    facilitators' agreed recommendations not yet sent."""

    #: (package, recommendations still waiting for an answer), newest first.
    waiting: list[tuple[SubmissionPackage, int]]
    #: Agreed and never sent (facilitators only).
    unsent: int


def inbox(user) -> Inbox | None:
    if user.role == "reviewer":
        if user.organisation_id is None:
            return Inbox(waiting=[], unsent=0)
        counts = dict(
            db.session.execute(
                select(PackageItem.package_id, func.count())
                .join(SubmissionPackage, SubmissionPackage.id == PackageItem.package_id)
                .join(Recommendation, Recommendation.id == PackageItem.recommendation_id)
                .where(
                    SubmissionPackage.organisation_id == user.organisation_id,
                    Recommendation.status == "submitted",
                )
                .group_by(PackageItem.package_id)
            ).all()
        )
        waiting = db.session.scalars(
            select(SubmissionPackage)
            .where(SubmissionPackage.id.in_(list(counts)))
            .order_by(SubmissionPackage.number.desc())
            .limit(5)
        )
        return Inbox(waiting=[(p, counts[p.id]) for p in waiting], unsent=0)
    if user.role in ("facilitator", "admin"):
        unsent = db.session.scalar(
            select(func.count(Recommendation.id)).where(Recommendation.status == "agreed")
        )
        return Inbox(waiting=[], unsent=unsent or 0)
    return None
