from app.audit import AuditEvent
from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.conftest import Auth


def test_admin_lists_users_with_their_state(client, auth):
    auth.login("admin")
    factories.make_user("reviewer", name="Rewizor Ministerialny")
    factories.make_user("member", name="Zaproszona Osoba", password=None)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Rewizor Ministerialny" in page and "Przedstawiciel ministerstwa" in page
    assert "Zaproszona Osoba" in page


def test_admin_changes_a_role_and_it_is_audited(client, auth):
    admin = auth.login("admin")
    person = factories.make_user("member")
    response = auth.post(f"/admin/users/{person.id}", {"role": "facilitator", "active": "y"})
    assert response.status_code == 303
    assert db.session.get(User, person.id).role == "facilitator"
    event = db.session.query(AuditEvent).filter_by(action="user.role_changed").one()
    assert (event.actor_id, event.object_id, event.data) == (
        admin.id,
        person.id,
        {"old": "member", "new": "facilitator"},
    )


def test_deactivation_logs_the_person_out_and_blocks_login(app, client, auth):
    auth.login("admin")
    person = factories.make_user("member", email="leaving@example.org")
    their_client = app.test_client()
    Auth(their_client).login_as(person)
    assert their_client.get("/").status_code == 200
    auth.post(f"/admin/users/{person.id}", {"role": "member"})  # unchecked box = inactive
    assert their_client.get("/").status_code == 302
    assert (
        Auth(their_client)
        .client.post(
            "/auth/login",
            data={
                "email": "leaving@example.org",
                "password": factories.DEFAULT_PASSWORD,
                "csrf_token": Auth(their_client).csrf(),
            },
        )
        .status_code
        == 401
    )


def test_admin_cannot_demote_themselves(client, auth):
    admin = auth.login("admin")
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert 'name="role"' not in page
    response = auth.post(f"/admin/users/{admin.id}", {"role": "member", "active": "y"})
    assert response.status_code == 403
    assert db.session.get(User, admin.id).role == "admin"


def test_unknown_role_is_an_inline_error(client, auth):
    auth.login("admin")
    person = factories.make_user("member")
    response = auth.post(f"/admin/users/{person.id}", {"role": "emperor", "active": "y"})
    assert response.status_code == 400
    assert db.session.get(User, person.id).role == "member"


def test_resending_an_invitation(client, auth, outbox_dir):
    auth.login("admin")
    person = factories.make_user("member", password=None, email="again@example.org")
    response = auth.post(f"/admin/users/{person.id}/invitation")
    assert response.status_code == 303
    assert len(list(outbox_dir.glob("*.eml"))) == 1
    assert db.session.get(User, person.id).invited_at is not None


def test_admin_pages_are_for_admins_only(client, auth):
    auth.login("facilitator")
    assert client.get("/admin/users").status_code == 403
