"""When a digest goes out: in its slot only. A slot missed while the server was down is
caught up within GRACE (3 hours), later it is skipped and its notifications wait for the
next slot; new settings never send at once. Each tick reads only the members whose slot
is in the last GRACE."""

from datetime import timedelta

import pytest

from app.database import utcnow
from app.digests import digest
from app.digests.digest import WARSAW, queue_round
from tests import factories
from tests.digests.test_digests import at, digests_for, notify, subscriber, ticks
from tests.recommendations.helpers import make_rec


@pytest.fixture
def rec():
    return make_rec(factories.make_user("member"), status="discussion")


def test_after_a_restart_a_long_missed_weekly_slot_waits_for_the_next_week(rec):
    me = subscriber("weekly", hour=8, weekday=0)  # Mondays at 08:00
    notify(me, rec, when=at("2027-01-03T12:00"))
    # The server was down from Sunday until Wednesday 21:05; it ticks from then on.
    sent = [
        now for now in ticks(at("2027-01-06T20:05"), at("2027-01-11T06:55")) if queue_round(now=now)
    ]
    assert sent == []
    assert queue_round(now=at("2027-01-11T07:00")) == 1  # the next Monday, 08:00 Warsaw
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(me)] == ["2027-W02"]


@pytest.mark.parametrize(
    ("back", "sent"),
    [
        ("2027-01-15T07:00", True),  # in the slot
        ("2027-01-15T09:30", True),  # 2 h 30 late: caught up
        ("2027-01-15T10:00", True),  # exactly GRACE late: still caught up
        ("2027-01-15T10:05", False),  # later: skipped, the news waits for tomorrow
    ],
)
def test_a_missed_daily_slot_is_caught_up_within_the_grace_only(rec, back, sent):
    me = subscriber("daily", hour=8)
    notify(me, rec, when=at("2027-01-14T12:00"))
    assert bool(queue_round(now=at(back))) is sent
    if not sent:
        assert queue_round(now=at("2027-01-16T07:00")) == 1
        assert [d.key.rsplit(":", 1)[1] for d in digests_for(me)] == ["2027-01-16"]


def test_the_grace_crosses_midnight_and_the_week_boundary(rec):
    late = subscriber("daily", hour=23)
    sunday = subscriber("weekly", hour=23, weekday=6)
    for person in (late, sunday):
        notify(person, rec, when=at("2027-01-10T12:00"))
    # Sunday 10 January, 23:00 Warsaw; the server is back on Monday at 01:30 (new ISO week).
    assert queue_round(now=at("2027-01-11T00:30")) == 2
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(late)] == ["2027-01-10"]
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(sunday)] == ["2027-W01"]


def test_back_after_the_grace_past_midnight_skips_yesterdays_slot(rec):
    late = subscriber("daily", hour=23)
    notify(late, rec, when=at("2027-01-10T12:00"))
    # Back on Monday at 02:30 Warsaw: Sunday's 23:00 slot ended its grace at 02:00.
    assert queue_round(now=at("2027-01-11T01:30")) == 0
    assert queue_round(now=at("2027-01-11T22:00")) == 1  # Monday 23:00
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(late)] == ["2027-01-11"]


def test_new_settings_never_send_at_once(client, auth, rec):
    me = auth.login("member")
    notify(me, rec, when=utcnow() - timedelta(hours=1))
    hour = utcnow().astimezone(WARSAW).hour  # the slot that has just begun
    response = auth.post(
        "/account/",
        data={
            "name": me.name,
            "language": "pl",
            "digest_frequency": "daily",
            "digest_hour": str(hour),
        },
    )
    assert response.status_code == 302
    assert queue_round(now=utcnow()) == 0
    assert digests_for(me) == []
    # The first digest goes in the next slot, tomorrow at that hour.
    assert queue_round(now=utcnow() + timedelta(days=1)) == 1


def test_an_idle_tick_reads_no_member(rec, monkeypatch):
    for hour in (6, 7, 8):
        for _ in range(10):
            notify(subscriber("daily", hour=hour), rec)
    checked = []
    real = digest.last_slot
    monkeypatch.setattr(digest, "last_slot", lambda *a: checked.append(a) or real(*a))
    # A Tuesday, 18:00 Warsaw: every slot is long past; nobody is loaded or checked.
    assert queue_round(now=at("2027-02-02T17:00")) == 0
    assert checked == []
    # 09:00 Warsaw: only the 30 members whose slot is within the last 3 hours are read.
    assert queue_round(now=at("2027-02-02T08:00")) == 30
    assert len(checked) == 30
