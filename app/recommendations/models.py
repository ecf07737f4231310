"""Recommendations and what grows around them: authors, revisions, amendments,
comments, supports, status changes."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
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


class AuthorState(enum.StrEnum):
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class AmendmentState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Stance(enum.StrEnum):
    FOR = "for"
    AGAINST = "against"
    NEUTRAL = "neutral"


STATUSES = tuple(s.value for s in Status)
STANCES = tuple(s.value for s in Stance)

#: The text fields a revision snapshots and an amendment may change.
TEXT_FIELDS = ("title", "summary", "body", "addressee", "expected_impact")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


recommendation_challenges = Table(
    "recommendation_challenges",
    db.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
)

#: Who a comment mentions, found when it is saved: its @names become links to them.
comment_mentions = Table(
    "comment_mentions",
    db.metadata,
    Column("comment_id", ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

#: Problem areas a recommendation also concerns, besides its primary one.
recommendation_secondary_areas = Table(
    "recommendation_secondary_areas",
    db.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("problem_area_id", ForeignKey("problem_areas.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(db.Model):
    """A recommendation answering one or more challenges, in one category."""

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint(
            "status != 'merged' OR merged_into_id IS NOT NULL", name="merged_has_target"
        ),
        CheckConstraint(
            "merged_into_id IS NULL OR merged_into_id != id", name="not_merged_into_self"
        ),
        # The number is stable within its area and category: G03/R2/5.
        UniqueConstraint(
            "problem_area_id", "category_id", "number", name="uq_recommendation_number"
        ),
        # The list's default order (newest change first) without sorting the table.
        Index("ix_recommendations_updated", "updated_at", "id"),
        # The coverage matrix counts from the index alone.
        Index(
            "ix_recommendations_area_category_status", "problem_area_id", "category_id", "status"
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
    #: Optimistic-locking counter; the edit form carries it back.
    version: Mapped[int] = mapped_column(default=1)
    #: Set when the status is ``merged``: the recommendation it went into.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    origin_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Denormalised counts, kept by the services, so lists never count per row.
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)

    __mapper_args__ = {"version_id_col": version}

    problem_area = relationship("ProblemArea", lazy="raise")
    category = relationship("RecommendationCategory", lazy="raise")
    created_by = relationship("User", lazy="raise")
    origin_meeting = relationship("Meeting", lazy="raise")
    merged_into = relationship("Recommendation", remote_side=[id], lazy="raise")
    challenges = relationship(
        "Challenge",
        secondary=recommendation_challenges,
        lazy="raise",
        back_populates="recommendations",
        order_by="Challenge.id",
    )
    secondary_areas = relationship(
        "ProblemArea",
        secondary=recommendation_secondary_areas,
        lazy="raise",
        order_by="ProblemArea.position",
    )
    authors: Mapped[list["RecommendationAuthor"]] = relationship(
        back_populates="recommendation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RecommendationAuthor.id",
    )

    @property
    def reference(self) -> str:
        """The stable number shown everywhere, e.g. ``G03/R2/5``.

        Needs the problem area and category loaded."""
        return f"{self.problem_area.code}/{self.category.code}/{self.number}"

    def text_snapshot(self) -> dict[str, str]:
        return {field: getattr(self, field) or "" for field in TEXT_FIELDS}


class RecommendationAuthor(db.Model):
    """An author of a recommendation: the creator, or a co-author who accepted."""

    __tablename__ = "recommendation_authors"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "user_id", name="uq_recommendation_author"),
        CheckConstraint(_in("state", [s.value for s in AuthorState]), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: invited, accepted or declined.
    state: Mapped[str] = mapped_column(String(10), default=AuthorState.INVITED.value)
    #: Who invited this co-author (empty for the creator).
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recommendation: Mapped[Recommendation] = relationship(back_populates="authors", lazy="raise")
    user = relationship("User", foreign_keys=[user_id], lazy="raise")
    invited_by = relationship("User", foreign_keys=[invited_by_id], lazy="raise")


class Revision(db.Model):
    """A full snapshot of a recommendation's text, stored on every save."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("recommendation_id", "number", name="uq_revision_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    #: 1, 2, 3 ... within the recommendation.
    number: Mapped[int]
    #: The recommendation's version right after this save (to find what an editor started from).
    recommendation_version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    addressee: Mapped[str] = mapped_column(String(300), default="")
    expected_impact: Mapped[str] = mapped_column(Text, default="")
    #: Who saved it.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The editor's note on what changed and why.
    note: Mapped[str] = mapped_column(Text, default="")
    #: Or a note Warsztat wrote, as a code worded for each reader (``app.system_notes``).
    note_code: Mapped[str | None] = mapped_column(String(40))
    note_params: Mapped[dict | None] = mapped_column(JSON, default=dict)
    #: Set when the revision came from an accepted amendment: the amender, credited.
    amended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", foreign_keys=[author_id], lazy="raise")
    amended_by = relationship("User", foreign_keys=[amended_by_id], lazy="raise")

    def text_snapshot(self) -> dict[str, str]:
        return {field: getattr(self, field) or "" for field in TEXT_FIELDS}


class Amendment(db.Model):
    """A change proposed by someone who is not an author; the authors decide."""

    __tablename__ = "amendments"
    __table_args__ = (
        CheckConstraint(_in("state", [s.value for s in AmendmentState]), name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The revision the amendment was written against (its diff is shown against it).
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    addressee: Mapped[str] = mapped_column(String(300), default="")
    expected_impact: Mapped[str] = mapped_column(Text, default="")
    #: The amender's justification.
    justification: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default=AmendmentState.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the authors rejected it.
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The revision an accepted amendment became.
    resulting_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", foreign_keys=[author_id], lazy="raise")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="raise")
    base_revision = relationship("Revision", foreign_keys=[base_revision_id], lazy="raise")
    recommendation = relationship("Recommendation", lazy="raise")

    def text_snapshot(self) -> dict[str, str]:
        return {field: getattr(self, field) or "" for field in TEXT_FIELDS}


class Comment(db.Model):
    """A comment in the discussion of a recommendation or a challenge; threaded."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("(recommendation_id IS NULL) != (challenge_id IS NULL)", name="one_target"),
        CheckConstraint(f"stance IS NULL OR {_in('stance', STANCES)}", name="stance_known"),
        Index("ix_comments_recommendation_created", "recommendation_id", "created_at"),
        Index("ix_comments_challenge_created", "challenge_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE")
    )
    challenge_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE")
    )
    #: The comment this one answers; replies stay in their parent's discussion.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Markdown as written; emptied on deletion.
    body: Mapped[str] = mapped_column(Text, default="")
    #: ``body`` as sanitised HTML with its mentions linked, made when it is saved so a
    #: long thread is not parsed again on every view; none for rows written before.
    body_html: Mapped[str | None] = mapped_column(Text)
    #: The ``app.text.RENDER_VERSION`` that made ``body_html``; another one is rendered
    #: again when shown (and rewritten by ``flask comments render``).
    html_version: Mapped[int | None] = mapped_column(SmallInteger)
    #: for / against / neutral, or none.
    stance: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Soft delete: the row stays so replies keep their place in the thread.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author = relationship("User", lazy="raise")
    parent = relationship("Comment", remote_side=[id], lazy="raise")
    mentioned = relationship("User", secondary=comment_mentions, lazy="raise", viewonly=True)


class Support(db.Model):
    """One member's support for a recommendation."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("recommendation_id", "user_id", name="uq_support"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="raise")


class StatusChange(db.Model):
    """One step of the workflow, for the timeline: who moved it, when, why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Why, in the actor's words; or a note Warsztat wrote, as a code worded for each
    #: reader (``app.system_notes``).
    note: Mapped[str] = mapped_column(Text, default="")
    note_code: Mapped[str | None] = mapped_column(String(40))
    note_params: Mapped[dict | None] = mapped_column(JSON, default=dict)
    #: For a merge: the recommendation it went into.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    #: The meeting where it was decided, if any.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="raise")


class Verdict(enum.StrEnum):
    ACCEPTED = "accepted"
    UNDER_ANALYSIS = "under_analysis"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"


VERDICTS = tuple(v.value for v in Verdict)


class MinistryAnswer(db.Model):
    """A ministry's official answer to a recommendation.

    Reviewers stage an answer (``staged_*``) and publish their staged answers together;
    members only ever see the published values. Editing a published answer stages a
    new text, which replaces the published one at the next publication."""

    __tablename__ = "ministry_answers"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "organisation_id", name="uq_answer_per_ministry"),
        CheckConstraint(
            f"staged_verdict IS NULL OR {_in('staged_verdict', VERDICTS)}", name="staged_known"
        ),
        CheckConstraint(f"verdict IS NULL OR {_in('verdict', VERDICTS)}", name="verdict_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    #: The answering ministry.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    #: The package that asked (the answer is staged from its page).
    package_id: Mapped[int | None] = mapped_column(ForeignKey("submission_packages.id"))
    #: Waiting for publication; empty when nothing is staged.
    staged_verdict: Mapped[str | None] = mapped_column(String(20))
    staged_reasoning: Mapped[str] = mapped_column(Text, default="")
    staged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    staged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What everyone sees; empty until the first publication.
    verdict: Mapped[str | None] = mapped_column(String(20))
    reasoning: Mapped[str] = mapped_column(Text, default="")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Optimistic locking: two reviewers staging at once never overwrite each other silently.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    organisation = relationship("Organisation", lazy="raise")
    staged_by = relationship("User", foreign_keys=[staged_by_id], lazy="raise")
    published_by = relationship("User", foreign_keys=[published_by_id], lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_staged(self) -> bool:
        return self.staged_verdict is not None
