"""The strategy catalogue: records, facets with counts, the procedure, the review rule."""

from sqlalchemy import select

from app.extensions import db
from app.strategies import services
from app.strategies.models import ClassificationEvent, SmartStrategy
from tests import factories


def record(actor=None, **changes):
    values = {
        "title_original": "Strategia Smart City Przykładowa",
        "place": "Przykładowo",
        "country": "PL",
        "level": "municipal",
        "adopted_year": 2021,
        "horizon_year": 2030,
        "summary": "Transport publiczny i zieleń.",
    }
    values.update(changes)
    return services.create_strategy(
        actor or factories.make_user("member"), services.StrategyFields(**values)
    )


def classify(strategy, actor, **changes):
    values = {
        "dimensions": ["mobility"],
        "green_deal": ["mobility"],
        "sdgs": {11: "primary", 13: "secondary"},
        "targets": ["11.2"],
    }
    values.update(changes)
    services.propose_classification(strategy, actor, services.Classification(**values))


def test_member_records_a_strategy(client, auth):
    auth.login("member")
    response = auth.post(
        "/strategies/new",
        {
            "title_original": "Strategia Rozwoju Łodzi 2030+",
            "title_en": "Łódź 2030+",
            "place": "Łódź",
            "country": "PL",
            "level": "municipal",
            "population_class": "large",
            "adopted_year": "2021",
            "horizon_year": "2030",
            "source_url": "",
            "language": "pl",
            "summary": "Streszczenie.",
            "full_text": "",
        },
    )
    assert response.status_code == 303
    strategy = db.session.scalar(select(SmartStrategy).where(SmartStrategy.place == "Łódź"))
    assert (strategy.status, strategy.population_class) == ("unclassified", "large")


def test_bad_records_are_inline_errors(auth):
    auth.login("member")
    base = {
        "title_original": "T",
        "place": "P",
        "country": "PL",
        "level": "municipal",
        "population_class": "",
        "language": "pl",
    }
    for changes in (
        {"adopted_year": "1850"},
        {"horizon_year": "2020", "adopted_year": "2025"},
        {"country": "XX"},
        {"level": "galactic"},
        {"title_original": ""},
        {"source_url": "ftp://x"},
    ):
        response = auth.post("/strategies/new", {**base, **changes})
        assert response.status_code == 400, changes
    assert (
        db.session.scalar(select(SmartStrategy).where(SmartStrategy.title_original == "T")) is None
    )


def test_facets_count_and_filter_in_the_url(client, auth):
    member = factories.make_user("member")
    cz = record(member, title_original="Brno", place="Brno", country="CZ", level="municipal")
    record(member, title_original="Košice", place="Košice", country="SK", level="municipal")
    classify(cz, member)
    auth.login("member")
    page = client.get("/strategies/").get_data(as_text=True)
    assert "Brno" in page and "Košice" in page
    filtered = client.get("/strategies/?country=CZ").get_data(as_text=True)
    assert "Brno" in filtered and "Košice" not in filtered
    by_goal = client.get("/strategies/?sdg=11").get_data(as_text=True)
    assert "Brno" in by_goal and "Košice" not in by_goal
    fragment = client.get("/strategies/?dimension=mobility", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert client.get("/strategies/?sdg=99&year=abc&country=%00").status_code in (200, 400)


def test_a_classification_is_reviewed_by_someone_else(client, auth):
    facilitator = factories.make_user("facilitator")
    strategy = record()
    classify(strategy, facilitator)
    auth.login_as(facilitator)
    own = auth.post(f"/strategies/{strategy.id}/review", {"decision": "approve"})
    assert own.status_code == 403
    assert db.session.get(SmartStrategy, strategy.id).status == "proposed"
    auth.logout()
    auth.login("facilitator")
    returned = auth.post(
        f"/strategies/{strategy.id}/review",
        {"decision": "return", "comment": ""},
        follow_redirects=True,
    )
    assert db.session.get(SmartStrategy, strategy.id).status == "proposed"  # needs a comment
    assert returned.status_code == 200
    auth.post(f"/strategies/{strategy.id}/review", {"decision": "approve", "comment": "OK"})
    saved = db.session.get(SmartStrategy, strategy.id)
    assert saved.status == "reviewed" and saved.reviewer_id == auth.user.id
    actions = db.session.scalars(
        select(ClassificationEvent.action).where(ClassificationEvent.strategy_id == strategy.id)
    ).all()
    assert actions == ["proposed", "approved"]
    page = client.get(f"/strategies/{strategy.id}").get_data(as_text=True)
    assert 'class="sdg-tile sdg-11"' in page and "Zrównoważone miasta" in page


def test_members_cannot_review(auth):
    strategy = record()
    classify(strategy, factories.make_user("member"))
    auth.login("member")
    assert (
        auth.post(f"/strategies/{strategy.id}/review", {"decision": "approve"}).status_code == 403
    )


def test_targets_must_belong_to_a_chosen_goal():
    import pytest

    strategy = record()
    with pytest.raises(services.StrategyError):
        classify(strategy, factories.make_user("member"), targets=["8.5"])


def test_the_procedure_page_is_bilingual(client, auth):
    auth.login("reviewer")
    page = client.get("/strategies/procedure").get_data(as_text=True)
    assert "Zielonego Ładu" in page or "Zielony Ład" in page or "Green Deal" in page
    assert 'class="sdg-tile sdg-17"' in page


def test_demo_strategies_are_marked_as_fictional(client, auth):
    from seeds.loader import load_demo

    load_demo()
    auth.login("member")
    page = client.get("/strategies/").get_data(as_text=True)
    assert page.count("status example") == 4


def test_classifying_with_suggestions_from_the_text(client, auth):
    member = auth.login("member")
    strategy = record(
        member,
        summary="Rozwój transportu publicznego, kolei aglomeracyjnej "
        "i dróg rowerowych; termomodernizacja budynków komunalnych.",
        language="pl",
    )
    page = client.get(f"/strategies/{strategy.id}/classify").get_data(as_text=True)
    assert 'id="suggest-heading"' in page and "(sugestia)" in page
    response = auth.post(
        f"/strategies/{strategy.id}/classify",
        {
            "dimensions": ["mobility", "environment"],
            "green_deal": ["mobility", "buildings"],
            "sdg-11": "primary",
            "sdg-7": "secondary",
            "targets": ["11.2"],
            "keywords": "kolej, rower",
        },
    )
    assert response.status_code == 303
    saved = db.session.get(SmartStrategy, strategy.id)
    assert saved.status == "proposed" and saved.classifier_id == member.id
    detail = client.get(f"/strategies/{strategy.id}").get_data(as_text=True)
    assert 'class="sdg-tile sdg-11"' in detail and 'class="sdg-tile sdg-7"' in detail
    assert detail.count('class="on"') == 4  # 2 Green Deal areas x 2 dimensions


def test_a_classification_with_nothing_or_stray_targets_is_refused(auth):
    member = auth.login("member")
    strategy = record(member)
    assert auth.post(f"/strategies/{strategy.id}/classify", {}).status_code == 400
    stray = auth.post(
        f"/strategies/{strategy.id}/classify", {"sdg-11": "primary", "targets": ["8.5"]}
    )
    assert stray.status_code == 400
    bogus = auth.post(f"/strategies/{strategy.id}/classify", {"sdg-11": "most"})
    assert bogus.status_code == 400
    assert db.session.get(SmartStrategy, strategy.id).status == "unclassified"


def test_catalogue_pages_keep_their_query_count(client, auth, count_queries):
    member = auth.login("member")

    def add(n, start):
        for i in range(start, start + n):
            strategy = record(
                member,
                title_original=f"Strategia {i}",
                place=f"Miasto {i}",
                country=("PL", "CZ", "SK", "HU")[i % 4],
            )
            classify(
                strategy,
                member,
                sdgs={1 + i % 17: "primary"},
                targets=[],
                green_deal=["mobility"],
                dimensions=["economy"],
            )

    first = record(member, title_original="Pierwsza", place="Start", country="PL")
    classify(
        first,
        member,
        sdgs={1: "primary"},
        targets=[],
        green_deal=["mobility"],
        dimensions=["economy"],
    )
    urls = [
        "/strategies/",
        "/strategies/?country=PL&dimension=economy",
        f"/strategies/{first.id}",
        "/strategies/export.csv",
    ]

    def measure():
        counts = {}
        for url in urls:
            with count_queries() as counter:
                response = client.get(url)
                response.get_data()
            assert response.status_code == 200, url
            counts[url] = counter.count
        return counts

    add(5, 0)
    measure()  # the first visits read what is kept in the process (app.kept)
    small = measure()
    add(60, 5)
    large = measure()
    small.pop("/strategies/export.csv")
    exported = large.pop("/strategies/export.csv")
    assert large == small
    assert exported < 20  # the export reads in batches of 500, not row by row
