"""The meetings' search finds a meeting by its agenda and by the text of its materials
and its agenda items' materials, as far as the searcher may see them."""

import io
from datetime import timedelta

from app.attachments import services
from app.database import utcnow
from app.meetings import services as meeting_services
from tests import factories
from tests.attachments import samples


def plan(facilitator, title="Spotkanie o rynku pracy"):
    start = utcnow() + timedelta(days=5)
    return meeting_services.create_meeting(
        facilitator,
        1,
        meeting_services.MeetingFields(
            title=title, starts_at=start, ends_at=start + timedelta(hours=2), mode="online"
        ),
    )


def found(client, words) -> str:
    return client.get("/meetings/", query_string={"q": words}).get_data(as_text=True)


def test_a_meeting_is_found_by_its_agenda_and_materials_once_published(app, auth):
    facilitator = factories.make_user("facilitator")
    meeting = plan(facilitator)
    item = meeting_services.add_agenda_item(
        meeting,
        facilitator,
        meeting_services.AgendaFields(
            title="Kopenhaga jako studium przypadku", kind="expert_talk", planned_minutes=30
        ),
    )
    services.attach(
        item,
        facilitator,
        [services.Upload("slajdy.pptx", io.BytesIO(samples.pptx("Nordhavn", "Fjordbyen")))],
    )
    services.attach(
        meeting,
        facilitator,
        [services.Upload("zaproszenie.docx", io.BytesIO(samples.docx("Bilet Vejlby")))],
    )
    auth.login("member")
    client = auth.client
    assert "Spotkanie o rynku pracy" in found(client, "vejlby")  # the meeting's own material
    # A draft agenda (and its materials) is for the facilitators until it is published.
    assert "Spotkanie o rynku pracy" not in found(client, "kopenhaga")
    assert "Spotkanie o rynku pracy" not in found(client, "fjordbyen")
    meeting_services.publish_agenda(meeting, facilitator)
    assert "Spotkanie o rynku pracy" in found(client, "kopenhaga")
    assert "Spotkanie o rynku pracy" in found(client, "fjordbyen")
    assert "Znaleziono 1 spotkanie" in found(client, "fjordbyen nordhavn")
    assert "Żadne spotkanie nie pasuje" in found(client, "bukareszt")


def test_an_empty_or_odd_query_shows_every_meeting(auth):
    plan(factories.make_user("facilitator"), "Widoczne spotkanie")
    auth.login("member")
    for query in ("", "   ", "***", '"()*:^'):
        page = found(auth.client, query)
        assert "Widoczne spotkanie" in page, query
    assert "Widoczne spotkanie" not in found(auth.client, "'; DROP TABLE meetings; --")
    assert "Widoczne spotkanie" in found(auth.client, "widoczne")
