"""Mentions reach the account they were written for: handles are unique and stable, and
a name several people share is refused with the handles to choose from."""

from sqlalchemy import select

from app.auth.models import User, handle_base
from app.digests.models import Notification
from app.extensions import db
from app.recommendations import services
from app.recommendations.models import Comment
from tests import factories
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def mentioned_ids():
    return set(
        db.session.scalars(
            select(Notification.user_id).where(Notification.kind == "comment.mention")
        )
    )


def post(auth, rec, body):
    return auth.post(f"/recommendations/{rec.id}/comments", {"body": body}, headers=HTMX)


def test_every_account_gets_a_unique_handle_from_its_address():
    first = factories.make_user(email="tomasz.zajac@krakow.pl")
    second = factories.make_user(email="Tomasz.Zajac@gdansk.pl")
    third = factories.make_user(email="tomasz.zajac@brno.cz")
    assert (first.handle, second.handle, third.handle) == (
        "tomasz.zajac",
        "tomasz.zajac2",
        "tomasz.zajac3",
    )
    assert handle_base("Łucja.Żak@x.pl") == "lucja.zak"
    assert handle_base("!!!@x.pl") == "member"


def test_a_handle_stays_when_the_name_and_address_change():
    user = factories.make_user(email="ewa@example.org", name="Ewa Nowak")
    user.name, user.email = "Ewa Kowalska", "ewa.kowalska@example.org"
    db.session.commit()
    assert db.session.get(User, user.id).handle == "ewa"


def test_copying_a_display_name_does_not_redirect_mentions(auth):
    real = factories.make_user("member", name="Tomasz Zając", email="tomasz.zajac@krakow.pl")
    copycat = factories.make_user("member", name="Jan Kot", email="kot@example.org")
    copycat.name = "Tomasz Zając"
    db.session.commit()
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")

    refused = post(auth, rec, "Pytanie do @Tomasz Zając o dane.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "@tomasz.zajac" in page and "@kot" in page  # the choice, by handle
    assert "Pytanie do @Tomasz Zając o dane." in page  # the typed text is kept
    assert db.session.scalar(select(Comment.id)) is None
    assert mentioned_ids() == set()

    assert post(auth, rec, "Pytanie do @tomasz.zajac o dane.").status_code == 200
    assert mentioned_ids() == {real.id}


def test_a_handle_wins_over_a_display_name_that_copies_it(auth):
    real = factories.make_user("member", name="Anna Nowak", email="anna@example.org")
    factories.make_user("member", name="anna", email="someone@example.org")
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    assert post(auth, rec, "Zgoda, @anna.").status_code == 200
    assert mentioned_ids() == {real.id}


def test_a_unique_name_still_mentions_and_addresses_are_not_mentions(auth):
    named = factories.make_user("member", name="Zofia Łęcka", email="zofia@example.org")
    factories.make_user("member", name="Org Person", email="example.org@example.org")
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    assert post(auth, rec, "Do @zofia łęcka; pisz na biuro@example.org.").status_code == 200
    assert mentioned_ids() == {named.id}


def test_invitees_and_deactivated_accounts_are_not_mentioned():
    invitee = factories.make_user("member", name="Piotr Zaproszony", password=None)
    gone = factories.make_user("member", name="Adam Odszedł", active=False)
    rec = make_rec(factories.make_user("member"), status="discussion")
    services.add_comment(
        rec, factories.make_user("member"), f"@{invitee.handle} @Adam Odszedł @{gone.handle}"
    )
    assert mentioned_ids() == set()


def test_the_autocomplete_offers_namesakes_with_handle_and_organisation(auth):
    factories.make_user(
        "member", name="Tomasz Zając", email="tomasz.zajac@krakow.pl", organisation="krk UrbanHub"
    )
    factories.make_user("member", name="Tomasz Zając", email="tz@example.org")
    factories.make_user("member", name="Tomasz Zaproszony", password=None)
    auth.login("member")
    for query in ("zaj", "@Zając", "tomasz za", "ZAJĄC"):
        people = auth.client.get("/comments/people", query_string={"q": query}).get_json()["people"]
        assert sorted((p["handle"], p["organisation"]) for p in people) == [
            ("tomasz.zajac", "krk UrbanHub"),
            ("tz", ""),
        ], query
    assert auth.client.get("/comments/people?q=").get_json() == {"people": []}


def test_the_comment_box_knows_where_to_ask(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert 'data-mention-source="/comments/people"' in page
