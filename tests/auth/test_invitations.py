import re
from email import message_from_bytes
from email.policy import default

from itsdangerous import URLSafeTimedSerializer

from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from tests import factories

LINK = re.compile(r"http://testserver(/auth/invitation/[^\s\"<]+)")


def invite(auth, email="new.person@example.org", role="member", language="pl"):
    return auth.post(
        "/admin/users/invite",
        {
            "email": email,
            "name": "Nowa Osoba",
            "role": role,
            "organisation_id": "0",
            "language": language,
        },
    )


def test_admin_invites_by_real_smtp_and_the_link_works_once(client, auth, smtp_server):
    auth.login("admin")
    response = invite(auth)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "new.person@example.org"
    assert message["Subject"] == "Zaproszenie do serwisu Warsztat"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    path = LINK.search(text).group(1)
    assert path in html

    auth.logout()
    form = client.get(path)
    assert form.status_code == 200
    assert "new.person@example.org" in form.get_data(as_text=True)
    accepted = client.post(
        path,
        data={
            "name": "Nowa Osoba",
            "password": "a strong new password",
            "confirm": "a strong new password",
            "csrf_token": auth.csrf(),
        },
    )
    assert accepted.status_code == 302
    assert client.get("/").status_code == 200  # logged in

    auth.logout()
    again = client.get(path)
    assert again.status_code == 400
    assert "nieważny" in again.get_data(as_text=True)


def test_invitation_goes_to_the_file_outbox_in_the_embedded_default(client, auth, outbox_dir):
    auth.login("admin")
    invite(auth, email="outbox.person@example.org", language="en")
    files = list(outbox_dir.glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=default)
    assert message["To"] == "outbox.person@example.org"
    assert message["Subject"] == "Invitation to Warsztat"  # in the invitee's language
    assert "/auth/invitation/" in message.get_body(("plain",)).get_content()


def test_expired_invitation_shows_a_clear_page(app, client, auth):
    user = factories.make_user("member", password=None)
    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="warsztat-invitation")
    with app.test_request_context():
        token = tokens.make_token(user, tokens.INVITATION)
    # Read it back as if it were older than the limit.
    app.config["INVITATION_MAX_AGE"], old = -1, app.config["INVITATION_MAX_AGE"]
    try:
        response = client.get(f"/auth/invitation/{token}")
    finally:
        app.config["INVITATION_MAX_AGE"] = old
    assert response.status_code == 400
    assert "wygasł" in response.get_data(as_text=True)
    assert serializer.loads(token)["uid"] == user.id


def test_forged_invitation_is_refused(client):
    response = client.get("/auth/invitation/not-a-real-token")
    assert response.status_code == 400
    assert "nieważny" in response.get_data(as_text=True)


def test_invitation_with_short_password_shows_inline_error(app, client, auth):
    user = factories.make_user("member", password=None)
    with app.test_request_context():
        token = tokens.make_token(user, tokens.INVITATION)
    response = client.post(
        f"/auth/invitation/{token}",
        data={
            "name": "X",
            "password": "short",
            "confirm": "short",
            "csrf_token": auth.csrf(),
        },
    )
    assert response.status_code == 400
    assert "Minimalna liczba znaków" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash is None


def test_inviting_an_existing_address_is_an_inline_error(client, auth, outbox_dir):
    auth.login("admin")
    factories.make_user("member", email="taken@example.org")
    response = invite(auth, email="TAKEN@example.org")
    assert response.status_code == 400
    assert "już istnieje" in response.get_data(as_text=True)
    assert not outbox_dir.exists() or not list(outbox_dir.glob("*.eml"))


def test_mail_failure_keeps_the_account_and_says_so(client, auth, unreachable_smtp):
    auth.login("admin")
    response = invite(auth, email="unlucky@example.org")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "nie udało się wysłać" in page.lower()
    assert db.session.query(User).filter_by(email="unlucky@example.org").one().invited_at is None
