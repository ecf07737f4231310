import re

from tests import factories


def test_problem_areas_list_all_seven(client, auth):
    auth.login("member")
    page = client.get("/problems/").get_data(as_text=True)
    for code in ("G01", "G02", "G03", "G04", "G05", "G06", "G07"):
        assert f'href="/problems/{code}"' in page
    assert "Przyciąganie i zatrzymywanie potencjału ludzkiego" in page


def test_problem_area_shows_challenges_and_recommendations_by_category(client, auth):
    member = auth.login("member")
    factories.make_challenge("G03", title="Odpływ talentów", author=member)
    factories.make_recommendation("G03", "R2", title="Fundusz powrotów")
    factories.make_recommendation("G03", "R2", title="Drugi pomysł")
    factories.make_recommendation("G02", "R2", title="Nie z tego obszaru")
    page = client.get("/problems/G03").get_data(as_text=True)
    assert "Odpływ talentów" in page
    r2 = page[page.index('id="cat-R2"') : page.index('id="cat-R3"')]
    assert "Fundusz powrotów" in r2 and "G03/R2/1" in r2 and "G03/R2/2" in r2
    assert "Nie z tego obszaru" not in page
    r1 = page[page.index('id="cat-R1"') : page.index('id="cat-R2"')]
    assert "W tej kategorii nie ma jeszcze rekomendacji" in r1


def test_problem_area_empty_state_explains_what_challenges_are(client, auth):
    auth.login("member")
    page = client.get("/problems/G05").get_data(as_text=True)
    assert 'class="empty-state"' in page


def test_problem_area_code_is_case_insensitive(client, auth):
    auth.login("member")
    assert client.get("/problems/g03").status_code == 200


def test_dashboard_matrix_counts_and_links(client, auth):
    auth.login("member")
    for _ in range(3):
        factories.make_recommendation("G06", "R3")
    factories.make_recommendation("G06", "R1")
    page = client.get("/").get_data(as_text=True)
    cell = re.search(
        r'href="/recommendations/\?area=G06&amp;category=R3"[^>]*>\s*'
        r'<span class="cell-total" aria-hidden="true">(\d+)</span>',
        page,
    )
    assert cell and cell.group(1) == "3"
    row_total = re.search(r'href="/recommendations/\?area=G06"[^>]*>(\d+)</a>', page)
    assert row_total.group(1) == "4"


def test_reviewers_never_see_drafts_in_counts_or_lists(client, auth):
    factories.make_recommendation("G04", "R1", status="draft", title="Tajny szkic")
    factories.make_recommendation("G04", "R1", status="agreed", title="Uzgodniona rzecz")
    auth.login("reviewer")
    page = client.get("/").get_data(as_text=True)
    cell = re.search(
        r'href="/recommendations/\?area=G04&amp;category=R1"[^>]*>\s*'
        r'<span class="cell-total" aria-hidden="true">(\d+)</span>',
        page,
    )
    assert cell.group(1) == "1"
    listing = client.get("/recommendations/?area=G04").get_data(as_text=True)
    assert "Uzgodniona rzecz" in listing and "Tajny szkic" not in listing
    assert "Tajny szkic" not in client.get("/problems/G04").get_data(as_text=True)
    assert "Tajny szkic" not in client.get("/recommendations/?status=draft").get_data(as_text=True)


def test_dashboard_lists_upcoming_meetings_but_not_past_ones(client, auth):
    auth.login("member")
    factories.make_meeting(title="Przyszłe spotkanie")
    page = client.get("/").get_data(as_text=True)
    assert "Przyszłe spotkanie" in page
    assert "KPM 2021" not in page.split('id="upcoming-heading"')[1]


def test_recommendation_list_filters(client, auth):
    auth.login("member")
    factories.make_recommendation("G01", "R5", title="Porty lotnicze", status="discussion")
    factories.make_recommendation("G01", "R4", title="Szkolenia kadr")
    factories.make_recommendation("G02", "R5", title="Kolej regionalna")
    page = client.get("/recommendations/?area=G01&category=R5").get_data(as_text=True)
    assert "Porty lotnicze" in page and "Szkolenia kadr" not in page
    assert "Kolej regionalna" not in page
    assert "Kolej" in client.get("/recommendations/?q=KOLEJ").get_data(as_text=True)
    discussion = client.get("/recommendations/?status=discussion").get_data(as_text=True)
    assert "Porty lotnicze" in discussion and "Szkolenia kadr" not in discussion
    # Nonsense filters are ignored rather than failing.
    assert client.get("/recommendations/?status=nonsense&page=abc&author=x").status_code == 200


def test_recommendation_list_returns_a_fragment_to_htmx(client, auth):
    auth.login("member")
    response = client.get("/recommendations/?area=G01", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body


def test_recommendation_list_pages(client, auth):
    auth.login("member")
    for n in range(30):
        factories.make_recommendation("G07", "R2", title=f"Pozycja {n:02d}", commit=False)
    page1 = client.get("/recommendations/?area=G07").get_data(as_text=True)
    assert "Strona 1 z 2" in page1 and 'rel="next"' in page1
    page2 = client.get("/recommendations/?area=G07&page=2").get_data(as_text=True)
    assert page2.count('class="ref"') == 5


def test_seeded_meeting_page_shows_agenda_parts_and_sector_breakdown(client, auth):
    auth.login("member")
    listing = client.get("/meetings/").get_data(as_text=True)
    link = re.search(r'href="(/meetings/\d+)">Spotkanie podzespołu', listing).group(1)
    page = client.get(link).get_data(as_text=True)
    assert "Część 1" in page and "Część 2" in page
    assert "Janusz Kahl" in page and "Kopenhaga" in page
    assert "10:00" in page  # shown in Warsaw time, stored in UTC
    assert "Ministerstwo Funduszy i Polityki Regionalnej" in page
    assert "Ministerstwo / administracja centralna" in page or "inisterstwo" in page
    breakdown = page[page.index('class="sector-breakdown"') :]
    assert "Nauka" in breakdown


def test_unknown_meeting_is_404(client, auth):
    auth.login("member")
    assert client.get("/meetings/999999").status_code == 404
