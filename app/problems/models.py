"""The subgroup, its problem areas (G01-G07), recommendation categories (R1-R5) and challenges."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Subgroup(db.Model):
    """A working subgroup of the National Urban Policy team."""

    __tablename__ = "subgroups"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier used by the seeds.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_pl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")


class ProblemArea(db.Model):
    """A problem area (płaszczyzna problemowa) such as G03."""

    __tablename__ = "problem_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("subgroups.id"))
    #: Code as in the source, ``G01`` ... ``G07``; part of stable URLs.
    code: Mapped[str] = mapped_column(String(10), unique=True)
    #: Order on pages and in exports.
    position: Mapped[int] = mapped_column(default=0)
    title_pl: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Czech, Slovak and Hungarian (seeds/translations/); empty falls back to English.
    title_cs: Mapped[str] = mapped_column(String(300), default="", server_default="")
    title_sk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    title_hu: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_hu: Mapped[str] = mapped_column(Text, default="", server_default="")

    subgroup: Mapped[Subgroup] = relationship(lazy="raise")


class RecommendationCategory(db.Model):
    """A recommendation category (płaszczyzna rekomendacji), R1-R5."""

    __tablename__ = "recommendation_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``R1`` ... ``R5``.
    code: Mapped[str] = mapped_column(String(10), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name_pl: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Czech, Slovak and Hungarian (seeds/translations/); empty falls back to English.
    name_cs: Mapped[str] = mapped_column(String(300), default="", server_default="")
    name_sk: Mapped[str] = mapped_column(String(300), default="", server_default="")
    name_hu: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_hu: Mapped[str] = mapped_column(Text, default="", server_default="")


class Challenge(db.Model):
    """A problem formulated for the urban policy under one problem area."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_area_id: Mapped[int] = mapped_column(ForeignKey("problem_areas.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: Plain text or Markdown, written by members.
    description: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The meeting where the challenge was first formulated, if any.
    origin_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Optimistic-locking counter; the edit form carries it back.
    version: Mapped[int] = mapped_column(default=1)
    #: Kept by the services, so lists never count per row.
    comment_count: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version}

    problem_area: Mapped[ProblemArea] = relationship(lazy="raise")
    author = relationship("User", lazy="raise")
    origin_meeting = relationship("Meeting", lazy="raise")
    recommendations = relationship(
        "Recommendation",
        secondary="recommendation_challenges",
        lazy="raise",
        back_populates="challenges",
        order_by="Recommendation.id",
    )
