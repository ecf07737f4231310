"""What every export reads: recommendations as plain records, loaded in batches.

The DOCX, XLSX, CSV and JSON writers and the JSON API all take these records, so
one query plan serves them all: the ordered ids first, then batches of
``BATCH`` with everything eager-loaded, which keeps both the number of queries
per batch and the memory held at once constant however many are exported."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Organisation, Sector, User
from app.extensions import db
from app.i18n import LANGUAGES, current_language, localized, text_in
from app.mail import absolute_url
from app.meetings.models import Meeting, Participant
from app.problems.models import Challenge, ProblemArea, RecommendationCategory
from app.recommendations.answers import published_for
from app.recommendations.models import (
    Recommendation,
    RecommendationAuthor,
    Support,
    recommendation_challenges,
)
from app.strategies.models import SmartStrategy, StrategyLink
from app.templating import RELATION_LABELS, STATUS_LABELS, VERDICT_LABELS

BATCH = 500
#: Meetings read at a time for the annex (each with all its participants).
MEETING_BATCH = 100


@dataclass
class AuthorRecord:
    name: str
    organisation: str
    sector: str


@dataclass
class StrategyRecord:
    id: int
    title: str
    place: str
    country: str
    relation: str
    relation_label: str
    sdgs: list[int]


@dataclass
class AnswerRecord:
    ministry: str
    verdict: str
    verdict_label: str
    reasoning: str
    published_at: datetime


@dataclass
class RecommendationRecord:
    id: int
    reference: str
    area_code: str
    area_title: str
    category_code: str
    category_name: str
    number: int
    title: str
    summary: str
    body: str
    addressee: str
    expected_impact: str
    status: str
    status_label: str
    created_at: datetime
    updated_at: datetime
    url: str
    authors: list[AuthorRecord] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    support_total: int = 0
    #: (sector label, count), in sector order.
    support_by_sector: list[tuple[str, int]] = field(default_factory=list)
    strategies: list[StrategyRecord] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)

    @property
    def organisations(self) -> list[str]:
        return list(dict.fromkeys(a.organisation for a in self.authors if a.organisation))


@dataclass
class AreaRecord:
    code: str
    title: str
    description: str
    challenges: list[tuple[int, str, str]]


@dataclass
class MeetingRecord:
    id: int
    title: str
    starts_at: datetime
    place: str
    status: str
    #: (sector label, count of participants), in sector order.
    participants_by_sector: list[tuple[str, int]]
    #: (name, organisation, sector label)
    participants: list[tuple[str, str, str]]


def ordered_ids(query: Select) -> list[int]:
    """The ids a filtered select matches, in report order."""
    ids = query.with_only_columns(Recommendation.id).order_by(None)
    return list(
        db.session.scalars(
            select(Recommendation.id)
            .where(Recommendation.id.in_(ids))
            .join(ProblemArea, Recommendation.problem_area_id == ProblemArea.id)
            .join(RecommendationCategory, Recommendation.category_id == RecommendationCategory.id)
            .order_by(ProblemArea.position, RecommendationCategory.position, Recommendation.number)
        )
    )


def iter_records(ids: list[int]) -> Iterator[RecommendationRecord]:
    """Records for ``ids`` in that order, ``BATCH`` at a time."""
    statuses = {k: str(v) for k, v in STATUS_LABELS.items()}
    relations = {k: str(v) for k, v in RELATION_LABELS.items()}
    verdicts = {k: str(v) for k, v in VERDICT_LABELS.items()}
    sectors = {s.code: localized(s, "name") for s in db.session.scalars(select(Sector))}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        yield from _load_batch(chunk, statuses, relations, verdicts, sectors)


def _load_batch(chunk, statuses, relations, verdicts, sectors):
    # Plain rows, not ORM objects: a report of 10,000 spent a third of its time building
    # and tracking objects it only reads once.
    area, category = ProblemArea.__table__.c, RecommendationCategory.__table__.c
    language = current_language()
    recs = {
        row.id: row
        for row in db.session.execute(
            select(
                *Recommendation.__table__.c,
                area.code.label("area_code"),
                *(area[f"title_{code}"].label(f"area_title_{code}") for code in LANGUAGES),
                category.code.label("category_code"),
                *(category[f"name_{code}"].label(f"category_name_{code}") for code in LANGUAGES),
            )
            .join(ProblemArea, ProblemArea.id == Recommendation.problem_area_id)
            .join(RecommendationCategory, RecommendationCategory.id == Recommendation.category_id)
            .where(Recommendation.id.in_(chunk))
        )
    }
    authors: dict[int, list[AuthorRecord]] = defaultdict(list)
    for row in db.session.execute(
        select(
            RecommendationAuthor.recommendation_id,
            User.name,
            Organisation.name.label("organisation"),
            Organisation.name_en.label("organisation_en"),
            Organisation.sector_code,
        )
        .join(User, User.id == RecommendationAuthor.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(
            RecommendationAuthor.recommendation_id.in_(chunk),
            RecommendationAuthor.state == "accepted",
        )
        .order_by(RecommendationAuthor.id)
    ):
        authors[row.recommendation_id].append(
            AuthorRecord(
                name=row.name,
                organisation=_name_in(language, row.organisation, row.organisation_en),
                sector=sectors.get(row.sector_code if row.organisation else "other", ""),
            )
        )
    challenges: dict[int, list[str]] = defaultdict(list)
    for rec_id, title in db.session.execute(
        select(recommendation_challenges.c.recommendation_id, Challenge.title)
        .join(Challenge, Challenge.id == recommendation_challenges.c.challenge_id)
        .where(recommendation_challenges.c.recommendation_id.in_(chunk))
        .order_by(Challenge.id)
    ):
        challenges[rec_id].append(title)
    support: dict[int, dict[str, int]] = defaultdict(dict)
    # Inlined, so that PostgreSQL sees the same expression in SELECT and GROUP BY.
    sector = func.coalesce(Organisation.sector_code, literal_column("'other'"))
    for rec_id, sector_code, count in db.session.execute(
        select(Support.recommendation_id, sector, func.count(Support.id))
        .join(User, User.id == Support.user_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(Support.recommendation_id.in_(chunk))
        .group_by(Support.recommendation_id, sector)
    ):
        support[rec_id][sector_code] = count
    links: dict[int, list[StrategyLink]] = defaultdict(list)
    for link in db.session.scalars(
        select(StrategyLink)
        .where(StrategyLink.recommendation_id.in_(chunk))
        .options(joinedload(StrategyLink.strategy).selectinload(SmartStrategy.sdgs))
        .order_by(StrategyLink.id)
    ):
        links[link.recommendation_id].append(link)
    answers = published_for(chunk)
    sector_order = list(sectors)
    for rec_id in chunk:
        rec = recs.get(rec_id)
        if rec is None:  # deleted between the two queries
            continue
        by_sector = support.get(rec_id, {})
        yield RecommendationRecord(
            id=rec.id,
            reference=f"{rec.area_code}/{rec.category_code}/{rec.number}",
            area_code=rec.area_code,
            area_title=text_in(rec, "area_title", language),
            category_code=rec.category_code,
            category_name=text_in(rec, "category_name", language),
            number=rec.number,
            title=rec.title,
            summary=rec.summary or "",
            body=rec.body or "",
            addressee=rec.addressee or "",
            expected_impact=rec.expected_impact or "",
            status=rec.status,
            status_label=statuses.get(rec.status, rec.status),
            created_at=rec.created_at,
            updated_at=rec.updated_at,
            url=absolute_url(f"/recommendations/{rec.id}"),
            authors=authors.get(rec_id, []),
            challenges=challenges.get(rec_id, []),
            support_total=sum(by_sector.values()),
            support_by_sector=[
                (sectors[code], by_sector[code]) for code in sector_order if code in by_sector
            ],
            strategies=[
                StrategyRecord(
                    id=link.strategy.id,
                    title=link.strategy.title_en or link.strategy.title_original,
                    place=link.strategy.place,
                    country=link.strategy.country,
                    relation=link.relation,
                    relation_label=relations.get(link.relation, link.relation),
                    sdgs=sorted(s.goal_number for s in link.strategy.sdgs),
                )
                for link in links.get(rec_id, [])
            ],
            answers=[
                AnswerRecord(
                    ministry=_organisation_name(a.organisation),
                    verdict=a.verdict,
                    verdict_label=verdicts.get(a.verdict, a.verdict),
                    reasoning=a.reasoning,
                    published_at=a.published_at,
                )
                for a in answers.get(rec_id, [])
            ],
        )


def _organisation_name(organisation) -> str:
    """The organisation's name in the reader's language ("" for none)."""
    if organisation is None:
        return ""
    return _name_in(current_language(), organisation.name, organisation.name_en)


def _name_in(language: str, name: str | None, name_en: str | None) -> str:
    """An organisation's own name, or its English one for a reader who is not Polish."""
    return (name_en if language != "pl" else "") or name or ""


def areas_with_challenges() -> list[AreaRecord]:
    """Every problem area in order, with its challenges (for the report's chapters)."""
    challenges: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for challenge in db.session.scalars(select(Challenge).order_by(Challenge.id)):
        challenges[challenge.problem_area_id].append(
            (challenge.id, challenge.title, challenge.description or "")
        )
    return [
        AreaRecord(
            code=area.code,
            title=localized(area, "title"),
            description=localized(area, "description") or "",
            challenges=challenges.get(area.id, []),
        )
        for area in db.session.scalars(select(ProblemArea).order_by(ProblemArea.position))
    ]


def categories() -> list[tuple[str, str]]:
    return [
        (c.code, localized(c, "name"))
        for c in db.session.scalars(
            select(RecommendationCategory).order_by(RecommendationCategory.position)
        )
    ]


def held_meetings() -> Iterator[MeetingRecord]:
    """Meetings that took place, oldest first, with their participants (the report
    annex), ``MEETING_BATCH`` at a time: the annex grows with the subgroup's history."""
    sectors = {s.code: localized(s, "name") for s in db.session.scalars(select(Sector))}
    ids = list(
        db.session.scalars(
            select(Meeting.id)
            .where(Meeting.status.in_(("held", "in_progress")))
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )
    for start in range(0, len(ids), MEETING_BATCH):
        chunk = ids[start : start + MEETING_BATCH]
        loaded = {
            meeting.id: meeting
            for meeting in db.session.scalars(
                select(Meeting)
                .where(Meeting.id.in_(chunk))
                .options(
                    selectinload(Meeting.participants).options(
                        joinedload(Participant.user).joinedload(User.organisation),
                        joinedload(Participant.organisation),
                    )
                )
            )
        }
        for meeting_id in chunk:
            if meeting_id in loaded:  # not deleted between the two queries
                yield _meeting_record(loaded[meeting_id], sectors)


def _meeting_record(meeting: Meeting, sectors: dict[str, str]) -> MeetingRecord:
    counts: dict[str, int] = defaultdict(int)
    people = []
    for p in meeting.participants:
        if p.attended is False or p.answer == "declined":
            continue
        organisation = p.organisation or (p.user.organisation if p.user else None)
        sector_code = p.sector_code or (organisation.sector_code if organisation else "other")
        counts[sector_code] += 1
        name = p.user.name if p.user else (p.name or "")
        people.append((name, _organisation_name(organisation), sectors.get(sector_code, "")))
    return MeetingRecord(
        id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        place=meeting.place or meeting.link or "",
        status=meeting.status,
        participants_by_sector=[(sectors[c], counts[c]) for c in sectors if c in counts],
        participants=sorted(people),
    )


def strategies_sheet() -> Iterator[SmartStrategy]:
    """Strategies for the XLSX sheet, in batches, with their SDGs."""
    ids = list(db.session.scalars(select(SmartStrategy.id).order_by(SmartStrategy.id)))
    for start in range(0, len(ids), BATCH):
        yield from db.session.scalars(
            select(SmartStrategy)
            .where(SmartStrategy.id.in_(ids[start : start + BATCH]))
            .options(selectinload(SmartStrategy.sdgs))
            .order_by(SmartStrategy.id)
        )


@dataclass
class Report:
    """Everything a report file holds; the writers only lay it out."""

    title: str
    #: When it was generated (UTC); writers show it in Europe/Warsaw.
    generated_at: datetime
    #: The filters in words, e.g. "Problem area: G03; status: agreed" (empty: everything).
    selection: str
    areas: list[AreaRecord]
    #: (code, name) of R1-R5 in order.
    categories: list[tuple[str, str]]
    #: In report order (area, category, number); may be a generator: read it once.
    recommendations: Iterator[RecommendationRecord]
    meetings: Iterable[MeetingRecord]
    #: Only for a submission package: its cover letter (Markdown) and addressee.
    cover_letter: str = ""
    addressee: str = ""
