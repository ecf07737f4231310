"""@mentions in a comment link to the person they reached: by handle or by name, never
inside code or an existing link, and only for the people the comment was saved with."""

import re

from app.extensions import db
from app.recommendations import services
from tests import factories
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def links(page: str) -> dict[str, str]:
    """Link text -> href of the mention links on a page."""
    return {
        text: href for href, text in re.findall(r'<a href="(/people/[^"]+)"[^>]*>([^<]+)</a>', page)
    }


def test_mentions_link_to_the_people_named(auth):
    anna = factories.make_user("member", name="Anna Nowak", email="anna.nowak@lodz.pl")
    jan = factories.make_user("member", name="Jan Kowalski", email="jan.k@brno.cz")
    me = auth.login("member")
    rec = make_rec(me, status="discussion")
    body = (
        "Zgadzam się z @Anna Nowak, a @jan.k niech sprawdzi dane. "
        "Kod: `@anna.nowak` i [@jan.k](https://example.org) zostają jak są; @nikt też; "
        "adres https://social.example/@jan.k też."
    )
    response = auth.post(f"/recommendations/{rec.id}/comments", {"body": body}, headers=HTMX)
    assert response.status_code == 200
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert links(page) == {
        "@Anna Nowak": f"/people/{anna.handle}",
        "@jan.k": f"/people/{jan.handle}",
    }
    assert "<code>@anna.nowak</code>" in page
    assert "https://social.example/@jan.k" in page
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">@jan.k</a>' in page
    # The person's page is where the link leads.
    person = auth.client.get(f"/people/{anna.handle}").get_data(as_text=True)
    assert "Anna Nowak" in person and f"@{anna.handle}" in person


def test_an_edit_changes_who_is_linked(auth):
    anna = factories.make_user("member", name="Anna Nowak", email="anna.nowak@lodz.pl")
    jan = factories.make_user("member", name="Jan Kowalski", email="jan.k@brno.cz")
    me = auth.login("member")
    rec = make_rec(me, status="discussion")
    comment = services.add_comment(rec, me, "Pytanie do @anna.nowak")
    services.edit_comment(comment, me, "Pytanie do @jan.k")
    db.session.expire_all()
    page = auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert links(page) == {"@jan.k": f"/people/{jan.handle}"}
    assert anna.handle not in links(page).values()


def test_person_pages_are_for_joined_accounts_and_what_reviewers_may_see(auth, client):
    invitee = factories.make_user("member", name="Jeszcze Nie", password=None)
    author = factories.make_user("member", name="Autorka Szkicu")
    make_rec(author, status="discussion")
    auth.login("reviewer")
    assert client.get(f"/people/{author.handle}").status_code == 404
    agreed = make_rec(author, title="Uzgodniona", status="agreed")
    page = client.get(f"/people/{author.handle}").get_data(as_text=True)
    assert "Uzgodniona" in page and agreed.reference in page
    assert "Fundusz" not in page  # the one in discussion stays out of sight
    auth.logout()
    auth.login("member")
    assert client.get(f"/people/{invitee.handle}").status_code == 404
    assert client.get("/people/" + "x" * 80).status_code == 404
