"""The list: filters in the URL, sorting, paging, and diacritic-insensitive full-text search."""

from app.recommendations import services
from tests import factories
from tests.recommendations.helpers import make_rec


def titles(page: str) -> list[str]:
    import re

    return re.findall(r'<a href="/recommendations/\d+"><strong>([^<]+)</strong>', page)


def test_search_ignores_diacritics_and_reaches_body_and_comments(client, auth):
    author = factories.make_user("member")
    make_rec(author, title="Rewitalizacja", body="Program dla miasta Łódź i okolic.")
    commented = make_rec(author, title="Kolej", body="Połączenia.", status="discussion")
    services.add_comment(commented, author, "Warto dodać Żyrardów.")
    make_rec(author, title="Inne", body="Nic wspólnego.")
    auth.login("member")
    assert titles(client.get("/recommendations/?q=lodz").get_data(as_text=True)) == [
        "Rewitalizacja"
    ]
    assert titles(client.get("/recommendations/?q=ŁÓDŹ").get_data(as_text=True)) == [
        "Rewitalizacja"
    ]
    assert titles(client.get("/recommendations/?q=zyrardow").get_data(as_text=True)) == ["Kolej"]
    assert titles(client.get("/recommendations/?q=rewital miasta").get_data(as_text=True)) == [
        "Rewitalizacja"
    ]
    assert titles(client.get('/recommendations/?q=" OR 1=1 --').get_data(as_text=True)) == []


def test_filter_by_author_and_organisation(client, auth):
    ala = factories.make_user("member", name="Ala", organisation="krk UrbanHub")
    ola = factories.make_user("member", name="Ola")
    make_rec(ala, title="Ali")
    make_rec(ola, title="Oli")
    auth.login("member")
    assert titles(client.get(f"/recommendations/?author={ala.id}").get_data(as_text=True)) == [
        "Ali"
    ]
    org = ala.organisation_id
    assert titles(client.get(f"/recommendations/?organisation={org}").get_data(as_text=True)) == [
        "Ali"
    ]


def test_filter_by_part_of_an_authors_name(client, auth):
    ala = factories.make_user("member", name="Alicja Nowakowska")
    ola = factories.make_user("member", name="Ola Kowal")
    make_rec(ala, title="Ali")
    make_rec(ola, title="Oli")
    auth.login("member")
    assert titles(client.get("/recommendations/?who=nowak").get_data(as_text=True)) == ["Ali"]
    assert titles(client.get("/recommendations/?who=%25").get_data(as_text=True)) == []
    page = client.get(f"/recommendations/?author={ola.id}").get_data(as_text=True)
    assert titles(page) == ["Oli"]
    assert "Ola Kowal" in page  # the chosen author is named, with a way back to everyone
    # The filter field does not list every contributor.
    assert "Alicja Nowakowska" not in client.get("/recommendations/?who=kowal").get_data(
        as_text=True
    )


def test_sorting(client, auth):
    author = factories.make_user("member")
    popular = make_rec(author, title="Popularna", status="discussion")
    make_rec(author, title="Cicha", status="discussion")
    for _ in range(3):
        services.set_support(popular, factories.make_user("member"), True)
    auth.login("member")
    assert (
        titles(client.get("/recommendations/?sort=support").get_data(as_text=True))[0]
        == "Popularna"
    )
    assert titles(client.get("/recommendations/?sort=title").get_data(as_text=True)) == [
        "Cicha",
        "Popularna",
    ]
    assert client.get("/recommendations/?sort=drop table").status_code == 200


def test_filters_stay_in_the_pager_links(client, auth):
    author = factories.make_user("member")
    for n in range(27):
        make_rec(author, title=f"Poz {n:02d}", area="G05", category="R1")
    auth.login("member")
    page = client.get("/recommendations/?area=G05&sort=title").get_data(as_text=True)
    assert 'href="/recommendations/?area=G05&amp;sort=title&amp;page=2"' in page


def test_a_problem_area_page_shows_a_bounded_list_per_category(client, auth):
    from app.recommendations.queries import PER_CATEGORY

    author = factories.make_user("member")
    for i in range(PER_CATEGORY + 5):
        factories.make_recommendation("G06", "R4", title=f"Rekomendacja {i:02d}", author=author)
    factories.make_recommendation("G06", "R1", title="Jedyna w R1", author=author)
    auth.login("member", language="en")
    page = client.get("/problems/G06").get_data(as_text=True)
    assert "Rekomendacja 00" in page and f"Rekomendacja {PER_CATEGORY - 1:02d}" in page
    assert f"Rekomendacja {PER_CATEGORY:02d}" not in page
    assert f"All {PER_CATEGORY + 5} recommendations in R4" in page
    assert "/recommendations/?area=G06&amp;category=R4&amp;sort=number" in page
    assert "Jedyna w R1" in page and "recommendations in R1" not in page


def test_an_author_id_in_the_url_does_not_reveal_a_pending_invitees_name(client, auth):
    from app.recommendations import services as rec_services

    author = factories.make_user("member", name="Jawna Autorka")
    invitee = factories.make_user("member", name="Ukryty Zaproszony")
    rec = make_rec(author, status="discussion")
    rec_services.invite_coauthor(rec, author, invitee)
    auth.login("member")
    page = client.get(f"/recommendations/?author={invitee.id}").get_data(as_text=True)
    assert "Ukryty Zaproszony" not in page
    page = client.get(f"/recommendations/?author={author.id}").get_data(as_text=True)
    assert "Jawna Autorka" in page
    reviewer = factories.make_user("reviewer", name="Recenzentka Ministerstwa")
    page = client.get(f"/recommendations/?author={reviewer.id}").get_data(as_text=True)
    assert "Recenzentka Ministerstwa" not in page


def test_a_search_counts_every_match_on_every_page(client, auth):
    """The count a search shows is of all its matches, on every page and past the last."""
    author = factories.make_user("member")
    for n in range(30):
        make_rec(author, title=f"Ciepłownia {n:02d}", body="Sieć ciepłownicza miasta.")
    make_rec(author, title="Kolej", body="Połączenia kolejowe.")
    auth.login("member", language="en")
    first = client.get("/recommendations/?q=cieplown").get_data(as_text=True)
    assert "30 recommendations" in first and len(titles(first)) == 25
    assert 'href="/recommendations/?q=cieplown&amp;page=2"' in first
    second = client.get("/recommendations/?q=cieplown&page=2").get_data(as_text=True)
    assert "30 recommendations" in second and len(titles(second)) == 5
    beyond = client.get("/recommendations/?q=cieplown&page=9").get_data(as_text=True)
    assert "30 recommendations" in beyond and titles(beyond) == []
    none = client.get("/recommendations/?q=tramwaj").get_data(as_text=True)
    assert "0 recommendations" in none and titles(none) == []
    # A query with no word in it (only punctuation) lists everything, counted apart.
    everything = client.get("/recommendations/?q=%2B%2B").get_data(as_text=True)
    assert "31 recommendations" in everything
