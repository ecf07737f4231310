"""No lost updates: a stale save shows the conflict page and keeps the editor's text."""

from sqlalchemy import func, select

from app.extensions import db
from app.recommendations.models import Recommendation, RecommendationAuthor, Revision
from tests import factories
from tests.conftest import Auth
from tests.recommendations.helpers import edit_form, make_rec


def test_two_sessions_editing_at_once_never_overwrite_silently(app, client, auth):
    anna = auth.login("member", name="Anna")
    rec = make_rec(anna)
    bartek = factories.make_user("member", name="Bartek")
    db.session.add(
        RecommendationAuthor(recommendation_id=rec.id, user_id=bartek.id, state="accepted")
    )
    db.session.commit()
    other = app.test_client()
    bartek_auth = Auth(other)
    bartek_auth.login_as(bartek)

    # Both open the form at the same version.
    assert client.get(f"/recommendations/{rec.id}/edit").status_code == 200
    assert other.get(f"/recommendations/{rec.id}/edit").status_code == 200
    version = rec.version

    first = auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(rec, version=version, body="Tekst Anny.", note="Anna"),
    )
    assert first.status_code == 303

    second = bartek_auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(rec, version=version, body="Tekst Bartka.", note="Bartek"),
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Tekst Bartka." in page  # his text is kept in the form
    assert "<ins>Tekst Anny</ins>" in page  # and he sees what changed meanwhile
    saved = db.session.get(Recommendation, rec.id)
    assert saved.body == "Tekst Anny."
    assert (
        db.session.scalar(
            select(func.count()).select_from(Revision).where(Revision.recommendation_id == rec.id)
        )
        == 2
    )

    # Saving again from the conflict page, knowingly, works.
    import re

    new_version = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    third = bartek_auth.post(
        f"/recommendations/{rec.id}/edit",
        edit_form(rec, version=new_version, body="Tekst wspólny.", note="Scalone"),
    )
    assert third.status_code == 303
    assert db.session.get(Recommendation, rec.id).body == "Tekst wspólny."


def test_tampered_version_numbers_are_refused(auth):
    owner = auth.login("member")
    rec = make_rec(owner)
    for version in ("abc", "-1", "", "99999999999"):
        response = auth.post(
            f"/recommendations/{rec.id}/edit", edit_form(rec, version=version, body="Zmiana")
        )
        assert response.status_code == 400, version
    stale = auth.post(f"/recommendations/{rec.id}/edit", edit_form(rec, version=999, body="Zmiana"))
    assert stale.status_code == 409
    assert db.session.get(Recommendation, rec.id).body == "Treść **rekomendacji**."


def test_stale_challenge_edit_keeps_the_text(app, client, auth):
    member = auth.login("facilitator")
    challenge = factories.make_challenge("G03", author=member)
    version = challenge.version
    auth.post(
        f"/challenges/{challenge.id}/edit",
        {"title": "Pierwsza wersja", "description": "A", "base_version": str(version)},
    )
    response = auth.post(
        f"/challenges/{challenge.id}/edit",
        {"title": "Druga wersja", "description": "B", "base_version": str(version)},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Druga wersja" in page and "Pierwsza wersja" in page
