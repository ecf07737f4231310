"""The bell, the list, marking as read."""

from sqlalchemy import select

from app.digests.models import Notification
from app.extensions import db
from app.recommendations import services
from tests import factories
from tests.recommendations.helpers import make_rec


def test_bell_counts_and_the_list_marks_read(client, auth):
    me = auth.login("member")
    rec = make_rec(me, status="discussion", title="Moja rekomendacja")
    other = factories.make_user("member", name="Kasia")
    services.add_comment(rec, other, "Świetny pomysł.")
    services.add_comment(rec, other, "Pytanie do @" + me.name)
    bell = client.get("/notifications/bell").get_data(as_text=True)
    assert 'class="bell-count">2<' in bell
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Kasia" in page and "Moja rekomendacja" in page
    first = db.session.scalars(select(Notification).where(Notification.user_id == me.id)).first()
    response = client.get(f"/notifications/{first.id}")
    assert response.status_code == 303 and response.headers["Location"].startswith(
        f"/recommendations/{rec.id}"
    )
    assert 'class="bell-count">1<' in client.get("/notifications/bell").get_data(as_text=True)
    auth.post("/notifications/read", headers={"HX-Request": "true"})
    assert "bell-count" not in client.get("/notifications/bell").get_data(as_text=True)


def test_the_bell_is_on_every_page(client, auth):
    auth.login("member")
    assert 'id="bell"' in client.get("/").get_data(as_text=True)
