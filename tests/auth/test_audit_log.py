"""Administration for a real subgroup: an audit log that filters by kind of action,
person and date, speaks the reader's language, and downloads as CSV; a member's
organisation (and so sector) changed after the invitation."""

import ast
import csv
import io
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from app.admin import audit_labels
from app.audit import AuditEvent
from app.auth.models import Organisation
from app.extensions import db
from tests import factories
from tests.recommendations.helpers import make_rec

ROOT = Path(__file__).resolve().parents[2]


def recorded_actions() -> set[str]:
    """Every action named in an ``audit.record`` call under app/ (literal or built from
    two literals, as the classification review does)."""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "record"
                and getattr(node.func.value, "id", None) == "audit"
                and len(node.args) >= 2
            ):
                continue
            action = node.args[1]
            for part in ast.walk(action):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.add(part.value)
    return found


def test_every_recorded_action_has_a_label_and_a_family():
    actions = {a for a in recorded_actions() if "." in a and not a.endswith("_")}
    actions |= {"strategy.classification_approved", "strategy.classification_returned"}
    actions |= {"follow.muted", "follow.unmuted"}
    assert actions - set(audit_labels.ACTIONS) == set(), "name these in app/admin/audit_labels.py"
    prefixes = [p for family in audit_labels.FAMILIES for p in family.prefixes]
    unfiled = {a for a in actions if not a.startswith(tuple(prefixes))}
    assert unfiled == set()


def _events():
    admin = factories.make_user("admin", name="Ada Admin", language="en")
    member = factories.make_user("member", name="Maria Członkini")
    rec = make_rec(member, status="discussion")
    old = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recommendation.created"))
    old.created_at = datetime(2027, 1, 10, 12, 0, tzinfo=old.created_at.tzinfo)
    db.session.commit()
    return admin, member, rec


def test_the_log_filters_by_family_person_and_date_in_words(auth):
    admin, member, rec = _events()
    auth.login_as(admin)
    page = auth.client.get("/admin/audit", query_string={"family": "recommendations"})
    text = page.get_data(as_text=True)
    assert "Recommendation created" in text and "Status changed" in text
    assert "Logged in" not in text  # another family
    assert f'href="/recommendations/{rec.id}"' in text  # the object, linked
    assert "<dt>before</dt><dd>draft</dd>" in text and "<dt>after</dt><dd>discussion</dd>" in text
    assert "{&#34;" not in text  # no raw JSON
    mine = auth.client.get("/admin/audit", query_string={"person": admin.id}).get_data(as_text=True)
    assert "Logged in" in mine and "Recommendation created" not in mine
    dated = auth.client.get(
        "/admin/audit", query_string={"since": "2027-01-10", "until": "2027-01-10"}
    ).get_data(as_text=True)
    assert "Recommendation created" in dated and "Status changed" not in dated
    for bad in (
        {"family": "nope"},
        {"since": "10.01.2027"},
        {"person": "x"},
        {"since": "2027-02-01", "until": "2027-01-01"},
    ):
        for url in ("/admin/audit", "/admin/audit.csv"):
            response = auth.client.get(url, query_string=bad)
            assert response.status_code == 400, (url, bad)


def test_the_log_downloads_as_csv_with_the_same_filters(auth):
    admin, member, rec = _events()
    auth.login_as(admin)
    response = auth.client.get("/admin/audit.csv", query_string={"family": "recommendations"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["When", "Who", "Action", "Code", "Object", "Id", "Details"]
    actions = [row[3] for row in rows[1:]]
    assert set(actions) == {"recommendation.created", "recommendation.status_changed"}
    changed = next(row for row in rows[1:] if row[3] == "recommendation.status_changed")
    assert changed[1] == "Maria Członkini" and changed[2] == "Status changed"
    assert changed[4] == "Recommendation" and changed[5] == str(rec.id)
    assert changed[6] == "before: draft; after: discussion"


def test_a_members_organisation_and_sector_change_after_the_invitation(auth):
    auth.login("admin", language="en")
    person = factories.make_user("member", organisation="krk UrbanHub")
    old_sector = person.organisation.sector_code
    ministry = db.session.scalar(select(Organisation).where(Organisation.sector_code != old_sector))
    response = auth.post(
        f"/admin/users/{person.id}",
        {"role": "member", "active": "y", "organisation_id": ministry.id},
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.organisation_id == ministry.id
    # A new organisation, with its sector.
    response = auth.post(
        f"/admin/users/{person.id}",
        {
            "role": "member",
            "active": "y",
            "organisation_id": ministry.id,
            "new_organisation": "  Urząd Miasta   Nowy Targ ",
            "new_sector": "local_government",
        },
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert (person.organisation.name, person.organisation.sector_code) == (
        "Urząd Miasta Nowy Targ",
        "local_government",
    )
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "user.organisation_changed")
        .order_by(AuditEvent.id.desc())
    )
    assert event.data == {"old": ministry.name, "new": "Urząd Miasta Nowy Targ"}
    # A new organisation needs its sector; nothing is half-written.
    refused = auth.post(
        f"/admin/users/{person.id}",
        {"role": "facilitator", "active": "y", "new_organisation": "Bez sektora"},
    )
    assert refused.status_code == 400 and "Choose the sector" in refused.get_data(as_text=True)
    db.session.refresh(person)
    assert person.role == "member"
    assert db.session.scalar(select(Organisation).where(Organisation.name == "Bez sektora")) is None
    # The sector shows on the person's page.
    page = auth.client.get(f"/people/{person.handle}").get_data(as_text=True)
    assert "Urząd Miasta Nowy Targ" in page and "Local government" in page


def test_a_new_organisation_spelt_like_a_listed_one_is_the_listed_one(auth):
    """Polish capitals compared as Polish (SQL lower() would not), so no duplicate and
    no failed insert: the name already there is used."""
    auth.login("admin")
    person = factories.make_user("member")
    listed = Organisation(name="Łódzkie Centrum Rozwoju", sector_code="science")
    db.session.add(listed)
    db.session.commit()
    response = auth.post(
        f"/admin/users/{person.id}",
        {
            "role": "member",
            "active": "y",
            "organisation_id": "0",
            "new_organisation": "łódzkie  centrum ROZWOJU",
            "new_sector": "business",
        },
    )
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.organisation_id == listed.id and person.organisation.sector_code == "science"
