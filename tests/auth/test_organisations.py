"""Partners run their own records: facilitators and admins add organisations (name in
the original language, country, sector, website), correct them, merge a duplicate into
the right one and delete one nothing refers to; every change is audited."""

from sqlalchemy import select

from app.admin import organisations as service
from app.audit import AuditEvent
from app.auth.models import Organisation, User
from app.extensions import db
from app.recommendations.models import MinistryAnswer
from tests import factories
from tests.exports.helpers import MINISTRY, OTHER_MINISTRY, ministry
from tests.recommendations.helpers import make_rec


def named(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


FORM = {
    "name": "Statutární město Brno",
    "name_en": "City of Brno",
    "short_name": "",
    "country": "CZ",
    "sector_code": "local_government",
    "website": "https://www.brno.cz",
}


def test_a_facilitator_adds_an_organisation_in_its_own_language(client, auth):
    auth.login("facilitator", language="cs")
    assert auth.post("/admin/organisations/new", FORM).status_code == 303
    brno = named("Statutární město Brno")
    assert (brno.country, brno.sector_code, brno.website) == (
        "CZ",
        "local_government",
        FORM["website"],
    )
    assert "organisation.created" in actions()
    page = client.get("/admin/organisations").get_data(as_text=True)
    # The country in the reader's language (CLDR), the English name beside the own one.
    assert "Statutární město Brno" in page and "Česko" in page and "City of Brno" in page


def test_bad_input_is_refused_with_a_reason_and_nothing_written(auth):
    auth.login("admin", language="en")
    before = db.session.scalar(select(db.func.count()).select_from(Organisation))
    duplicate = auth.post("/admin/organisations/new", {**FORM, "name": MINISTRY.upper()})
    assert duplicate.status_code == 400
    assert "already on the list" in duplicate.get_data(as_text=True)
    bare = auth.post("/admin/organisations/new", {**FORM, "website": "www.brno.cz"})
    assert bare.status_code == 400
    assert "starting with https://" in bare.get_data(as_text=True)
    two_lines = auth.post("/admin/organisations/new", {**FORM, "name": "Brno\nKošice"})
    assert two_lines.status_code == 400
    assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == before


def test_members_and_reviewers_may_not_touch_the_list(auth):
    auth.login("member")
    assert auth.post("/admin/organisations/new", FORM).status_code == 403
    assert named("Statutární město Brno") is None


def test_an_organisation_in_use_is_merged_not_deleted(client, auth):
    duplicate = Organisation(name="Ministerstwo Funduszy i Polityki Regionalnej (MFiPR)")
    duplicate.sector_code = "ministry"
    db.session.add(duplicate)
    db.session.commit()
    person = factories.make_user("reviewer")
    person.organisation = duplicate
    db.session.commit()
    auth.login("admin", language="en")
    refused = auth.post(f"/admin/organisations/{duplicate.id}/delete", {})
    assert refused.status_code == 409
    assert "merge it into another organisation instead" in refused.get_data(as_text=True)
    assert db.session.get(Organisation, duplicate.id) is not None

    target = ministry()
    merged = auth.post(f"/admin/organisations/{duplicate.id}/merge", {"target_id": target.id})
    assert merged.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organisation, duplicate.id) is None
    assert db.session.get(User, person.id).organisation_id == target.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.merged"))
    assert event.object_id == target.id and event.data["moved"] == 1


def test_an_unused_organisation_can_be_deleted(auth):
    auth.login("facilitator")
    auth.post("/admin/organisations/new", FORM)
    brno = named("Statutární město Brno")
    assert auth.post(f"/admin/organisations/{brno.id}/delete", {}).status_code == 303
    assert named("Statutární město Brno") is None
    assert actions()[-1] == "organisation.deleted"


def test_two_ministries_that_answered_the_same_recommendation_are_not_merged():
    admin = factories.make_user("admin")
    rec = make_rec(factories.make_user("member"), status="agreed")
    first, second = ministry(), ministry(OTHER_MINISTRY)
    for organisation in (first, second):
        db.session.add(
            MinistryAnswer(
                recommendation_id=rec.id,
                organisation_id=organisation.id,
                verdict="accepted",
                reasoning="Tak.",
            )
        )
    db.session.commit()
    try:
        service.merge_organisations(second, first, admin)
    except service.OrganisationError as exc:
        assert "utraty oficjalnej odpowiedzi" in str(exc)  # said in Polish, the default
    else:
        raise AssertionError("the merge should have been refused")
    assert named(OTHER_MINISTRY) is not None
    assert "organisation.merged" not in actions()


def test_a_correction_is_audited_with_the_fields_it_changed(auth):
    auth.login("admin")
    auth.post("/admin/organisations/new", FORM)
    brno = named("Statutární město Brno")
    changed = {**FORM, "website": "https://brno.cz/en"}
    assert auth.post(f"/admin/organisations/{brno.id}", changed).status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "organisation.updated"))
    assert event.data == {"fields": ["website"]}
