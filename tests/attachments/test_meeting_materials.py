"""An agenda item's materials travel with the meeting: the live view, the minutes (the
compiled draft and the published page) and the meeting's calendar file."""

import io

from icalendar import Calendar
from sqlalchemy import select

from app.attachments import services
from app.audit import AuditEvent
from app.meetings import services as meeting_services
from tests import factories
from tests.attachments import samples


def meeting_with_slides():
    facilitator = factories.make_user("facilitator")
    meeting = factories.make_meeting(title="Spotkanie z ekspertem")
    item = meeting_services.add_agenda_item(
        meeting,
        facilitator,
        meeting_services.AgendaFields(
            title="Kopenhaga jako studium przypadku", kind="expert_talk", planned_minutes=30
        ),
    )
    (slides,) = services.attach(
        item,
        facilitator,
        [services.Upload("kopenhaga.pdf", io.BytesIO(samples.pdf()))],
        title="Slajdy: Kopenhaga",
    )
    (invitation,) = services.attach(
        meeting,
        facilitator,
        [services.Upload("zaproszenie.txt", io.BytesIO(b"Zapraszamy na spotkanie."))],
        title="Zaproszenie",
    )
    return facilitator, meeting, item, slides, invitation


def test_the_live_view_shows_the_current_items_materials(auth):
    facilitator, meeting, item, slides, _ = meeting_with_slides()
    auth.login("member")
    page = auth.client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    assert f"/materials/{slides.id}/file" in page  # in the agenda list, before it starts

    meeting_services.start_meeting(meeting, facilitator)  # takes up the first item
    state = auth.client.get(f"/meetings/{meeting.id}/live/state", headers={"HX-Request": "true"})
    html = state.get_data(as_text=True)
    current = html[html.index('class="current-item"') : html.index("</section>")]
    assert "Slajdy: Kopenhaga" in current and f"/materials/{slides.id}/file" in current


def test_the_minutes_name_the_materials_and_the_page_links_them(auth):
    facilitator, meeting, item, slides, _ = meeting_with_slides()
    auth.login_as(facilitator)
    draft = auth.client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "Materiały: Slajdy: Kopenhaga" in draft

    meeting.status = "held"  # minutes are published after the meeting
    factories.db.session.commit()
    meeting_services.save_minutes(meeting, facilitator, "# Protokół\n\nOmówiono Kopenhagę.")
    meeting_services.publish_minutes(meeting, facilitator)
    member = auth.client.application.test_client()
    type(auth)(member).login("member")
    page = member.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    presented = page[page.index('id="presented-heading"') :]
    assert "Kopenhaga jako studium przypadku" in presented
    assert f"/materials/{slides.id}/file" in presented


def test_the_calendar_file_links_the_materials(auth):
    _, meeting, item, slides, invitation = meeting_with_slides()
    auth.login("member")
    response = auth.client.get(f"/meetings/{meeting.id}.ics")
    event = next(c for c in Calendar.from_ical(response.data).walk("VEVENT"))
    attached = event.get("attach")
    attached = attached if isinstance(attached, list) else [attached]
    urls = sorted(str(a) for a in attached)
    assert urls == sorted(
        [
            f"http://testserver/materials/{slides.id}/file",
            f"http://testserver/materials/{invitation.id}/file",
        ]
    )
    assert {a.params["FMTTYPE"] for a in attached} == {"application/pdf", "text/plain"}
    assert "Slajdy: Kopenhaga: http://testserver/materials/" in str(event["description"])


def test_a_draft_agendas_materials_stay_out_of_the_calendar(auth):
    _, meeting, item, slides, invitation = meeting_with_slides()
    meeting.agenda_published_at = None
    factories.db.session.commit()
    auth.login("member")
    event = next(
        c
        for c in Calendar.from_ical(auth.client.get(f"/meetings/{meeting.id}.ics").data).walk(
            "VEVENT"
        )
    )
    assert str(event["attach"]) == f"http://testserver/materials/{invitation.id}/file"


def test_an_agenda_items_materials_stay_with_the_meeting_when_it_is_removed(auth):
    facilitator, meeting, item, slides, _invitation = meeting_with_slides()
    meeting_services.remove_agenda_item(item, facilitator)
    auth.login("member")
    page = auth.client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    section = page[page.index(f'id="materials-meeting-{meeting.id}"') :]
    assert "Slajdy: Kopenhaga" in section
    response = auth.client.get(f"/materials/{slides.id}/file")
    assert response.status_code == 200
    response.close()
    moved = factories.db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "attachment.moved")
    )
    assert moved.data == {"old": f"agenda-item:{item.id}", "new": f"meeting:{meeting.id}"}
