"""Linking recommendations to strategies, and the problem area's reach chart."""

from sqlalchemy import select

from app.extensions import db
from app.strategies.models import StrategyLink
from tests import factories
from tests.recommendations.helpers import make_rec
from tests.strategies.test_portal import classify, record


def test_member_finds_and_links_a_strategy_then_the_area_chart_shows_it(client, auth):
    member = auth.login("member")
    strategy = record(
        member, title_original="Strategia Kopenhaga 2025", place="Kopenhaga", country="DK"
    )
    classify(
        strategy, member, sdgs={11: "primary", 13: "secondary"}, targets=[], green_deal=["mobility"]
    )
    rec = make_rec(member, area="G03", status="discussion")
    found = client.get(
        f"/recommendations/{rec.id}/strategies/search?q=kopenhaga", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Strategia Kopenhaga 2025" in found and "<html" not in found
    response = auth.post(
        f"/recommendations/{rec.id}/strategies",
        {"strategy_id": str(strategy.id), "relation": "good_practice", "note": "Kolej miejska"},
    )
    assert response.status_code == 303
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert "Strategia Kopenhaga 2025" in page and "Dobra praktyka" in page
    again = client.get(f"/recommendations/{rec.id}/strategies/search?q=kopenhaga")
    assert "Strategia Kopenhaga 2025" not in again.get_data(as_text=True)  # already linked
    chart = client.get("/problems/G03").get_data(as_text=True)
    assert 'class="reach-chart"' in chart and 'class="sdg-fill-11"' in chart
    assert 'class="sdg-fill-13"' in chart and 'class="gd-fill"' in chart
    strategy_page = client.get(f"/strategies/{strategy.id}").get_data(as_text=True)
    assert rec.title in strategy_page


def test_linking_twice_or_to_nothing_is_refused(auth):
    member = auth.login("member")
    strategy = record(member)
    rec = make_rec(member, status="discussion")
    data = {"strategy_id": str(strategy.id), "relation": "evidence"}
    auth.post(f"/recommendations/{rec.id}/strategies", data)
    auth.post(f"/recommendations/{rec.id}/strategies", data)
    assert db.session.scalar(select(db.func.count()).select_from(StrategyLink)) == 1
    assert (
        auth.post(
            f"/recommendations/{rec.id}/strategies",
            {"strategy_id": "999999", "relation": "evidence"},
        ).status_code
        == 404
    )
    auth.post(
        f"/recommendations/{rec.id}/strategies",
        {"strategy_id": str(strategy.id), "relation": "gossip"},
    )
    assert db.session.scalar(select(db.func.count()).select_from(StrategyLink)) == 1


def test_unlinking(auth):
    member = auth.login("member")
    strategy = record(member)
    rec = make_rec(member, status="discussion")
    auth.post(
        f"/recommendations/{rec.id}/strategies",
        {"strategy_id": str(strategy.id), "relation": "evidence"},
    )
    link = db.session.scalar(select(StrategyLink))
    assert auth.post(f"/recommendations/{rec.id}/strategies/{link.id}/delete").status_code == 303
    assert db.session.scalar(select(StrategyLink)) is None


def test_reviewers_and_withdrawn_recommendations_cannot_link(auth):
    member = factories.make_user("member")
    strategy = record(member)
    rec = make_rec(member, status="agreed")
    auth.login("reviewer")
    assert (
        auth.post(
            f"/recommendations/{rec.id}/strategies",
            {"strategy_id": str(strategy.id), "relation": "evidence"},
        ).status_code
        == 403
    )


def test_a_recommendation_shows_goal_hints_from_its_text(client, auth):
    member = auth.login("member")
    rec = make_rec(
        member,
        title="Rozwój transportu publicznego i kolei aglomeracyjnej",
        body="Nowe linie tramwajowe, drogi rowerowe i transport publiczny.",
    )
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'class="goal-hints"' in page and "/strategies/?sdg=11" in page
