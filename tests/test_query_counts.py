"""Pages run the same number of SQL statements at 10 rows as at 500 (no N+1)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Organisation, User
from app.extensions import db
from app.meetings.models import ActionItem, AgendaItem, Decision, Meeting, Participant
from app.strategies import services as strategy_services
from app.strategies.models import SmartStrategy, StrategySdg
from tests import factories


def grow(n: int, meeting: Meeting, start: int = 0) -> None:
    """Add n of everything the pages list, without committing per row."""
    orgs = db.session.scalars(select(Organisation)).all()
    authors = []
    for i in range(start, start + n):
        user = User(
            email=f"bulk{i}@example.org",
            name=f"Bulk {i}",
            role="member",
            organisation=orgs[i % len(orgs)],
        )
        db.session.add(user)
        authors.append(user)
    db.session.flush()
    areas = ["G01", "G02", "G03", "G04", "G05", "G06", "G07"]
    for j, i in enumerate(range(start, start + n)):
        rec = factories.make_recommendation(
            areas[i % 7], f"R{i % 5 + 1}", commit=False, status=("draft", "agreed")[i % 2]
        )
        rec.created_by_id = authors[j].id
        challenge = factories.Challenge(
            problem_area=factories.area(areas[i % 7]),
            title=f"Bulk challenge {i}",
            author=authors[j],
        )
        db.session.add(challenge)
        db.session.add(
            AgendaItem(
                meeting_id=meeting.id,
                position=100 + i,
                part=1 + i % 2,
                kind="discussion",
                title=f"Item {i}",
                planned_minutes=1,
                speaker_user_id=authors[j].id,
            )
        )
        db.session.add(
            Participant(meeting_id=meeting.id, user_id=authors[j].id, role="participant")
        )
        db.session.add(Decision(meeting_id=meeting.id, text=f"Decyzja {i}", kind="note"))
        db.session.add(
            ActionItem(meeting_id=meeting.id, title=f"Zadanie {i}", owner_id=authors[j].id)
        )
        strategy = SmartStrategy(
            title_original=f"Strategia inteligentnego miasta {i}",
            place=f"Miasto {i}",
            country=("PL", "CZ", "SK", "HU")[i % 4],
            level="municipal",
            adopted_year=2015 + i % 10,
        )
        db.session.add(strategy)
        db.session.flush()
        db.session.add(StrategySdg(strategy_id=strategy.id, goal_number=1 + i % 17))
        strategy_services.reindex(strategy)
    for i in range(start // 10, (start + n) // 10):
        factories.make_meeting(title=f"Bulk meeting {i}", starts_in=timedelta(days=1 + i))
    db.session.commit()


PAGES = [
    "/",
    "/problems/",
    "/problems/G03",
    "/recommendations/",
    "/recommendations/?area=G03",
    "/meetings/",
    "/meetings/{meeting}",
    "/meetings/{meeting}/live",
    "/meetings/{meeting}.ics",
    "/exports/",
    "/exports/?area=G03&status=agreed",
    "/api/v1/problem-areas",
    "/api/v1/recommendations",
    "/api/v1/recommendations?area=G03&per_page=100",
    "/api/v1/meetings",
    "/api/v1/strategies",
    "/strategies/",
    "/strategies/?country=PL&country=CZ&sdg=1&sdg=2&q=strategia+miasta",
    "/admin/users",
    "/admin/mail",
    "/admin/audit",
]


@pytest.mark.parametrize("role", ["admin", "reviewer"])
def test_page_query_counts_do_not_grow_with_data(client, auth, count_queries, role):
    auth.login(role)
    meeting = factories.make_meeting(title="Counted meeting")
    urls = [
        u.format(meeting=meeting.id) for u in PAGES if role == "admin" or not u.startswith("/admin")
    ]

    def measure():
        counts = {}
        for url in urls:
            with count_queries() as counter:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = counter.count
        return counts

    grow(10, meeting)
    measure()  # the first visits read what is kept in the process (app.kept)
    small = measure()
    grow(490, meeting, start=10)
    large = measure()
    assert large == small


def test_package_page_query_count_does_not_grow_with_its_size(client, auth, count_queries):
    from app.exports import packages, selection
    from tests.exports.helpers import MINISTRY, ministry

    meeting = factories.make_meeting(title="Counted meeting")
    facilitator = factories.make_user("facilitator")
    reviewer = factories.make_user("reviewer", organisation=MINISTRY)

    def measure(n, start):
        grow(n, meeting, start=start)
        chosen = selection.parse({}, None)
        package = packages.send(
            facilitator, chosen, organisation=ministry(), title=f"P{start}", cover_letter="L"
        )
        counts = {}
        for user in (facilitator, reviewer):
            auth.login_as(user)
            with count_queries() as counter:
                assert client.get(f"/exports/packages/{package.id}").status_code == 200
            counts[user.role] = counter.count
        return counts

    assert measure(4, 0) == measure(40, 4)
