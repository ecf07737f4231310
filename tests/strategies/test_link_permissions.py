"""Who may remove a strategy linked to a recommendation as evidence: the link's maker,
the recommendation's authors and facilitators, and nobody once it is submitted."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.strategies import services as strategy_services
from app.strategies.models import StrategyLink
from tests import factories
from tests.recommendations.helpers import make_rec
from tests.test_permissions import sample_strategy


@pytest.fixture
def linked():
    author = factories.make_user("member", name="Autorka")
    linker = factories.make_user("member", name="Łączący")
    rec = make_rec(author, status="discussion")
    link = strategy_services.link_strategy(rec, sample_strategy(author), linker, "evidence")
    return rec, link, author, linker


def unlink(auth, rec, link):
    return auth.post(f"/recommendations/{rec.id}/strategies/{link.id}/delete", {"on": "1"})


def still_there(link) -> bool:
    return db.session.scalar(select(StrategyLink.id).where(StrategyLink.id == link.id)) is not None


def test_another_member_may_not_remove_someone_elses_link(auth, linked):
    rec, link, _, _ = linked
    auth.login("member")
    assert unlink(auth, rec, link).status_code == 403
    assert still_there(link)
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f"/strategies/{link.id}/delete" not in page


@pytest.mark.parametrize("who", ["linker", "author", "facilitator"])
def test_the_maker_the_authors_and_facilitators_may(auth, linked, who):
    rec, link, author, linker = linked
    person = {"linker": linker, "author": author}.get(who) or factories.make_user("facilitator")
    auth.login_as(person)
    assert f"/strategies/{link.id}/delete" in auth.client.get(f"/recommendations/{rec.id}").text
    assert unlink(auth, rec, link).status_code == 303
    assert not still_there(link)


@pytest.mark.parametrize("status", ["submitted", "answered"])
def test_nobody_removes_evidence_once_the_recommendation_is_submitted(auth, linked, status):
    rec, link, _, _ = linked
    rec.status = status
    db.session.commit()
    auth.login("facilitator")
    assert unlink(auth, rec, link).status_code == 403
    assert still_there(link)
