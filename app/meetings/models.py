"""Meetings of the subgroup: agenda items and participants."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class MeetingMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    CANCELLED = "cancelled"


class AgendaKind(enum.StrEnum):
    EXPERT_TALK = "expert_talk"
    PRESENTATION = "presentation"
    DISCUSSION = "discussion"
    DECISION = "decision"
    BREAK = "break"


class ParticipantRole(enum.StrEnum):
    FACILITATOR = "facilitator"
    SPEAKER = "speaker"
    PARTICIPANT = "participant"
    OBSERVER = "observer"


class InvitationAnswer(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class DecisionKind(enum.StrEnum):
    #: A decision recorded as text only.
    NOTE = "note"
    #: It created a challenge.
    CHALLENGE = "challenge"
    #: It created a recommendation draft.
    RECOMMENDATION = "recommendation"
    #: It moved a recommendation to agreed.
    AGREEMENT = "agreement"


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


agenda_item_problem_areas = Table(
    "agenda_item_problem_areas",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("problem_area_id", ForeignKey("problem_areas.id", ondelete="CASCADE"), primary_key=True),
)


agenda_item_challenges = Table(
    "agenda_item_challenges",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_id", ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True),
)

agenda_item_recommendations = Table(
    "agenda_item_recommendations",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Meeting(db.Model):
    """A meeting of the subgroup (in person, online or hybrid)."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_in("mode", MeetingMode), name="mode_known"),
        CheckConstraint(_in("status", MeetingStatus), name="status_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subgroup_id: Mapped[int] = mapped_column(ForeignKey("subgroups.id"))
    title: Mapped[str] = mapped_column(String(300))
    #: Start and end, stored in UTC, shown in Europe/Warsaw.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(20), default=MeetingMode.ONLINE.value)
    #: Address for in-person meetings.
    place: Mapped[str | None] = mapped_column(String(300))
    #: Video-call link for online meetings.
    link: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PLANNED.value)
    description: Mapped[str] = mapped_column(Text, default="")
    #: The language the meeting is held in: its minutes are compiled in it.
    language: Mapped[str] = mapped_column(String(2), default="pl", server_default="pl")
    #: When the facilitator published the agenda; until then members do not see it.
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Actual start and end, recorded in live mode.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the meeting was cancelled (shown to invitees).
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Optimistic-locking counter for the meeting's own fields.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    subgroup = relationship("Subgroup", lazy="raise")
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting",
        order_by="AgendaItem.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="meeting",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Participant.id",
    )


class AgendaItem(db.Model):
    """One item of a meeting's agenda."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint(_in("kind", AgendaKind), name="kind_known"),
        CheckConstraint("planned_minutes >= 0", name="minutes_not_negative"),
        UniqueConstraint("meeting_id", "position", name="uq_agenda_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: Order within the meeting, from 1.
    position: Mapped[int]
    #: Part of the meeting (1, 2 ...).
    part: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    #: Speaker who is a member ...
    speaker_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: ... or a guest, named here with their organisation.
    speaker_name: Mapped[str | None] = mapped_column(String(200))
    speaker_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    planned_minutes: Mapped[int] = mapped_column(default=0)
    #: The guest speaker's sector (a member's comes from their organisation).
    speaker_sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    #: Notes taken during the meeting (Markdown).
    notes: Mapped[str] = mapped_column(Text, default="")
    #: When the item actually began and ended, recorded in live mode.
    actual_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actual_end: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items", lazy="raise")
    speaker_user = relationship("User", lazy="raise")
    speaker_organisation = relationship("Organisation", lazy="raise")
    speaker_sector = relationship("Sector", lazy="raise")
    challenges = relationship(
        "Challenge", secondary="agenda_item_challenges", lazy="raise", order_by="Challenge.id"
    )
    recommendations = relationship(
        "Recommendation",
        secondary="agenda_item_recommendations",
        lazy="raise",
        order_by="Recommendation.id",
    )
    problem_areas = relationship(
        "ProblemArea",
        secondary=agenda_item_problem_areas,
        lazy="raise",
        order_by="ProblemArea.position",
    )


class Participant(db.Model):
    """A member or guest taking part in a meeting, in one role."""

    __tablename__ = "participants"
    __table_args__ = (
        CheckConstraint(_in("role", ParticipantRole), name="role_known"),
        CheckConstraint(_in("answer", InvitationAnswer), name="answer_known"),
        # A member is invited once; guests are told apart by name.
        UniqueConstraint("meeting_id", "user_id", name="uq_participant_member"),
        CheckConstraint(
            "user_id IS NOT NULL OR name IS NOT NULL OR organisation_id IS NOT NULL "
            "OR sector_code IS NOT NULL",
            name="someone",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: A member's account, or empty for a guest.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Guest's name, or a group label such as "Representatives of science".
    name: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    role: Mapped[str] = mapped_column(String(20), default=ParticipantRole.PARTICIPANT.value)
    #: A guest's email, for invitations and minutes (members use their account's).
    email: Mapped[str | None] = mapped_column(String(254))
    #: The member's answer to the invitation: pending, accepted, declined.
    answer: Mapped[str] = mapped_column(String(10), default="pending")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whether the participant was present (None: not recorded yet).
    attended: Mapped[bool | None]

    meeting: Mapped[Meeting] = relationship(back_populates="participants", lazy="raise")
    user = relationship("User", lazy="raise")
    organisation = relationship("Organisation", lazy="raise")
    sector = relationship("Sector", lazy="raise")


class Decision(db.Model):
    """A decision taken at a meeting, possibly creating or agreeing something."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint(_in("kind", DecisionKind), name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    #: The agenda item under discussion when it was taken.
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20), default=DecisionKind.NOTE.value)
    #: What was decided, in a sentence or two.
    text: Mapped[str] = mapped_column(Text)
    #: What the decision created or agreed.
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"))
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge = relationship("Challenge", lazy="raise")
    recommendation = relationship("Recommendation", lazy="raise")
    agenda_item = relationship("AgendaItem", lazy="raise")


class ActionItem(db.Model):
    """Something a person agreed to do after a meeting, by a date."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date | None]
    #: When it was marked done (empty while open).
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner = relationship("User", foreign_keys=[owner_id], lazy="raise")
    meeting = relationship("Meeting", lazy="raise")


class Minutes(db.Model):
    """A meeting's minutes: the current text is the newest revision."""

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    #: Set on publication; from then on every change needs a reason.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Number of saved revisions; a save names the one it started from (optimistic lock).
    version: Mapped[int] = mapped_column(default=1)


class MinutesRevision(db.Model):
    """One saved text of the minutes, with who saved it and why."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("minutes_id", "number", name="uq_minutes_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    #: Markdown.
    body: Mapped[str] = mapped_column(Text)
    #: Required for corrections after publication.
    reason: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User", lazy="raise")
