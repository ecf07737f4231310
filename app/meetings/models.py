"""Meetings of the subgroup: agenda items and participants."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime
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


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


agenda_item_problem_areas = Table(
    "agenda_item_problem_areas",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("problem_area_id", ForeignKey("problem_areas.id", ondelete="CASCADE"), primary_key=True),
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
    notes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items", lazy="raise")
    speaker_user = relationship("User", lazy="raise")
    speaker_organisation = relationship("Organisation", lazy="raise")
    problem_areas = relationship(
        "ProblemArea",
        secondary=agenda_item_problem_areas,
        lazy="raise",
        order_by="ProblemArea.position",
    )


class Participant(db.Model):
    """A member or guest taking part in a meeting, in one role."""

    __tablename__ = "participants"
    __table_args__ = (CheckConstraint(_in("role", ParticipantRole), name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    #: A member's account, or empty for a guest.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Guest's name, or a group label such as "Representatives of science".
    name: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    sector_code: Mapped[str | None] = mapped_column(ForeignKey("sectors.code"))
    role: Mapped[str] = mapped_column(String(20), default=ParticipantRole.PARTICIPANT.value)
    #: Whether the participant was present (None: not recorded yet).
    attended: Mapped[bool | None]

    meeting: Mapped[Meeting] = relationship(back_populates="participants", lazy="raise")
    user = relationship("User", lazy="raise")
    organisation = relationship("Organisation", lazy="raise")
    sector = relationship("Sector", lazy="raise")
