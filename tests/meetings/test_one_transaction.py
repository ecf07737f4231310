"""A meeting decision and what it creates or changes are written together: when the
decision cannot be recorded, no challenge, draft or agreement is left behind."""

import pytest
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.meetings import services
from app.meetings.models import Decision
from app.problems.models import Challenge
from app.recommendations.models import Recommendation, StatusChange
from tests import factories
from tests.meetings.helpers import plan
from tests.recommendations.helpers import make_rec

TEXT = "Przygotować rekomendację o mieszkaniach dla absolwentów"


class Broken(Exception):
    pass


@pytest.fixture
def failing_decision_record(monkeypatch):
    """The last step of recording a decision fails, after its effect was written."""
    real = audit.record

    def record(actor, action, *args, **kwargs):
        if action == "meeting.decision_recorded":
            raise Broken(action)
        return real(actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", record)


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def started():
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    return meeting, facilitator


@pytest.mark.parametrize("kind", ["challenge", "recommendation"])
def test_a_failed_decision_leaves_no_challenge_or_draft(started, failing_decision_record, kind):
    meeting, facilitator = started
    with pytest.raises(Broken):
        services.record_decision(
            meeting,
            facilitator,
            text=TEXT,
            kind=kind,
            area=factories.area("G03"),
            category=factories.category("R2"),
        )
    assert count(Decision) == 0
    assert count(Challenge, Challenge.title == TEXT[:300]) == 0
    assert count(Recommendation, Recommendation.title == TEXT[:300]) == 0


def test_a_failed_agreement_leaves_the_recommendation_in_discussion(
    started, failing_decision_record
):
    meeting, facilitator = started
    rec = make_rec(factories.make_user("member"), status="discussion")
    with pytest.raises(Broken):
        services.record_decision(
            meeting, facilitator, text="Przyjęta.", kind="agreement", recommendation=rec
        )
    assert count(Decision) == 0
    assert db.session.get(Recommendation, rec.id).status == "discussion"
    assert count(StatusChange, StatusChange.to_status == "agreed") == 0


def test_a_decision_that_goes_through_writes_both(started):
    meeting, facilitator = started
    decision = services.record_decision(
        meeting,
        facilitator,
        text=TEXT,
        kind="recommendation",
        area=factories.area("G03"),
        category=factories.category("R2"),
    )
    db.session.rollback()  # nothing left uncommitted: both are in the database
    saved = db.session.get(Decision, decision.id)
    assert saved.recommendation_id is not None
    assert db.session.get(Recommendation, saved.recommendation_id).title == TEXT[:300]


def test_a_decision_refused_midway_is_an_inline_error_and_writes_nothing(
    started, auth, monkeypatch
):
    from app.meetings import live
    from app.recommendations.services import RecommendationError

    meeting, facilitator = started

    def refuse(actor, **kwargs):
        db.session.add(
            Challenge(
                problem_area_id=kwargs["area"].id, title="Ślad", description="", author_id=actor.id
            )
        )
        db.session.flush()  # something written before the refusal
        raise RecommendationError("Nie tym razem.")

    monkeypatch.setattr(live.recommendation_services, "create_recommendation", refuse)
    auth.login_as(facilitator)
    response = auth.post(
        f"/meetings/{meeting.id}/decisions",
        {
            "text": TEXT,
            "kind": "recommendation",
            "area_id": str(factories.area("G03").id),
            "category_id": str(factories.category("R2").id),
            "recommendation_id": "0",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Nie tym razem." in response.get_data(as_text=True)
    assert count(Decision) == 0 and count(Challenge, Challenge.title == "Ślad") == 0
