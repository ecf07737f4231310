"""List, detail, history and search keep their SQL count as data grows (no N+1)."""

from app.extensions import db
from app.recommendations.models import Comment, Revision, StatusChange, Support
from tests import factories
from tests.recommendations.helpers import make_rec


def add_recommendations(n: int, authors) -> None:
    areas = ["G01", "G02", "G03", "G04", "G05", "G06", "G07"]
    for i in range(n):
        factories.make_recommendation(
            areas[i % 7],
            f"R{i % 5 + 1}",
            commit=False,
            title=f"Rekomendacja {i} Łódź",
            author=authors[i % 5],
            status=("draft", "discussion", "agreed")[i % 3],
        )
    db.session.commit()


def enrich(
    rec, people, comments: int, revisions: int, first_revision: int = 2, supporters=()
) -> None:
    """Give one recommendation a long discussion and history, in bulk."""
    parents = []
    for i in range(comments):
        parent = parents[i % len(parents)].id if parents and i % 3 == 0 else None
        comment = Comment(
            recommendation_id=rec.id,
            author_id=people[i % len(people)].id,
            body=f"Komentarz {i}",
            stance=("for", "against", None)[i % 3],
            parent_id=parent,
        )
        db.session.add(comment)
        db.session.flush()
        parents.append(comment)
    for n in range(first_revision, first_revision + revisions):
        db.session.add(
            Revision(
                recommendation_id=rec.id,
                number=n,
                recommendation_version=1,
                title=f"Wersja {n}",
                summary="s",
                body="b",
                author_id=people[n % len(people)].id,
                note=f"zmiana {n}",
            )
        )
        db.session.add(
            StatusChange(
                recommendation_id=rec.id,
                from_status="draft",
                to_status="discussion",
                actor_id=people[0].id,
            )
        )
    for person in supporters:
        db.session.add(Support(recommendation_id=rec.id, user_id=person.id))
    db.session.commit()


def test_pages_keep_their_query_count_from_10_to_1000_recommendations(client, auth, count_queries):
    auth.login("member")
    people = [
        factories.make_user("member", organisation=org)
        for org in ("krk UrbanHub", "South Poland Cleantech Cluster", None, "BLOXHUB", None)
    ]
    focus = make_rec(people[0], status="discussion", body="Miasto Łódź.")
    urls = [
        f"/recommendations/{focus.id}",
        f"/recommendations/{focus.id}/history",
        "/recommendations/",
        "/recommendations/?q=lodz",
        "/recommendations/?q=rekomendacja",
        "/recommendations/?area=G03&sort=support",
        "/",
        f"/recommendations/{focus.id}/comments",
    ]

    def measure():
        counts = {}
        for url in urls:
            with count_queries() as counter:
                response = auth.client.get(
                    url, headers={"HX-Request": "true"} if url.endswith("/comments") else {}
                )
            assert response.status_code == 200, url
            counts[url] = counter.count
        return counts

    add_recommendations(10, people)
    enrich(focus, people, comments=10, revisions=3, supporters=people[:2])
    measure()  # the first visits read what is kept in the process (app.kept)
    small = measure()
    add_recommendations(990, people)
    # 200 comments and 30 revisions on the page now.
    enrich(focus, people, comments=190, revisions=26, first_revision=5, supporters=people[2:])
    large = measure()
    assert large == small
