"""Factory functions that build valid objects with sensible defaults (Indico-style).

They run inside the test's app context and use the rolled-back session."""

import itertools
from datetime import timedelta

from sqlalchemy import func, select

from app import search
from app.auth.models import Organisation, User
from app.auth.services import hash_password
from app.database import utcnow
from app.extensions import db  # noqa: F401  (tests reach it as factories.db)
from app.meetings.models import Meeting
from app.problems.models import Challenge, ProblemArea, RecommendationCategory, Subgroup
from app.recommendations.models import Recommendation, RecommendationAuthor

DEFAULT_PASSWORD = "a long test password"
_sequence = itertools.count(1)


def make_user(
    role: str = "member",
    *,
    email: str | None = None,
    name: str | None = None,
    password: str | None = DEFAULT_PASSWORD,
    organisation: str | None = None,
    language: str = "pl",
    active: bool = True,
) -> User:
    n = next(_sequence)
    org = None
    if organisation:
        org = db.session.scalar(select(Organisation).where(Organisation.name == organisation))
    user = User(
        email=(email or f"{role}{n}@example.org").lower(),
        name=name or f"{role.title()} {n}",
        role=role,
        language=language,
        active=active,
        organisation=org,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def area(code: str) -> ProblemArea:
    return db.session.scalar(select(ProblemArea).where(ProblemArea.code == code))


def category(code: str) -> RecommendationCategory:
    return db.session.scalar(
        select(RecommendationCategory).where(RecommendationCategory.code == code)
    )


def make_challenge(
    area_code: str = "G03", *, title: str | None = None, author: User | None = None
) -> Challenge:
    challenge = Challenge(
        problem_area=area(area_code),
        title=title or f"Challenge {next(_sequence)}",
        description="A problem worth solving.",
        author=author,
    )
    db.session.add(challenge)
    db.session.commit()
    return challenge


def make_recommendation(
    area_code: str = "G03",
    category_code: str = "R2",
    *,
    status: str = "draft",
    title: str | None = None,
    author: User | None = None,
    commit: bool = True,
) -> Recommendation:
    problem_area, cat = area(area_code), category(category_code)
    number = (
        db.session.scalar(
            select(func.max(Recommendation.number)).where(
                Recommendation.problem_area_id == problem_area.id,
                Recommendation.category_id == cat.id,
            )
        )
        or 0
    ) + 1
    rec = Recommendation(
        problem_area_id=problem_area.id,
        category_id=cat.id,
        number=number,
        title=title or f"Recommendation {next(_sequence)}",
        summary="What should change.",
        body="Body text.",
        status=status,
        created_by_id=author.id if author else None,
    )
    db.session.add(rec)
    db.session.flush()
    if author is not None:
        db.session.add(
            RecommendationAuthor(recommendation_id=rec.id, user_id=author.id, state="accepted")
        )
    search.index_recommendation(rec.id, [rec.title, rec.summary, rec.body])
    if commit:
        db.session.commit()
    return rec


def make_meeting(
    *,
    title: str | None = None,
    starts_in: timedelta = timedelta(days=7),
    hours: int = 2,
    status: str = "planned",
) -> Meeting:
    subgroup = db.session.scalar(select(Subgroup))
    start = (utcnow() + starts_in).replace(microsecond=0)
    meeting = Meeting(
        subgroup_id=subgroup.id,
        title=title or f"Meeting {next(_sequence)}",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        mode="online",
        status=status,
        agenda_published_at=start,
    )
    db.session.add(meeting)
    db.session.commit()
    return meeting
