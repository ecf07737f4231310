"""A large synthetic data set for benchmarks: ``flask seed --scale N``.

At N = 10,000: 10,000 recommendations (with authors, revisions, timelines, search
documents, supports and 60,000 comments), 1,000 people, 500 meetings (agenda and
participants) and 2,000 V4 strategies (SDGs, Green Deal areas, dimensions); the
other counts follow N in the same proportions. Rows go in with bulk inserts (a few
statements per thousand rows), so it takes seconds, not minutes. The text is
plausible Polish policy prose assembled from fragments, deterministic for a seed."""

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from app.auth.models import Organisation, User
from app.database import utcnow
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Participant
from app.problems.models import ProblemArea, RecommendationCategory, Subgroup
from app.recommendations.models import (
    Comment,
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
    Support,
)
from app.search import RecommendationSearch, StrategySearch, search_document
from app.strategies.models import (
    GreenDealArea,
    SmartDimension,
    SmartStrategy,
    StrategySdg,
    strategy_dimensions,
    strategy_green_deal_areas,
)
from app.strategies.services import SEARCHED_FIELDS

SUBJECTS = [
    "absolwentów",
    "młodych rodzin",
    "małych firm",
    "seniorów",
    "inwestorów",
    "samorządów",
    "uczelni",
    "klastrów",
    "startupów",
    "pracowników sezonowych",
]
ACTIONS = [
    "Wsparcie",
    "Program",
    "Fundusz",
    "Standard",
    "Pilotaż",
    "Sieć",
    "Platforma",
    "Ulga",
    "Szkolenia",
    "Partnerstwo",
]
PLACES = [
    "w miastach średnich",
    "w Łodzi",
    "w obszarach metropolitalnych",
    "w Żyrardowie",
    "w ośrodkach subregionalnych",
    "na Śląsku",
    "w Gdańsku",
    "w Kielcach",
]
SENTENCES = [
    "Proponujemy rozwiązanie, które łączy finansowanie z doradztwem.",
    "Samorządy potrzebują stabilnych narzędzi i danych o rynku pracy.",
    "Doświadczenia z Kopenhagi pokazują, że liczy się jakość przestrzeni.",
    "Warto uprościć procedury i skrócić czas wydawania decyzji.",
    "Rekomendacja odpowiada na odpływ talentów z mniejszych ośrodków.",
    "Działania powinny być mierzone wskaźnikami zatrudnienia i migracji.",
]


#: Steps reported to ``progress`` (for a progress bar).
STEPS = 5


def generate(
    n: int,
    *,
    seed: int = 2021,
    comments_per: int = 6,
    people: int | None = None,
    meetings: int | None = None,
    strategies: int | None = None,
    progress=None,
) -> dict[str, int]:
    """Add ``n`` recommendations and what surrounds them; returns counts per table.

    ``progress`` is called once per finished step (``STEPS`` in all)."""
    people = people if people is not None else max(50, n // 10)
    meetings = meetings if meetings is not None else max(5, n // 20)
    strategies = strategies if strategies is not None else max(20, n // 5)
    step = progress or (lambda: None)
    rng = random.Random(seed)
    now = utcnow()
    areas = db.session.scalars(select(ProblemArea)).all()
    categories = db.session.scalars(select(RecommendationCategory)).all()
    organisations = db.session.scalars(select(Organisation.id)).all()
    if not areas or not categories:
        raise RuntimeError("load the reference data first (flask seed)")

    start = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    db.session.execute(
        insert(User),
        [
            {
                "email": f"scale{start + i}@warsztat.example",
                "name": f"Osoba {start + i}",
                "handle": f"scale{start + i}",  # a bulk insert skips the handle hook
                "role": "member",
                "organisation_id": rng.choice(organisations + [None]),
                "language": "pl",
                "digest_frequency": "weekly",
                "active": True,
                "created_at": now,
            }
            for i in range(people)
        ],
    )
    user_ids = db.session.scalars(select(User.id).where(User.id >= start)).all()
    step()

    numbers = {
        (a, c): n
        for a, c, n in db.session.execute(
            select(
                Recommendation.problem_area_id,
                Recommendation.category_id,
                func.max(Recommendation.number),
            ).group_by(Recommendation.problem_area_id, Recommendation.category_id)
        )
    }
    plans = []
    for i in range(n):
        area, category = rng.choice(areas), rng.choice(categories)
        key = (area.id, category.id)
        numbers[key] = numbers.get(key, 0) + 1
        text = {
            "title": f"{rng.choice(ACTIONS)} dla {rng.choice(SUBJECTS)} {rng.choice(PLACES)}",
            "summary": rng.choice(SENTENCES),
            "body": "\n\n".join(rng.sample(SENTENCES, 4))
            + "\n\n- "
            + "\n- ".join(rng.sample(SUBJECTS, 3)),
            "addressee": "Ministerstwo Funduszy i Polityki Regionalnej",
            "expected_impact": "Więcej osób zostaje w mieście.",
        }
        status = rng.choice(("draft", "discussion", "discussion", "agreed"))
        plans.append(
            {
                "row": {
                    "problem_area_id": area.id,
                    "category_id": category.id,
                    "number": numbers[key],
                    "status": status,
                    "version": 1,
                    "created_by_id": rng.choice(user_ids),
                    "created_at": now - timedelta(minutes=n - i),
                    "updated_at": now - timedelta(minutes=n - i),
                    "support_count": 0 if status == "draft" else 2,
                    "comment_count": comments_per,
                    **text,
                },
                "comments": [f"{rng.choice(SENTENCES)} ({j + 1})" for j in range(comments_per)],
                "supporters": [] if status == "draft" else rng.sample(user_ids, 2),
            }
        )

    step()
    ids: list[int] = []
    for chunk in range(0, n, 2000):
        ids.extend(
            db.session.scalars(
                insert(Recommendation).returning(Recommendation.id, sort_by_parameter_order=True),
                [plan["row"] for plan in plans[chunk : chunk + 2000]],
            )
        )
    revisions, authors, changes, documents, comments, supports = ([] for _ in range(6))
    for rec_id, plan in zip(ids, plans, strict=True):
        row = plan["row"]
        text = {
            field: row[field]
            for field in ("title", "summary", "body", "addressee", "expected_impact")
        }
        author, created = row["created_by_id"], row["created_at"]
        revisions.append(
            {
                "recommendation_id": rec_id,
                "number": 1,
                "recommendation_version": 1,
                "author_id": author,
                "note": "",
                "created_at": created,
                **text,
            }
        )
        authors.append(
            {
                "recommendation_id": rec_id,
                "user_id": author,
                "state": "accepted",
                "created_at": created,
            }
        )
        changes.append(
            {
                "recommendation_id": rec_id,
                "from_status": None,
                "to_status": row["status"],
                "actor_id": author,
                "note": "",
                "created_at": created,
            }
        )
        comments.extend(
            {
                "recommendation_id": rec_id,
                "author_id": rng.choice(user_ids),
                "body": body,
                "stance": rng.choice(("for", "against", None)),
                "created_at": created,
            }
            for body in plan["comments"]
        )
        documents.append(
            {
                "recommendation_id": rec_id,
                "document": search_document([*text.values(), *plan["comments"]]),
            }
        )
        supports.extend(
            {"recommendation_id": rec_id, "user_id": supporter, "created_at": created}
            for supporter in plan["supporters"]
        )
    for model, rows in (
        (Revision, revisions),
        (RecommendationAuthor, authors),
        (StatusChange, changes),
        (Comment, comments),
        (RecommendationSearch, documents),
        (Support, supports),
    ):
        for chunk in range(0, len(rows), 2000):
            db.session.execute(insert(model), rows[chunk : chunk + 2000])
    db.session.commit()
    step()
    meeting_counts = _meetings(rng, meetings, user_ids, now)
    step()
    strategy_counts = _strategies(rng, strategies, user_ids, now)
    db.session.commit()
    step()
    return {
        "users": people,
        "recommendations": n,
        "comments": len(comments),
        "supports": len(supports),
        **meeting_counts,
        **strategy_counts,
    }


def _bulk(model, rows) -> None:
    for chunk in range(0, len(rows), 2000):
        db.session.execute(insert(model), rows[chunk : chunk + 2000])


def _meetings(rng, count: int, user_ids, now) -> dict[str, int]:
    """Meetings every week around now: the past ones held, the rest planned."""
    subgroup = db.session.scalar(select(Subgroup.id))
    rows = []
    for i in range(count):
        starts = (now + timedelta(weeks=i - count // 2)).replace(microsecond=0)
        held = starts < now
        rows.append(
            {
                "subgroup_id": subgroup,
                "title": f"Spotkanie podgrupy nr {i + 1}",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "mode": rng.choice(("online", "in_person", "hybrid")),
                "place": rng.choice(PLACES).removeprefix("w ").removeprefix("na "),
                "status": "held" if held else "planned",
                "description": rng.choice(SENTENCES),
                "agenda_published_at": starts - timedelta(days=7),
                "created_by_id": rng.choice(user_ids),
                "version": 1,
            }
        )
    ids = []
    for chunk in range(0, len(rows), 2000):
        ids.extend(
            db.session.scalars(
                insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True),
                rows[chunk : chunk + 2000],
            )
        )
    items, participants = [], []
    for meeting_id, row in zip(ids, rows, strict=True):
        for position in range(1, 5):
            items.append(
                {
                    "meeting_id": meeting_id,
                    "position": position,
                    "part": 1 + (position > 2),
                    "kind": rng.choice(("expert_talk", "presentation", "discussion", "decision")),
                    "title": f"{rng.choice(ACTIONS)} dla {rng.choice(SUBJECTS)}",
                    "planned_minutes": 25,
                    "notes": "",
                }
            )
        for user_id in rng.sample(user_ids, min(10, len(user_ids))):
            participants.append(
                {
                    "meeting_id": meeting_id,
                    "user_id": user_id,
                    "role": "participant",
                    "answer": "accepted",
                    "attended": True if row["status"] == "held" else None,
                }
            )
    _bulk(AgendaItem, items)
    _bulk(Participant, participants)
    return {"meetings": count, "agenda_items": len(items), "participants": len(participants)}


CITIES = {
    "PL": ["Łódź", "Gdynia", "Lublin", "Kielce", "Rzeszów", "Opole", "Żyrardów"],
    "CZ": ["Brno", "Ostrava", "Plzeň", "Olomouc", "Písek"],
    "SK": ["Košice", "Žilina", "Nitra", "Trnava"],
    "HU": ["Debrecen", "Szeged", "Pécs", "Győr"],
}
LANGUAGES = {"PL": "pl", "CZ": "cs", "SK": "sk", "HU": "hu"}


def _strategies(rng, count: int, user_ids, now) -> dict[str, int]:
    """V4 strategies with SDGs, Green Deal areas and smart-city dimensions."""
    areas = db.session.scalars(select(GreenDealArea.code)).all()
    dimensions = db.session.scalars(select(SmartDimension.code)).all()
    rows = []
    for i in range(count):
        country = rng.choice(tuple(CITIES))
        place = rng.choice(CITIES[country])
        status = rng.choice(("unclassified", "proposed", "reviewed", "reviewed"))
        rows.append(
            {
                "title_original": f"Strategia inteligentnego miasta {place} {2015 + i % 10}",
                "title_en": f"Smart city strategy of {place} ({i + 1})",
                "place": place,
                "country": country,
                "level": rng.choice(("municipal", "municipal", "metropolitan", "regional")),
                "adopted_year": 2015 + i % 10,
                "horizon_year": 2030,
                "source_url": "",
                "language": LANGUAGES[country],
                "summary": " ".join(rng.sample(SENTENCES, 2)),
                "full_text": "",
                "is_example": False,
                "keywords": "",
                "status": status,
                "classifier_id": None if status == "unclassified" else rng.choice(user_ids),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    ids = []
    for chunk in range(0, len(rows), 2000):
        ids.extend(
            db.session.scalars(
                insert(SmartStrategy).returning(SmartStrategy.id, sort_by_parameter_order=True),
                rows[chunk : chunk + 2000],
            )
        )
    _bulk(
        StrategySearch,
        [
            {
                "strategy_id": strategy_id,
                "document": search_document([row[name] for name in SEARCHED_FIELDS]),
            }
            for strategy_id, row in zip(ids, rows, strict=True)
        ],
    )
    sdgs, green, dims = [], [], []
    for strategy_id, row in zip(ids, rows, strict=True):
        if row["status"] == "unclassified":
            continue
        goals = rng.sample(range(1, 18), 3)
        sdgs.extend(
            {"strategy_id": strategy_id, "goal_number": goal, "relevance": relevance}
            for goal, relevance in zip(goals, ("primary", "secondary", "secondary"), strict=True)
        )
        green.extend(
            {"strategy_id": strategy_id, "area_code": code} for code in rng.sample(areas, 2)
        )
        dims.extend(
            {"strategy_id": strategy_id, "dimension_code": code}
            for code in rng.sample(dimensions, 2)
        )
    _bulk(StrategySdg, sdgs)
    for table, rows_ in ((strategy_green_deal_areas, green), (strategy_dimensions, dims)):
        for chunk in range(0, len(rows_), 2000):
            db.session.execute(table.insert(), rows_[chunk : chunk + 2000])
    return {"strategies": count, "strategy_sdgs": len(sdgs)}
