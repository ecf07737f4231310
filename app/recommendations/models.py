"""Recommendations: what the subgroup proposes to the ministry."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Status(enum.StrEnum):
    DRAFT = "draft"
    DISCUSSION = "discussion"
    AGREED = "agreed"
    SUBMITTED = "submitted"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


STATUSES = tuple(s.value for s in Status)

recommendation_challenges = Table(
    "recommendation_challenges",
    db.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(db.Model):
    """A recommendation answering one or more challenges, in one category."""

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(repr(s) for s in STATUSES) + ")", name="status_known"
        ),
        # The number is stable within its area and category: G03/R2/5.
        UniqueConstraint(
            "problem_area_id", "category_id", "number", name="uq_recommendation_number"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Primary problem area.
    problem_area_id: Mapped[int] = mapped_column(ForeignKey("problem_areas.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("recommendation_categories.id"), index=True)
    #: Sequence within (area, category); never reused.
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    #: One or two sentences shown in lists.
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Markdown; rendered through the sanitiser only.
    body: Mapped[str] = mapped_column(Text, default="")
    #: The institution expected to act.
    addressee: Mapped[str] = mapped_column(String(300), default="")
    expected_impact: Mapped[str] = mapped_column(Text, default="")
    #: One of ``Status``.
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value, index=True)
    #: Optimistic-locking counter.
    version: Mapped[int] = mapped_column(default=1)
    origin_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    problem_area = relationship("ProblemArea", lazy="raise")
    category = relationship("RecommendationCategory", lazy="raise")
    created_by = relationship("User", lazy="raise")
    challenges = relationship("Challenge", secondary=recommendation_challenges, lazy="raise")

    @property
    def reference(self) -> str:
        """The stable number shown everywhere, e.g. ``G03/R2/5``.

        Needs the problem area and category loaded."""
        return f"{self.problem_area.code}/{self.category.code}/{self.number}"
