"""Submission packages: frozen sets of recommendations sent to a ministry, with their files."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class SubmissionPackage(db.Model):
    """What was sent to one ministry, exactly: the revisions and the files, with hashes."""

    __tablename__ = "submission_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1, 2, 3 ... across all packages ("package 3").
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: The addressee ministry (an organisation of the ministry sector).
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    cover_letter: Mapped[str] = mapped_column(Text, default="")
    #: The list filters the facilitator selected with, as query parameters.
    filters: Mapped[str] = mapped_column(String(500), default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The same filters as arguments, for building the files after sending.
    selection_args: Mapped[dict | None] = mapped_column(JSON)
    #: When the last of its files was built (they are built after sending).
    files_ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation = relationship("Organisation", lazy="raise")
    sent_by = relationship("User", lazy="raise")
    items: Mapped[list["PackageItem"]] = relationship(
        back_populates="package", lazy="raise", order_by="PackageItem.position"
    )
    files: Mapped[list["PackageFile"]] = relationship(
        back_populates="package", lazy="raise", order_by="PackageFile.format"
    )


class PackageItem(db.Model):
    """One recommendation in a package, pinned to the revision that was sent."""

    __tablename__ = "package_items"
    __table_args__ = (
        UniqueConstraint("package_id", "recommendation_id", name="uq_package_recommendation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("submission_packages.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    #: The reference as it was sent, e.g. G03/R2/5.
    reference: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(default=0)

    package: Mapped[SubmissionPackage] = relationship(back_populates="items", lazy="raise")
    recommendation = relationship("Recommendation", lazy="raise")
    revision = relationship("Revision", lazy="raise")


class PackageFile(db.Model):
    """A generated file of a package, stored as sent, with its SHA-256. The row is made
    when the package is sent and waits (no content) until a builder has made the file
    (``app.exports.package_files``)."""

    __tablename__ = "package_files"
    __table_args__ = (UniqueConstraint("package_id", "format", name="uq_package_format"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("submission_packages.id", ondelete="CASCADE"), index=True
    )
    #: docx, xlsx, json, or sha256 (the manifest of the materials' annex).
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: When the file was built; none while it waits.
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a builder took it; a claim older than the timeout is taken over.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Builds started, failed ones included.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Why the last build failed (shown on the package page); empty once built.
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")

    package: Mapped[SubmissionPackage] = relationship(back_populates="files", lazy="raise")


class PackageMaterial(db.Model):
    """One file of the package's annex: a material of one of its recommendations, as its
    current version was when the package was sent. The bytes stay in the file store
    under ``sha256``, which never changes or deletes a file."""

    __tablename__ = "package_materials"
    __table_args__ = (UniqueConstraint("package_id", "path", name="uq_package_material_path"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("submission_packages.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    attachment_file_id: Mapped[int] = mapped_column(ForeignKey("attachment_files.id"))
    #: Where it is in the annex: the recommendation's reference as a folder, then the
    #: file's name (``G03-R2-5/slajdy.pdf``).
    path: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(default=0)


class ExportJob(db.Model):
    """A file someone asked for that is too big to make while they wait (a PDF report of
    many recommendations): made in the background, then kept in the file store."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: pdf (the only format too slow for a request).
    format: Mapped[str] = mapped_column(String(10))
    #: The list filters, as the selection's arguments, and the language of the file.
    selection_args: Mapped[dict] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(2))
    #: How many recommendations it has, and how many of them are read so far.
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    #: waiting, reading, layout (pages being laid out), ready or failed.
    stage: Mapped[str] = mapped_column(String(10), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The file, in the file store under its SHA-256, once made.
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(BigInteger)


class PackageNote(db.Model):
    """A message in a package's reviewers' thread: ministry reviewers and facilitators."""

    __tablename__ = "package_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(
        ForeignKey("submission_packages.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Markdown, sanitised when shown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="raise")
