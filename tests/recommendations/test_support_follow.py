"""Support (one per member, by sector) and following."""

from sqlalchemy import func, select

from app.extensions import db
from app.follows import Follow, is_following
from app.recommendations import services
from app.recommendations.models import Recommendation, Support
from tests import factories
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def test_support_once_per_member_with_sector_breakdown(client, auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    services.set_support(rec, factories.make_user("member", organisation="krk UrbanHub"), True)
    auth.login("member", organisation="Ministerstwo Funduszy i Polityki Regionalnej")
    for _ in range(2):  # a double click counts once
        response = auth.post(f"/recommendations/{rec.id}/support", {"on": "1"}, headers=HTMX)
        assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and 'id="support"' in fragment
    assert db.session.get(Recommendation, rec.id).support_count == 2
    assert db.session.scalar(select(func.count()).select_from(Support)) == 2
    assert "Otoczenie biznesu" in fragment or "Business environment" in fragment
    withdraw = auth.post(f"/recommendations/{rec.id}/support", {"on": "0"}, headers=HTMX)
    assert withdraw.status_code == 200
    assert db.session.get(Recommendation, rec.id).support_count == 1


def test_supporting_does_not_make_editors_conflict(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    version = rec.version
    services.set_support(rec, factories.make_user("member"), True)
    assert db.session.get(Recommendation, rec.id).version == version


def test_drafts_and_reviewers_cannot_be_supported(auth):
    draft = make_rec(factories.make_user("member"))
    auth.login("member")
    assert auth.post(f"/recommendations/{draft.id}/support", {"on": "1"}).status_code == 403
    agreed = make_rec(factories.make_user("member"), status="agreed")
    auth.logout()
    auth.login("reviewer")
    assert auth.post(f"/recommendations/{agreed.id}/support", {"on": "1"}).status_code == 403


def test_follow_and_unfollow_over_htmx(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    me = auth.login("member")
    response = auth.post(f"/recommendations/{rec.id}/follow", {"on": "1"}, headers=HTMX)
    assert response.status_code == 200 and "Obserwujesz" in response.get_data(as_text=True)
    assert db.session.scalar(select(Follow).where(Follow.user_id == me.id))
    auth.post(f"/recommendations/{rec.id}/follow", {"on": "0"}, headers=HTMX)
    row = db.session.scalar(select(Follow).where(Follow.user_id == me.id))
    assert row.muted and not is_following(me, "recommendation", rec.id)
    # Commenting afterwards does not follow the recommendation again.
    services.add_comment(rec, me, "Jeszcze jedna uwaga.")
    db.session.refresh(row)
    assert row.muted and not is_following(me, "recommendation", rec.id)


def test_following_a_problem_area_and_a_challenge(auth):
    me = auth.login("member")
    challenge = factories.make_challenge("G02")
    assert auth.post("/problems/G02/follow", {"on": "1"}).status_code == 303
    assert auth.post(f"/challenges/{challenge.id}/follow", {"on": "1"}).status_code == 303
    kinds = set(db.session.scalars(select(Follow.target_type).where(Follow.user_id == me.id)))
    assert kinds == {"problem_area", "challenge"}
