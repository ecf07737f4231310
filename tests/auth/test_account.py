from app.auth.models import User
from app.extensions import db


def test_account_page_saves_name_language_and_digest(client, auth):
    user = auth.login("member")
    page = client.get("/account/")
    assert page.status_code == 200
    response = auth.post(
        "/account/", {"name": "Zofia Nowak", "language": "en", "digest_frequency": "daily"}
    )
    assert response.status_code == 302
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.language, saved.digest_frequency) == ("Zofia Nowak", "en", "daily")
    # The interface follows the chosen language.
    assert "Your account" in client.get("/account/").get_data(as_text=True)


def test_account_rejects_unknown_choices_inline(client, auth):
    user = auth.login("member")
    response = auth.post("/account/", {"name": "", "language": "de", "digest_frequency": "hourly"})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('aria-invalid="true"') == 3
    saved = db.session.get(User, user.id)
    assert saved.language == "pl" and saved.digest_frequency == "weekly"
