"""Short reference lists are kept in the process (``app.kept``): a page does not read
them again, and a change is shown at once in the process that made it and within
``MAX_AGE`` everywhere else."""

import re

import pytest
from sqlalchemy import select

from app import kept
from app.auth.models import Organisation
from app.extensions import db
from app.problems import queries as problem_queries
from app.problems.models import ProblemArea
from tests import factories
from tests.recommendations.helpers import make_rec

FORM = {
    "name": "Magistrát města Ostravy",
    "name_en": "City of Ostrava",
    "short_name": "",
    "country": "CZ",
    "sector_code": "local_government",
    "website": "https://www.ostrava.cz",
}


def filter_options(page: str) -> list[str]:
    select_html = re.search(r'<select id="f-organisation".*?</select>', page, re.S).group(0)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select_html)


@pytest.mark.parametrize(
    "page, tables",
    [
        ("/recommendations/", ("organisations", "problem_areas", "recommendation_categories")),
        ("/", ("problem_areas", "recommendation_categories")),
        ("/recommendations/{rec}", ("sdg_goals", "green_deal_areas")),
        ("/strategies/", ("sdg_goals", "green_deal_areas", "smart_dimensions")),
    ],
)
def test_pages_do_not_read_the_kept_lists_again(client, auth, count_queries, page, tables):
    auth.login("member")
    rec = make_rec(factories.make_user("member"), status="discussion")
    url = page.format(rec=rec.id)
    first = client.get(url)
    assert first.status_code == 200
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    read = " ".join(counter.statements).lower()
    for table in tables:
        assert f"from {table}" not in read, table


def test_an_organisation_added_corrected_or_deleted_shows_at_once(client, auth):
    auth.login("facilitator")
    assert "Magistrát města Ostravy" not in filter_options(
        client.get("/recommendations/").get_data(as_text=True)
    )
    assert auth.post("/admin/organisations/new", FORM).status_code == 303
    options = filter_options(client.get("/recommendations/").get_data(as_text=True))
    assert "Magistrát města Ostravy" in options
    ostrava = db.session.scalar(select(Organisation).where(Organisation.name == FORM["name"]))
    renamed = {**FORM, "name": "Statutární město Ostrava"}
    assert auth.post(f"/admin/organisations/{ostrava.id}", renamed).status_code == 303
    options = filter_options(client.get("/recommendations/").get_data(as_text=True))
    assert "Statutární město Ostrava" in options and "Magistrát města Ostravy" not in options
    assert auth.post(f"/admin/organisations/{ostrava.id}/delete").status_code == 303
    options = filter_options(client.get("/recommendations/").get_data(as_text=True))
    assert "Statutární město Ostrava" not in options


def test_a_change_rolled_back_is_not_kept(app):
    before = [row.code for row in problem_queries.area_rows()]
    savepoint = db.session.begin_nested()
    db.session.add(
        ProblemArea(
            subgroup_id=factories.area("G01").subgroup_id,
            code="G99",
            position=99,
            title_pl="Tymczasowy",
            title_en="Temporary",
        )
    )
    db.session.flush()
    assert [row.code for row in problem_queries.area_rows()][-1] == "G99"
    savepoint.rollback()
    assert [row.code for row in problem_queries.area_rows()] == before


def test_what_another_process_changed_is_read_again_after_max_age(app, monkeypatch):
    first = problem_queries.area_rows()
    # Another process (``flask seed``) renames an area: no flush here tells this one.
    db.session.connection().execute(
        ProblemArea.__table__.update()
        .where(ProblemArea.__table__.c.code == "G01")
        .values(title_en="Renamed elsewhere")
    )
    assert problem_queries.area_rows() is first
    now = kept.clock()
    monkeypatch.setattr(kept, "clock", lambda: now + kept.MAX_AGE + 1)
    again = problem_queries.area_rows()
    assert again is not first
    assert next(row for row in again if row.code == "G01").title_en == "Renamed elsewhere"


def test_kept_rows_are_read_only(app):
    area = problem_queries.area_rows()[0]
    try:
        area.code = "X"
    except AttributeError:
        pass
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("a kept row could be changed")
    assert problem_queries.area_rows()[0].code != "X"
