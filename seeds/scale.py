"""A large synthetic data set for benchmarks: ``flask seed --scale N``.

Rows go in with bulk inserts (a few statements per thousand rows), so 10,000
recommendations with their authors, revisions, timelines, search documents,
comments and supports take seconds, not minutes. The text is plausible Polish
policy prose assembled from fragments, deterministic for a given seed."""

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from app.auth.models import Organisation, User
from app.database import utcnow
from app.extensions import db
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.models import (
    Comment,
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
    Support,
)
from app.search import RecommendationSearch, search_document

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


def generate(n: int, *, seed: int = 2021, comments_per=3, people=200) -> dict[str, int]:
    """Add ``n`` recommendations (and what surrounds them); returns counts per table."""
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
                "role": "member",
                "organisation_id": rng.choice(organisations + [None]),
                "language": "pl",
                "digest_frequency": "weekly",
                "active": True,
                "session_token": f"scale-{start + i}",
                "created_at": now,
            }
            for i in range(people)
        ],
    )
    user_ids = db.session.scalars(select(User.id).where(User.id >= start)).all()

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
    return {
        "users": people,
        "recommendations": n,
        "comments": len(comments),
        "supports": len(supports),
    }
