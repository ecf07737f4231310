"""The workflow: who may move which step, notes, merges, the timeline."""

from sqlalchemy import select

from app.audit import AuditEvent
from app.digests.models import Notification
from app.extensions import db
from app.recommendations.models import Recommendation, StatusChange
from tests import factories
from tests.conftest import Auth
from tests.recommendations.helpers import make_rec


def move(auth, rec, target, **data):
    return auth.post(f"/recommendations/{rec.id}/status", {"target": target, **data})


def test_author_opens_discussion_and_facilitator_agrees(app, client, auth):
    author = auth.login("member")
    rec = make_rec(author)
    assert move(auth, rec, "discussion").status_code == 303
    assert db.session.get(Recommendation, rec.id).status == "discussion"

    facilitator_client = app.test_client()
    facilitator = Auth(facilitator_client)
    boss = facilitator.login("facilitator")
    assert move(facilitator, rec, "agreed", note="Uzgodniona 29.01.").status_code == 303
    assert db.session.get(Recommendation, rec.id).status == "agreed"

    changes = db.session.scalars(
        select(StatusChange)
        .where(StatusChange.recommendation_id == rec.id)
        .order_by(StatusChange.id)
    ).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        (None, "draft"),
        ("draft", "discussion"),
        ("discussion", "agreed"),
    ]
    assert (changes[-1].actor_id, changes[-1].note) == (boss.id, "Uzgodniona 29.01.")
    page = client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    timeline = page[page.index('id="timeline"') :]
    assert "Uzgodniona 29.01." in timeline and boss.name in timeline
    # The author follows it and is told.
    assert db.session.scalar(
        select(Notification).where(
            Notification.user_id == author.id, Notification.kind == "recommendation.status"
        )
    )
    assert db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "recommendation.status_changed", AuditEvent.object_id == rec.id)
        .limit(1)
    )


def test_forged_transitions_are_refused_and_change_nothing(auth):
    author = auth.login("member")
    rec = make_rec(author)
    for target in ("agreed", "merged", "answered", "submitted", "nonsense", ""):
        response = move(auth, rec, target)
        assert response.status_code in (303, 400, 403), target
        assert db.session.get(Recommendation, rec.id).status == "draft", target


def test_non_author_member_cannot_move_someone_elses_recommendation(auth):
    rec = make_rec(factories.make_user("member"))
    auth.login("member")
    assert move(auth, rec, "discussion").status_code == 403
    assert db.session.get(Recommendation, rec.id).status == "draft"


def test_sending_back_to_discussion_needs_a_reason(auth):
    facilitator = auth.login("facilitator")
    rec = make_rec(factories.make_user("member"), status="agreed", facilitator=facilitator)
    response = move(auth, rec, "discussion", note="  ")
    assert response.status_code == 400
    assert "Podaj powód" in response.get_data(as_text=True) or "Say why" in response.get_data(
        as_text=True
    )
    assert db.session.get(Recommendation, rec.id).status == "agreed"
    assert move(auth, rec, "discussion", note="Brak danych o kosztach.").status_code == 303
    assert db.session.get(Recommendation, rec.id).status == "discussion"


def test_author_withdraws_and_restores(auth):
    author = auth.login("member")
    rec = make_rec(author, status="discussion")
    assert move(auth, rec, "withdrawn").status_code == 303
    assert db.session.get(Recommendation, rec.id).status == "withdrawn"
    assert move(auth, rec, "draft").status_code == 303
    assert db.session.get(Recommendation, rec.id).status == "draft"


def test_merge_keeps_supports_and_discussion_reachable(client, auth):
    from app.recommendations import services

    auth.login("facilitator")
    member = factories.make_user("member")
    source = make_rec(member, title="Źródło", status="discussion")
    target = make_rec(member, title="Cel", status="discussion")
    services.set_support(source, member, True)
    services.add_comment(source, member, "Ważny głos w dyskusji.")
    response = move(auth, source, "merged", merged_into=str(target.id), note="Dubel")
    assert response.status_code == 303
    merged = db.session.get(Recommendation, source.id)
    assert (merged.status, merged.merged_into_id) == ("merged", target.id)
    target_page = client.get(f"/recommendations/{target.id}").get_data(as_text=True)
    assert "Źródło" in target_page and f"/recommendations/{source.id}" in target_page
    source_page = client.get(f"/recommendations/{source.id}").get_data(as_text=True)
    assert "Ważny głos w dyskusji." in source_page and "Cel" in source_page
    assert 'class="support-count"' in source_page


def test_merge_into_itself_or_nothing_is_refused(auth):
    auth.login("facilitator")
    rec = make_rec(factories.make_user("member"), status="discussion")
    assert move(auth, rec, "merged", merged_into=str(rec.id)).status_code == 400
    assert move(auth, rec, "merged").status_code == 400
    assert move(auth, rec, "merged", merged_into="999999").status_code == 400
    assert db.session.get(Recommendation, rec.id).status == "discussion"
