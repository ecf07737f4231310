"""Create forms are carried out once per rendering: a double click, a browser's resend
or three parallel submits of the same form create one object, and every repeat is sent
to it. A refused submit claims nothing, so the corrected form still goes through."""

import re
import threading

import pytest
from lxml import html
from sqlalchemy import func, select

from app.exports.models import SubmissionPackage
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting
from app.once import FormSubmission, forget_old_submissions
from app.problems.models import Challenge
from app.recommendations.models import Amendment, Comment, Recommendation
from app.strategies.models import SmartStrategy as Strategy
from tests import factories
from tests.conftest import Auth, FreshRequestClient, build_app, separate_database
from tests.exports.helpers import ministry
from tests.meetings.helpers import plan
from tests.recommendations.helpers import make_rec

TITLE = "Podwójne kliknięcie"


def form_data(page: str, **changes) -> dict:
    """What a browser would send from the page's form that carries a submission key:
    every field's current value, then ``changes``."""
    tree = html.fromstring(page)
    (form,) = [f for f in tree.forms if f.xpath(".//input[@name='submission_key']")]
    data = {}
    for element in form.xpath(".//input|.//select|.//textarea"):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "checkbox", "radio", "file"):
            continue
        if element.tag == "select":
            # As a browser does: the selected option, else the first.
            chosen = element.xpath(".//option[@selected]") or element.xpath(".//option")
            if chosen and element.get("multiple") is None:
                data[name] = chosen[0].get("value")
        elif element.tag == "textarea":
            data[name] = element.text or ""
        else:
            data[name] = element.get("value", "")
    data.update(changes)
    return data


def option_value(page: str, name: str, label_start: str) -> str:
    tree = html.fromstring(page)
    for option in tree.xpath(f"//select[@name='{name}']/option"):
        if option.text_content().strip().startswith(label_start):
            return option.get("value")
    raise AssertionError(f"no option {label_start!r} in {name}")


def recommendation_case(auth):
    auth.login("member")
    page = auth.client.get("/recommendations/new").get_data(as_text=True)
    data = form_data(
        page,
        title=TITLE,
        summary="Streszczenie.",
        problem_area=option_value(page, "problem_area", "G03"),
        category=option_value(page, "category", "R2"),
    )
    return "/recommendations/new", data, select(Recommendation).where(Recommendation.title == TITLE)


def challenge_case(auth):
    auth.login("member")
    url = "/problems/G03/challenges/new"
    data = form_data(auth.client.get(url).get_data(as_text=True), title=TITLE, description="Opis.")
    return url, data, select(Challenge).where(Challenge.title == TITLE)


def meeting_case(auth):
    auth.login("facilitator")
    data = form_data(
        auth.client.get("/meetings/new").get_data(as_text=True),
        title=TITLE,
        starts_at="2027-03-10T10:00",
        ends_at="2027-03-10T12:00",
        mode="online",
        link="https://meet.example/abc",
    )
    return "/meetings/new", data, select(Meeting).where(Meeting.title == TITLE)


def agenda_case(auth):
    facilitator = auth.login("facilitator")
    meeting, _ = plan(facilitator, published=False, items=())
    url = f"/meetings/{meeting.id}/agenda/new"
    data = form_data(
        auth.client.get(url).get_data(as_text=True),
        title=TITLE,
        kind="discussion",
        planned_minutes="20",
    )
    return url, data, select(AgendaItem).where(AgendaItem.title == TITLE)


def strategy_case(auth):
    auth.login("member")
    data = form_data(
        auth.client.get("/strategies/new").get_data(as_text=True),
        title_original=TITLE,
        place="Brno",
        country="CZ",
        level="municipal",
    )
    return "/strategies/new", data, select(Strategy).where(Strategy.title_original == TITLE)


def amendment_case(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    url = f"/recommendations/{rec.id}/amendments/new"
    data = form_data(auth.client.get(url).get_data(as_text=True), title=TITLE, justification="Bo.")
    return url, data, select(Amendment).where(Amendment.title == TITLE)


def comment_case(auth):
    rec = make_rec(factories.make_user("member"), status="discussion")
    auth.login("member")
    data = form_data(
        auth.client.get(f"/recommendations/{rec.id}").get_data(as_text=True), body=TITLE
    )
    return f"/recommendations/{rec.id}/comments", data, select(Comment).where(Comment.body == TITLE)


def package_case(auth):
    facilitator = factories.make_user("facilitator")
    make_rec(factories.make_user("member"), area="G05", status="agreed", facilitator=facilitator)
    auth.login_as(facilitator)
    page = auth.client.get("/exports/packages/new?area=G05").get_data(as_text=True)
    data = form_data(
        page, title=TITLE, cover_letter="List.", organisation=str(ministry().id), area="G05"
    )
    return (
        "/exports/packages/new",
        data,
        select(SubmissionPackage).where(SubmissionPackage.title == TITLE),
    )


CASES = [
    recommendation_case,
    challenge_case,
    meeting_case,
    agenda_case,
    strategy_case,
    amendment_case,
    comment_case,
    package_case,
]


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.removesuffix("_case"))
def test_a_repeated_submit_creates_once_and_leads_to_the_first_result(auth, case):
    url, data, created = case(auth)
    assert data["submission_key"]
    first = auth.client.post(url, data=data)
    assert first.status_code == 303, re.findall(
        r"field-error\">([^<]*)", first.get_data(as_text=True)
    )
    second = auth.client.post(url, data=data)
    assert second.status_code == 303
    assert second.headers["Location"].split("#")[0] == first.headers["Location"].split("#")[0]
    assert count(created) == 1


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.removesuffix("_case"))
def test_each_rendering_of_a_form_has_its_own_key(auth, case):
    url, data, created = case(auth)
    # The comment form is on the recommendation's page; the others have a page of their own.
    page = url.removesuffix("/comments") if url.endswith("/comments") else url
    query = {"area": "G05"} if "packages" in url else None
    again = form_data(auth.client.get(page, query_string=query).get_data(as_text=True))
    assert again["submission_key"] != data["submission_key"]


def test_a_refused_submit_keeps_the_key_free_for_the_corrected_one(auth):
    url, data, created = recommendation_case(auth)
    refused = auth.client.post(url, data={**data, "title": ""})
    assert refused.status_code == 400
    kept = form_data(refused.get_data(as_text=True))
    assert kept["submission_key"] == data["submission_key"]  # the same rendering, resent
    assert auth.client.post(url, data={**kept, "title": TITLE}).status_code == 303
    assert count(created) == 1


def test_a_comment_repeated_over_htmx_shows_the_thread_once(auth):
    url, data, created = comment_case(auth)
    headers = {"HX-Request": "true"}
    assert auth.client.post(url, data=data, headers=headers).status_code == 200
    repeat = auth.client.post(url, data=data, headers=headers)
    assert repeat.status_code == 200
    fragment = repeat.get_data(as_text=True)
    assert len(re.findall(r'<article class="comment[^"]*" id="comment-', fragment)) == 1
    assert count(created) == 1


def test_forms_without_a_key_still_work_and_a_malformed_key_is_a_form_error(auth):
    url, data, created = recommendation_case(auth)
    assert auth.client.post(url, data={**data, "submission_key": "<script>"}).status_code == 400
    assert count(created) == 0
    del data["submission_key"]
    assert auth.client.post(url, data=data).status_code == 303
    assert auth.client.post(url, data=data).status_code == 303
    assert count(created) == 2  # no key, no protection: as before


def test_someone_elses_key_is_refused(auth, client):
    url, data, created = recommendation_case(auth)
    assert auth.client.post(url, data=data).status_code == 303
    other = Auth(client.application.test_client())
    other.login("member")
    response = other.client.post(url, data={**data, "csrf_token": other.csrf()})
    assert response.status_code == 409
    assert count(created) == 1


def test_claims_are_forgotten_after_a_day(auth):
    from datetime import timedelta

    from app.database import utcnow

    user = factories.make_user("member")
    db.session.add_all(
        [
            FormSubmission(key="o" * 20, user_id=user.id, created_at=utcnow() - timedelta(days=2)),
            FormSubmission(key="n" * 20, user_id=user.id),
        ]
    )
    db.session.commit()
    assert forget_old_submissions() == 1
    assert db.session.scalars(select(FormSubmission.key)).all() == ["n" * 20]


@pytest.mark.own_app
@pytest.mark.parametrize(
    "case", [recommendation_case, meeting_case], ids=["recommendation", "meeting"]
)
def test_three_parallel_submits_create_one(database_url, tmp_path, case):
    app = build_app(separate_database(database_url, "once", tmp_path), tmp_path)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        client = app.test_client()
        url, data, created = case(Auth(client))
        cookie = client.get_cookie("session").value
        db.session.remove()

    barrier = threading.Barrier(3)
    answers = []

    def submit():
        with app.app_context():
            mine = app.test_client()
            mine.set_cookie("session", cookie)
            barrier.wait()
            response = mine.post(url, data=data)
            answers.append((response.status_code, response.headers.get("Location")))
            db.session.remove()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with app.app_context():
        made = count(created)
        db.session.remove()
        db.engine.dispose()
    assert [status for status, _ in answers] == [303, 303, 303]
    assert len({location for _, location in answers}) == 1
    assert made == 1
