"""A package's annex: the materials of its recommendations, frozen when it is sent.

Sending records, for each recommendation, the current version of each of its materials
(``PackageMaterial``); the files themselves stay in the file store, which never changes
or deletes a file, so the annex reads later exactly what was sent. A manifest in the
format of ``sha256sum`` (one line a file: its SHA-256, two spaces, its path) is built
with the package's other files and kept with its own SHA-256; the reviewer downloads the
whole annex as one ZIP, streamed from the store a chunk at a time, with the manifest
inside, and can check every file against it (``sha256sum -c SHA256SUMS``)."""

import zipfile
from collections.abc import Iterator

from sqlalchemy import select

from app import filestore
from app.attachments.models import Attachment, AttachmentFile
from app.exports.models import PackageMaterial, SubmissionPackage
from app.extensions import db

#: The format name of the manifest among the package's files.
MANIFEST_FORMAT = "sha256"
MANIFEST_NAME = "SHA256SUMS"
CHUNK = 1024 * 1024


def freeze(package_id: int, references: dict[int, str]) -> int:
    """Record the current files of the materials of these recommendations (id ->
    reference) in the package's annex; how many. The caller commits."""
    rows = db.session.execute(
        select(
            AttachmentFile.id,
            AttachmentFile.sha256,
            AttachmentFile.size,
            AttachmentFile.filename,
            Attachment.owner_id,
            Attachment.title,
        )
        .join(Attachment, Attachment.id == AttachmentFile.attachment_id)
        .where(
            Attachment.owner_type == "recommendation",
            Attachment.owner_id.in_(references),
            Attachment.deleted_at.is_(None),
            AttachmentFile.number == Attachment.current_number,
        )
        .order_by(Attachment.owner_id, Attachment.id)
    ).all()
    order = {rec_id: position for position, rec_id in enumerate(references)}
    rows.sort(key=lambda row: order[row.owner_id])
    taken: set[str] = set()
    for position, row in enumerate(rows):
        folder = references[row.owner_id].replace("/", "-")
        path = _unique(f"{folder}/{row.filename}", taken)
        db.session.add(
            PackageMaterial(
                package_id=package_id,
                recommendation_id=row.owner_id,
                attachment_file_id=row.id,
                path=path,
                title=row.title,
                sha256=row.sha256,
                size=row.size,
                position=position,
            )
        )
    return len(rows)


def _unique(path: str, taken: set[str]) -> str:
    """``path``, or ``name (2).ext`` ... when two materials of one recommendation share
    a file name."""
    candidate, n = path, 1
    stem, dot, extension = path.rpartition(".")
    while candidate in taken:
        n += 1
        candidate = f"{stem} ({n}).{extension}" if dot else f"{path} ({n})"
    taken.add(candidate)
    return candidate


def materials_of(package_id: int) -> list[PackageMaterial]:
    return list(
        db.session.scalars(
            select(PackageMaterial)
            .where(PackageMaterial.package_id == package_id)
            .order_by(PackageMaterial.position)
        )
    )


def manifest(package_id: int) -> bytes:
    """The annex's manifest, as ``sha256sum`` writes and checks it."""
    return "".join(f"{m.sha256}  {m.path}\n" for m in materials_of(package_id)).encode("utf-8")


class _Collected:
    """A write-only, unseekable file that hands on what was written (zipfile then
    writes each entry's sizes after its data, as streaming needs)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def zip_chunks(package: SubmissionPackage) -> Iterator[bytes]:
    """The annex as a ZIP, a chunk at a time: the files as sent, and the manifest. The
    entries carry the package's moment, so the same package gives the same bytes."""
    store = filestore.store()
    moment = package.sent_at.timetuple()[:6]
    materials = materials_of(package.id)
    sink = _Collected()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for material in materials:
            entry = zipfile.ZipInfo(material.path, date_time=moment)
            entry.file_size = material.size
            with store.open(material.sha256) as source, archive.open(entry, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield sink.take()
        archive.writestr(zipfile.ZipInfo(MANIFEST_NAME, date_time=moment), manifest(package.id))
    yield sink.take()
