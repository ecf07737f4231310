""" "Needs your action" is decided when it is read, from the object's state now: an
invitation answered, an amendment decided, a meeting held, a package answered or an
action item done is listed neither in the digest nor on the dashboard."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.digests.digest import plan_round, queue_round
from app.digests.models import Notification
from app.exports.models import PackageItem, SubmissionPackage
from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.recommendations import services as recommendations
from tests import factories
from tests.digests.test_digests import digests_for, hour_now, subscriber
from tests.exports.helpers import MINISTRY, agreed_set, send_package
from tests.meetings.helpers import plan
from tests.recommendations.helpers import make_rec, text


def asked_in_digest(person) -> list[str]:
    """The kinds under "Needs your action" in the digest ``person`` would get now."""
    (digest,) = [d for d in plan_round().digests if d.user.id == person.id]
    return [n.kind for n in digest.actions]


def asked_on_dashboard(auth, person) -> str:
    auth.login_as(person)
    page = auth.client.get("/").get_data(as_text=True)
    auth.logout()
    start = page.index('id="asks-heading"')
    return page[start : page.index("</section>", start)]


def _other_news(person):
    """Something besides the request, so the digest is due either way (about an agreed
    recommendation, which every role sees)."""
    rec = make_rec(factories.make_user("member"), status="agreed")
    recommendations.add_comment(rec, factories.make_user("member"), "Dobry pomysł.")
    db.session.add(
        Notification(
            user_id=person.id,
            kind="comment.new",
            target_type="recommendation",
            target_id=rec.id,
            url=f"/recommendations/{rec.id}",
            data={"title": rec.title},
        )
    )
    db.session.commit()


def _invited():
    me = subscriber("daily", hour=hour_now())
    author = factories.make_user("member")
    rec = make_rec(author, title="Fundusz powrotów")
    recommendations.invite_coauthor(rec, author, me)
    return me, rec


def coauthor_accepts(auth):
    me, rec = _invited()
    return (
        me,
        "coauthor.invited",
        "Fundusz powrotów",
        lambda: recommendations.answer_coauthor_invitation(rec, me, accept=True),
    )


def coauthor_declines(auth):
    me, rec = _invited()
    return (
        me,
        "coauthor.invited",
        "Fundusz powrotów",
        lambda: recommendations.answer_coauthor_invitation(rec, me, accept=False),
    )


def amendment_decided(auth):
    me = subscriber("daily", hour=hour_now())
    rec = make_rec(me, title="Kampus w centrum", status="discussion")
    amendment = recommendations.propose_amendment(
        rec, factories.make_user("member"), text(title="Kampus w centrum miasta"), "Jaśniej."
    )
    return (
        me,
        "amendment.proposed",
        "Kampus w centrum",
        lambda: recommendations.reject_amendment(amendment, me, "Zostajemy przy krótszym."),
    )


def meeting_answered(auth):
    me = subscriber("daily", hour=hour_now())
    meeting, facilitator = plan(title="Spotkanie grudniowe")
    meetings.invite_member(meeting, facilitator, me, "participant")
    return (
        me,
        "meeting.invited",
        "Spotkanie grudniowe",
        lambda: meetings.answer_invitation(meeting, me, "accepted"),
    )


def meeting_held(auth):
    me = subscriber("daily", hour=hour_now())
    meeting, facilitator = plan(title="Spotkanie grudniowe")
    meetings.invite_member(meeting, facilitator, me, "participant")

    def held():
        # The meeting took place without an answer: nothing is left to answer.
        row = db.session.get(Meeting, meeting.id)
        row.starts_at -= timedelta(days=8)
        row.ends_at -= timedelta(days=8)
        row.status = "held"
        db.session.commit()

    return me, "meeting.invited", "Spotkanie grudniowe", held


def package_answered(auth):
    _, facilitator, _, _ = agreed_set()
    me = factories.make_user("reviewer", organisation=MINISTRY)
    me.digest_frequency, me.digest_hour = "daily", hour_now()
    db.session.commit()
    send_package(auth, facilitator, area="G01")
    auth.logout()
    package = db.session.scalar(select(SubmissionPackage))

    def answered():
        auth.login_as(me)
        for item in db.session.scalars(
            select(PackageItem).where(PackageItem.package_id == package.id)
        ):
            prefix = f"a{item.recommendation_id}"
            auth.post(
                f"/exports/packages/{package.id}/answers/{item.recommendation_id}",
                {f"{prefix}-verdict": "accepted", f"{prefix}-reasoning": "Przyjmujemy."},
            )
        assert auth.post(f"/exports/packages/{package.id}/publish").status_code == 303
        auth.logout()

    return me, "package.received", f"Pakiet {package.number} dla Twojego", answered


@pytest.mark.parametrize(
    "scenario",
    [
        coauthor_accepts,
        coauthor_declines,
        amendment_decided,
        meeting_answered,
        meeting_held,
        package_answered,
    ],
)
def test_a_request_dealt_with_is_no_longer_listed(auth, scenario):
    me, kind, title, deal_with = scenario(auth)
    _other_news(me)
    assert asked_in_digest(me) == [kind]
    assert title in asked_on_dashboard(auth, me)

    deal_with()
    db.session.expire_all()

    assert asked_in_digest(me) == []
    box = asked_on_dashboard(auth, me)
    assert title not in box and "Nic nie czeka na Twoją odpowiedź" in box
    # The digest still goes (there is other news) and covers the stale request, so it
    # is not read again next time.
    assert queue_round() == 1
    stale = db.session.scalar(select(Notification).where(Notification.kind == kind))
    assert stale.digested_at is not None
    assert len(digests_for(me)) == 1


def test_an_action_item_is_asked_until_done(auth):
    me = subscriber("daily", hour=hour_now())
    meeting, facilitator = plan(title="Spotkanie grudniowe")
    first = meetings.add_action_item(
        meeting, facilitator, title="Zebrać dane", owner=me, due_on=None
    )
    meetings.add_action_item(meeting, facilitator, title="Napisać notę", owner=me, due_on=None)
    assert asked_in_digest(me) == ["action.assigned", "action.assigned"]
    meetings.set_action_done(first, facilitator, True)
    (left,) = [d for d in plan_round().digests if d.user.id == me.id][0].actions
    assert left.data["title"] == "Napisać notę"


def test_a_notification_without_its_object_asks_nothing(auth):
    """A request whose object is gone (or never existed) is not shown as waiting."""
    me = subscriber("daily", hour=hour_now())
    rec = make_rec(factories.make_user("member"))
    _other_news(me)
    db.session.add(
        Notification(
            user_id=me.id,
            kind="coauthor.invited",
            target_type="recommendation",
            target_id=rec.id,
            url=f"/recommendations/{rec.id}",
            data={"title": rec.title},
        )
    )
    db.session.commit()
    assert asked_in_digest(me) == []


def test_the_dashboard_box_costs_the_same_with_more_requests(auth, count_queries):
    me = factories.make_user("member")
    meeting, facilitator = plan()
    meetings.invite_member(meeting, facilitator, me, "participant")
    auth.login_as(me)
    auth.client.get("/")
    with count_queries() as few:
        auth.client.get("/")
    for n in range(6):
        author = factories.make_user("member")
        rec = make_rec(author, title=f"Rekomendacja {n}")
        recommendations.invite_coauthor(rec, author, me)
        other, other_facilitator = plan(title=f"Spotkanie {n}")
        meetings.invite_member(other, other_facilitator, me, "participant")
    with count_queries() as many:
        page = auth.client.get("/").get_data(as_text=True)
    assert "Rekomendacja 5" in page and "Spotkanie 5" in page
    assert many.count == few.count + 1  # the co-author invitations' kind, asked once
