"""Digest mails: due at the member's local hour, once per period, across DST and week
boundaries; only unread, not yet mailed notifications; empty digests skipped; a
one-click unsubscribe that works without logging in."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.audit import AuditEvent
from app.digests.digest import period_of, plan_round, queue_round
from app.digests.models import Notification
from app.extensions import db
from app.mailqueue import PENDING, SENT, OutgoingMail, deliver_due
from app.recommendations.models import RecommendationAuthor
from tests import factories
from tests.recommendations.helpers import make_rec

BASE = "http://testserver"  # BASE_URL in the test configuration


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def subscriber(frequency="daily", hour=8, weekday=0, language="pl"):
    user = factories.make_user("member", language=language)
    user.digest_frequency, user.digest_hour, user.digest_weekday = frequency, hour, weekday
    db.session.commit()
    return user


def hour_now() -> int:
    """The hour it is now in Warsaw: a digest due at this hour is in its slot now."""
    return datetime.now(ZoneInfo("Europe/Warsaw")).hour


def notify(user, rec, kind="comment.new", when=None, read=False):
    item = Notification(
        user_id=user.id,
        kind=kind,
        target_type="recommendation",
        target_id=rec.id,
        url=f"/recommendations/{rec.id}#comment-{rec.id}",
        data={"title": rec.title},
        created_at=when or at("2027-01-31T00:00:00"),
        read_at=(when or at("2027-01-31T00:00:00")) if read else None,
    )
    db.session.add(item)
    db.session.commit()
    return item


def ticks(start: datetime, end: datetime, minutes=5):
    now = start
    while now <= end:
        yield now
        now += timedelta(minutes=minutes)


def digests_for(user) -> list[OutgoingMail]:
    return list(
        db.session.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.user_id == user.id, OutgoingMail.kind == "digest")
            .order_by(OutgoingMail.id)
        )
    )


@pytest.mark.parametrize(
    ("frequency", "hour", "weekday", "now", "label", "send_at"),
    [
        # Winter (CET, UTC+1) and summer (CEST, UTC+2): 08:00 stays 08:00 local.
        ("daily", 8, 0, "2027-01-15T06:59", "2027-01-15", "2027-01-15T07:00"),
        ("daily", 8, 0, "2027-07-15T12:00", "2027-07-15", "2027-07-15T06:00"),
        # Spring forward: 02:00 does not exist on 28 March 2027; it goes at 03:00 CEST.
        ("daily", 2, 0, "2027-03-28T05:00", "2027-03-28", "2027-03-28T01:00"),
        ("daily", 8, 0, "2027-03-28T05:00", "2027-03-28", "2027-03-28T06:00"),
        # Fall back: 02:00 happens twice on 31 October 2027; the first one counts.
        ("daily", 2, 0, "2027-10-31T05:00", "2027-10-31", "2027-10-31T00:00"),
        ("daily", 8, 0, "2027-10-31T05:00", "2027-10-31", "2027-10-31T07:00"),
        # Local midnight is the day boundary, not UTC midnight.
        ("daily", 8, 0, "2027-01-15T23:30", "2027-01-16", "2027-01-16T07:00"),
        # Weekly: the ISO week of the local date, sent on the chosen weekday.
        ("weekly", 9, 4, "2027-01-04T10:00", "2027-W01", "2027-01-08T08:00"),
        ("weekly", 9, 4, "2027-01-10T22:30", "2027-W01", "2027-01-08T08:00"),
        ("weekly", 9, 4, "2027-01-10T23:30", "2027-W02", "2027-01-15T08:00"),
        # The ISO year differs from the calendar year around New Year.
        ("weekly", 9, 0, "2027-01-01T12:00", "2026-W53", "2026-12-28T08:00"),
    ],
)
def test_periods_and_send_times_are_local(frequency, hour, weekday, now, label, send_at):
    assert period_of(frequency, hour, weekday, at(now)) == (label, at(send_at))


def test_a_daily_digest_goes_once_with_only_unread_new_items(smtp_server):
    me = subscriber("daily", hour=8)
    DAY_BEFORE = at("2027-01-14T12:00")  # noqa: N806
    author = factories.make_user("member")
    rec = make_rec(author, area="G03", title="Fundusz powrotów", status="discussion")
    other = make_rec(author, area="G05", title="Kampus w centrum", status="discussion")
    comment = notify(me, rec, "comment.new", when=DAY_BEFORE)
    status = notify(me, other, "recommendation.status", when=DAY_BEFORE)
    notify(me, other, "comment.reply", when=DAY_BEFORE, read=True)  # seen in the app: not repeated
    # An invitation still open (answered ones are left out: tests/digests/test_needs_action).
    db.session.add(RecommendationAuthor(recommendation_id=rec.id, user_id=me.id, state="invited"))
    notify(me, rec, "coauthor.invited", when=DAY_BEFORE)

    assert queue_round(now=at("2027-01-15T06:55")) == 0  # 07:55 in Warsaw: not yet
    assert queue_round(now=at("2027-01-15T07:00")) == 1
    assert deliver_due()["sent"] == 1
    (message,) = smtp_server.messages
    assert message["To"] == me.email
    assert message["Subject"] == "Warsztat – dzienne podsumowanie: 3 nowe pozycje"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    # What needs action comes first, then the problem areas in order.
    assert text.index("Wymaga Twojego działania") < text.index("G03") < text.index("G05")
    assert "zaproszenie do współautorstwa" in text
    assert "odpowiedź na Twój komentarz" not in text
    # Links go through the notification, which marks it read and leads to the comment.
    assert f"{BASE}/notifications/{comment.id}" in text
    assert f'href="{BASE}/notifications/{status.id}"' in html
    assert message["List-Unsubscribe"].startswith(f"<{BASE}/account/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Later the same day, and the next day with nothing new: nothing more is sent.
    for now in ("2027-01-15T19:00", "2027-01-16T08:00"):
        assert queue_round(now=at(now)) == 0
    # Something new: it comes in the next day's digest, without the old items.
    notify(me, rec, "recommendation.revised", when=at("2027-01-16T12:00"))
    assert queue_round(now=at("2027-01-17T07:00")) == 1
    deliver_due()
    assert len(smtp_server.messages) == 2
    latest = smtp_server.messages[1].get_body(("plain",)).get_content()
    assert "nowa wersja" in latest and "współautorstwa" not in latest


def test_english_digests_are_in_english(smtp_server):
    me = subscriber("weekly", hour=7, weekday=0, language="en")
    rec = make_rec(factories.make_user("member"), title="Return fund", status="discussion")
    notify(me, rec, "comment.new", when=at("2027-01-10T12:00"))
    assert queue_round(now=at("2027-01-11T06:00")) == 1
    deliver_due()
    message = smtp_server.messages[0]
    assert message["Subject"] == "Warsztat weekly digest: 1 new item"
    assert "commented on “Return fund”" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(
    ("start", "end", "expected", "period"),
    [
        # Spring forward: 02:00 does not exist; sent at 03:00 CEST.
        ("2027-03-27T23:00", "2027-03-28T22:00", "2027-03-28T01:00", "2027-03-28"),
        # Fall back: 02:00 happens twice; sent at the first, not again at the second.
        ("2027-10-30T22:00", "2027-10-31T22:00", "2027-10-31T00:00", "2027-10-31"),
    ],
)
def test_both_dst_changes_send_exactly_one_digest_that_day(start, end, expected, period):
    me = subscriber("daily", hour=2)
    rec = make_rec(factories.make_user("member"), status="discussion")
    notify(me, rec, when=at(start) - timedelta(hours=1))
    sent_at = []
    for now in ticks(at(start), at(end)):
        if queue_round(now=now):
            sent_at.append(now)
            # More news during the repeated hour must wait for the next day.
            notify(me, rec, when=now)
    assert sent_at == [at(expected)]
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(me)] == [period]


def test_weekly_digests_go_every_week_not_only_once():
    me = subscriber("weekly", hour=9, weekday=2)  # Wednesdays at 09:00
    rec = make_rec(factories.make_user("member"), status="discussion")
    for week in range(3):
        monday = at("2027-01-04T00:00") + timedelta(weeks=week)
        notify(me, rec, when=monday)
        for now in ticks(monday, monday + timedelta(days=7) - timedelta(minutes=5), minutes=60):
            queue_round(now=now)
    periods = [d.key.rsplit(":", 1)[1] for d in digests_for(me)]
    assert periods == ["2027-W01", "2027-W02", "2027-W03"]
    assert all(d.next_attempt_at <= datetime.now(UTC) for d in digests_for(me))


def test_an_empty_digest_is_not_sent_and_off_means_off():
    idle = subscriber("daily", hour=13)
    off = subscriber("off")
    rec = make_rec(factories.make_user("member"), status="discussion")
    notify(off, rec)
    notify(idle, rec, read=True)
    assert queue_round(now=at("2027-02-01T12:00")) == 0
    assert digests_for(idle) == [] and digests_for(off) == []


def test_a_failed_send_is_retried_and_goes_once(app, smtp_server, monkeypatch):
    me = subscriber("daily", hour=13)
    notify(me, make_rec(factories.make_user("member"), status="discussion"))
    queue_round(now=at("2027-02-01T12:00"))
    port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens there
    assert deliver_due()["retry"] == 1
    (digest,) = digests_for(me)
    assert digest.status == PENDING and digest.last_error
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    digest.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert deliver_due()["sent"] == 1
    assert deliver_due()["sent"] == 0
    assert len(smtp_server.messages) == 1 and digests_for(me)[0].status == SENT


def test_unsubscribing_needs_no_login_and_is_audited(client, smtp_server):
    me = subscriber("daily", hour=13)
    notify(me, make_rec(factories.make_user("member"), status="discussion"))
    queue_round(now=at("2027-02-01T12:00"))
    deliver_due()
    link = smtp_server.messages[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix(BASE)
    # Opening the link (as a mail scanner would) changes nothing.
    page = client.get(path)
    assert page.status_code == 200 and "Wypisz" in page.get_data(as_text=True)
    db.session.refresh(me)
    assert me.digest_frequency == "daily"
    # The mail client's one-click POST carries no CSRF token and no session.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    db.session.refresh(me)
    assert me.digest_frequency == "off"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "digest.unsubscribed"))
    assert event.actor_id == me.id and event.data["old"] == "daily"
    assert client.post(path[:-3] + "xyz").status_code == 404  # tampered


def test_settings_choose_the_hour_and_weekday(client, auth):
    me = auth.login("member")
    response = auth.post(
        "/account/",
        data={
            "name": me.name,
            "language": "pl",
            "digest_frequency": "weekly",
            "digest_hour": "18",
            "digest_weekday": "4",
        },
    )
    assert response.status_code == 302
    db.session.refresh(me)
    assert (me.digest_frequency, me.digest_hour, me.digest_weekday) == ("weekly", 18, 4)
    bad = auth.post(
        "/account/",
        data={"name": me.name, "language": "pl", "digest_frequency": "daily", "digest_hour": "25"},
    )
    assert bad.status_code == 400
    db.session.refresh(me)
    assert me.digest_hour == 18


def test_dry_run_prints_and_sends_nothing(app):
    me = subscriber("daily", hour=hour_now())
    rec = make_rec(factories.make_user("member"), status="discussion")
    notify(me, rec, when=datetime.now(UTC) - timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["digests", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert me.email in result.output and "nothing was sent" in result.output
    assert db.session.scalar(select(func.count()).select_from(OutgoingMail)) == 0


def test_planning_a_round_takes_the_same_queries_for_more_members(count_queries):
    rec = make_rec(factories.make_user("member"), status="discussion")

    def round_for(n):
        for _ in range(n):
            user = subscriber("daily", hour=13)
            notify(user, rec)
            notify(user, rec, "coauthor.invited")
        with count_queries() as counter:
            planned = plan_round(now=at("2027-02-01T12:00"))
        db.session.execute(Notification.__table__.update().values(read_at=at("2027-02-01")))
        db.session.commit()
        return len(planned.digests), len(counter.statements)

    few, few_queries = round_for(2)
    many, many_queries = round_for(12)
    assert (few, many) == (2, 12)
    assert few_queries == many_queries


def test_a_round_with_many_members_sends_each_their_own(smtp_server):
    rec = make_rec(factories.make_user("member"), title="Wspólna sprawa", status="discussion")
    people = [subscriber("daily", hour=13) for _ in range(3)]
    for person in people:
        notify(person, rec)
    assert queue_round(now=at("2027-02-01T12:00")) == 3
    assert deliver_due()["sent"] == 3
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(p.email for p in people)


def test_admins_see_rounds_and_retry_a_failed_digest(app, client, auth, smtp_server, monkeypatch):
    me = subscriber("daily", hour=13)
    notify(me, make_rec(factories.make_user("member"), status="discussion"))
    queue_round(now=at("2027-02-01T12:00"))
    port = app.config["MAIL_PORT"]
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    assert deliver_due()["failed"] == 1
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    auth.login("admin")
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Rundy podsumowań" in page and "Ponów teraz" in page
    (digest,) = digests_for(me)
    response = auth.post(f"/admin/mail/{digest.id}/retry")
    assert response.status_code == 303
    db.session.refresh(digest)
    assert digest.status == SENT and len(smtp_server.messages) == 1
    assert auth.post(f"/admin/mail/{digest.id}/retry").status_code == 303
    assert len(smtp_server.messages) == 1  # sent already: not again
    assert client.post(f"/admin/mail/{digest.id}/retry").status_code == 400  # no CSRF token
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mail.retried"))
    assert event is not None


def test_meeting_changes_and_action_items_reach_the_digest(smtp_server):
    from app.meetings import services as meetings
    from app.meetings.models import Meeting
    from tests.meetings.helpers import plan

    meeting, facilitator = plan(title="Posiedzenie jesienne", days=5)
    me = subscriber("daily", hour=hour_now())
    declined = subscriber("daily", hour=hour_now())
    meetings.invite_member(meeting, facilitator, me, "participant")
    meetings.invite_member(meeting, facilitator, declined, "participant")
    meetings.answer_invitation(db.session.get(Meeting, meeting.id), declined, "declined")
    fields = meetings.MeetingFields(
        title=meeting.title,
        mode="online",
        starts_at=meeting.starts_at + timedelta(hours=2),
        ends_at=meeting.ends_at + timedelta(hours=2),
    )
    meetings.update_meeting(meeting, facilitator, fields, expected_version=meeting.version)
    meetings.add_action_item(meeting, facilitator, title="Zebrać dane", owner=me, due_on=None)
    kinds = set(db.session.scalars(select(Notification.kind).where(Notification.user_id == me.id)))
    assert kinds == {"meeting.invited", "meeting.moved", "action.assigned"}
    assert "meeting.moved" not in set(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == declined.id))
    )
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert queue_round(now=later) >= 1
    deliver_due()
    (mine,) = [m for m in smtp_server.messages if m["To"] == me.email]
    text = mine.get_body(("plain",)).get_content()
    action = text.index("Wymaga Twojego działania")
    assert action < text.index("Zebrać dane") < text.index("== Spotkania ==")
    assert text.index("== Spotkania ==") < text.index("nowy termin")
    assert "Najbliższe spotkania" in text and "Posiedzenie jesienne" in text


def test_the_account_page_lists_follows_and_mutes_them(client, auth):
    from app.follows import Follow, followers

    me = auth.login("member")
    rec = make_rec(factories.make_user("member"), title="Fundusz powrotów", status="discussion")
    auth.post(f"/recommendations/{rec.id}/follow", {"on": "1"})
    auth.post("/problems/G02/follow", {"on": "1"})
    page = client.get("/account/").get_data(as_text=True)
    assert "Fundusz powrotów" in page and "G02" in page
    assert f'href="/recommendations/{rec.id}"' in page and 'href="/problems/G02"' in page
    row = db.session.scalar(
        select(Follow).where(Follow.user_id == me.id, Follow.target_type == "recommendation")
    )
    assert auth.post(f"/account/follows/{row.id}", {"on": "1"}).status_code == 303
    assert me.id not in followers("recommendation", rec.id)
    assert "wyciszone" in client.get("/account/").get_data(as_text=True)
    auth.post(f"/account/follows/{row.id}", {"on": "0"})
    assert me.id in followers("recommendation", rec.id)
    # Another member's follow is not mine to mute.
    auth.logout()
    auth.login("member")
    assert auth.post(f"/account/follows/{row.id}", {"on": "1"}).status_code == 404
    db.session.refresh(row)
    assert not row.muted


def test_an_empty_slot_waits_for_the_next_period_not_the_next_notification():
    me = subscriber("weekly", hour=8, weekday=0)  # Mondays at 08:00
    rec = make_rec(factories.make_user("member"), status="discussion")
    assert queue_round(now=at("2027-01-04T07:05")) == 0  # Monday, nothing new
    notify(me, rec, when=at("2027-01-06T14:00"))  # news on Wednesday
    for now in ticks(at("2027-01-06T14:00"), at("2027-01-11T06:55"), minutes=60):
        assert queue_round(now=now) == 0, now
    assert queue_round(now=at("2027-01-11T07:00")) == 1  # the next Monday, 08:00
    assert [d.key.rsplit(":", 1)[1] for d in digests_for(me)] == ["2027-W02"]


def test_unsubscribing_or_deactivating_cancels_a_waiting_digest(client, app, monkeypatch):
    from app.auth import services as accounts
    from app.mailqueue import CANCELLED

    me = subscriber("daily", hour=13)
    other = subscriber("daily", hour=13)
    rec = make_rec(factories.make_user("member"), status="discussion")
    notify(me, rec)
    notify(other, rec)
    queue_round(now=at("2027-02-01T12:00"))
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    deliver_due()  # both fail once and wait for a retry
    accounts.unsubscribe_from_digests(me)
    accounts.update_user(other, role="member", active=False, actor=factories.make_user("admin"))
    assert [d.status for d in digests_for(me) + digests_for(other)] == [CANCELLED, CANCELLED]


def test_a_long_backlog_is_bounded_and_repeated_edits_collapse():
    from app.digests import digest

    me = subscriber("daily", hour=13)
    rec = make_rec(factories.make_user("member"), title="Długa historia", status="discussion")
    notify(me, rec, when=at("2027-01-01T12:00"))  # older than the look-back: left out
    for minute in range(5):
        notify(me, rec, "recommendation.revised", when=at(f"2027-02-01T10:0{minute}"))
    for n in range(digest.MAX_ITEMS + 3):
        notify(me, rec, "comment.new", when=at("2027-02-01T11:00") + timedelta(seconds=n))
    (planned,) = plan_round(now=at("2027-02-01T12:00")).digests
    lines = [n for section in planned.sections for n in section.items]
    assert len(lines) == digest.MAX_ITEMS
    assert [n.kind for n in lines].count("recommendation.revised") == 1
    assert planned.more == 4  # 1 collapsed edit + 43 comments - 40 lines
    assert planned.item_count == 5 + digest.MAX_ITEMS + 3
