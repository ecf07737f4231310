"""Smart-city strategies and their classification against the Green Deal and the SDGs."""

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Level(enum.StrEnum):
    MUNICIPAL = "municipal"
    METROPOLITAN = "metropolitan"
    REGIONAL = "regional"
    NATIONAL = "national"


#: The languages a strategy's document may be in (ISO 639-1), the same for the form and
#: the CSV import; "other" for any else.
DOCUMENT_LANGUAGES = ("pl", "cs", "sk", "hu", "en", "de", "da", "other")


class PopulationClass(enum.StrEnum):
    SMALL = "small"  # under 50,000
    MEDIUM = "medium"  # 50,000-250,000
    LARGE = "large"  # 250,000-1,000,000
    METRO = "metro"  # over 1,000,000


class ClassificationStatus(enum.StrEnum):
    UNCLASSIFIED = "unclassified"
    PROPOSED = "proposed"
    REVIEWED = "reviewed"


class Relevance(enum.StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"


class LinkRelation(enum.StrEnum):
    GOOD_PRACTICE = "good_practice"
    EVIDENCE = "evidence"
    IMPLEMENTS = "implements"


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class SdgGoal(db.Model):
    """One of the 17 UN Sustainable Development Goals."""

    __tablename__ = "sdg_goals"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    short_name_en: Mapped[str] = mapped_column(String(120))
    short_name_pl: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(Text)
    # Czech from Open SDG; Slovak and Hungarian from seeds/translations/.
    short_name_cs: Mapped[str] = mapped_column(String(120), default="", server_default="")
    short_name_sk: Mapped[str] = mapped_column(String(120), default="", server_default="")
    short_name_hu: Mapped[str] = mapped_column(String(120), default="", server_default="")
    title_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    title_hu: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The official UN colour, ``#RRGGBB``.
    colour_hex: Mapped[str] = mapped_column(String(7))


class SdgTarget(db.Model):
    """One of the 169 SDG targets, e.g. ``11.2``."""

    __tablename__ = "sdg_targets"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    goal_number: Mapped[int] = mapped_column(ForeignKey("sdg_goals.number"), index=True)
    #: Order within the goal (numbered targets first, then lettered ones).
    position: Mapped[int] = mapped_column(default=0)
    text_en: Mapped[str] = mapped_column(Text)
    text_pl: Mapped[str] = mapped_column(Text)
    text_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_hu: Mapped[str] = mapped_column(Text, default="", server_default="")


class GreenDealArea(db.Model):
    """A policy area of the 2019 European Green Deal communication."""

    __tablename__ = "green_deal_areas"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    name_pl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    name_cs: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_sk: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_hu: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_hu: Mapped[str] = mapped_column(Text, default="", server_default="")


class SmartDimension(db.Model):
    """A smart-city dimension: economy, environment, governance, living, mobility, people."""

    __tablename__ = "smart_dimensions"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    name_pl: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    name_cs: Mapped[str] = mapped_column(String(120), default="", server_default="")
    name_sk: Mapped[str] = mapped_column(String(120), default="", server_default="")
    name_hu: Mapped[str] = mapped_column(String(120), default="", server_default="")
    description_cs: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_sk: Mapped[str] = mapped_column(Text, default="", server_default="")
    description_hu: Mapped[str] = mapped_column(Text, default="", server_default="")


strategy_dimensions = Table(
    "strategy_dimensions",
    db.metadata,
    Column("strategy_id", ForeignKey("smart_strategies.id", ondelete="CASCADE"), primary_key=True),
    Column("dimension_code", ForeignKey("smart_dimensions.code"), primary_key=True),
)

strategy_green_deal_areas = Table(
    "strategy_green_deal_areas",
    db.metadata,
    Column("strategy_id", ForeignKey("smart_strategies.id", ondelete="CASCADE"), primary_key=True),
    Column("area_code", ForeignKey("green_deal_areas.code"), primary_key=True),
)

strategy_targets = Table(
    "strategy_targets",
    db.metadata,
    Column("strategy_id", ForeignKey("smart_strategies.id", ondelete="CASCADE"), primary_key=True),
    Column("target_code", ForeignKey("sdg_targets.code"), primary_key=True),
)


class SmartStrategy(db.Model):
    """A city's, metropolis's or region's smart-city strategy, and its classification."""

    __tablename__ = "smart_strategies"
    __table_args__ = (
        CheckConstraint(_in("level", Level), name="level_known"),
        CheckConstraint(
            f"population_class IS NULL OR {_in('population_class', PopulationClass)}",
            name="population_known",
        ),
        CheckConstraint(_in("status", ClassificationStatus), name="status_known"),
        CheckConstraint(
            "adopted_year IS NULL OR adopted_year BETWEEN 1990 AND 2100", name="adopted_year_range"
        ),
        CheckConstraint(
            "horizon_year IS NULL OR horizon_year BETWEEN 1990 AND 2100", name="horizon_year_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Title in the strategy's own language, and in English.
    title_original: Mapped[str] = mapped_column(String(400))
    title_en: Mapped[str] = mapped_column(String(400), default="")
    place: Mapped[str] = mapped_column(String(200))
    #: ISO 3166-1 alpha-2.
    country: Mapped[str] = mapped_column(String(2), index=True)
    level: Mapped[str] = mapped_column(String(20))
    population_class: Mapped[str | None] = mapped_column(String(10))
    adopted_year: Mapped[int | None]
    horizon_year: Mapped[int | None]
    source_url: Mapped[str] = mapped_column(String(500), default="")
    #: ISO 639-1 code of the document's language.
    language: Mapped[str] = mapped_column(String(5), default="pl")
    summary: Mapped[str] = mapped_column(Text, default="")
    #: The document's text, pasted or extracted from a file, for suggestions and search.
    full_text: Mapped[str] = mapped_column(Text, default="")
    #: Demo records are fictional examples and say so everywhere they appear.
    is_example: Mapped[bool] = mapped_column(default=False)
    #: Free keywords of the classification, comma-separated.
    keywords: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(
        String(20), default=ClassificationStatus.UNCLASSIFIED.value, index=True
    )
    classifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Optimistic-locking counter.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    dimensions = relationship(
        "SmartDimension",
        secondary=strategy_dimensions,
        lazy="raise",
        order_by="SmartDimension.position",
    )
    green_deal_areas = relationship(
        "GreenDealArea",
        secondary=strategy_green_deal_areas,
        lazy="raise",
        order_by="GreenDealArea.position",
    )
    targets = relationship(
        "SdgTarget", secondary=strategy_targets, lazy="raise", order_by="SdgTarget.position"
    )
    sdgs: Mapped[list["StrategySdg"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="StrategySdg.goal_number"
    )
    classifier = relationship("User", foreign_keys=[classifier_id], lazy="raise")
    reviewer = relationship("User", foreign_keys=[reviewer_id], lazy="raise")


class StrategySdg(db.Model):
    """A goal a strategy serves, as primary or secondary relevance."""

    __tablename__ = "strategy_sdgs"
    __table_args__ = (CheckConstraint(_in("relevance", Relevance), name="relevance_known"),)

    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("smart_strategies.id", ondelete="CASCADE"), primary_key=True
    )
    goal_number: Mapped[int] = mapped_column(ForeignKey("sdg_goals.number"), primary_key=True)
    relevance: Mapped[str] = mapped_column(String(10), default=Relevance.PRIMARY.value)

    goal = relationship("SdgGoal", lazy="joined")


class ClassificationEvent(db.Model):
    """One step of the classification procedure, for the record."""

    __tablename__ = "classification_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("smart_strategies.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: proposed, approved, returned.
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="raise")


class StrategyLink(db.Model):
    """A recommendation pointing to a strategy as good practice, evidence or what it
    implements."""

    __tablename__ = "strategy_links"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "strategy_id", name="uq_strategy_link"),
        CheckConstraint(_in("relation", LinkRelation), name="relation_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    strategy_id: Mapped[int] = mapped_column(
        ForeignKey("smart_strategies.id", ondelete="CASCADE"), index=True
    )
    relation: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    strategy = relationship("SmartStrategy", lazy="raise")
    recommendation = relationship("Recommendation", lazy="raise")
