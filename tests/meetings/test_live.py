"""Live facilitation: start, move through items, notes, decisions, action items."""

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.meetings import services
from app.meetings.models import ActionItem, AgendaItem, Decision, Meeting
from app.problems.models import Challenge
from app.recommendations.models import Recommendation, StatusChange
from tests import factories
from tests.meetings.helpers import plan
from tests.recommendations.helpers import make_rec

HTMX = {"HX-Request": "true"}


def test_facilitator_runs_the_meeting_item_by_item(client, auth):
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    assert auth.post(f"/meetings/{meeting.id}/live/start", headers=HTMX).status_code == 200
    saved = db.session.get(Meeting, meeting.id)
    assert saved.status == "in_progress" and saved.started_at is not None
    first, second = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).all()
    assert first.actual_start is not None and first.actual_end is None

    notes = auth.post(
        f"/meetings/{meeting.id}/items/{first.id}/notes",
        {"notes": "Uczestnicy zgodni co do diagnozy."},
        headers=HTMX,
    )
    assert notes.status_code == 200
    fragment = auth.post(f"/meetings/{meeting.id}/live/next", headers=HTMX).get_data(as_text=True)
    assert "Dyskusja" in fragment and 'aria-current="step"' in fragment
    first, second = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).all()
    assert first.actual_end is not None and second.actual_start is not None
    assert first.notes == "Uczestnicy zgodni co do diagnozy."

    auth.post(f"/meetings/{meeting.id}/live/finish", headers=HTMX)
    saved = db.session.get(Meeting, meeting.id)
    assert saved.status == "held" and saved.ended_at is not None
    assert db.session.get(AgendaItem, second.id).actual_end is not None


def test_running_over_the_plan_is_visible(client, auth):
    meeting, facilitator = plan(items=(("Krótki punkt", "discussion", 5),))
    services.start_meeting(meeting, facilitator)
    item = services.current_item(meeting.id)
    item.actual_start = item.actual_start - timedelta(minutes=12)
    db.session.commit()
    auth.login("member")
    page = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    assert "przekroczenie o 7 min" in page or "running over by 7 min" in page


def test_participants_follow_a_read_only_view_that_polls(client, auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    auth.login("member")
    page = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    assert f'data-hx-get="/meetings/{meeting.id}/live/state"' in page and "every 5s" in page
    assert "/live/next" not in page and 'name="notes"' not in page
    state = client.get(f"/meetings/{meeting.id}/live/state")
    assert state.status_code == 200 and "<html" not in state.get_data(as_text=True)
    assert auth.post(f"/meetings/{meeting.id}/live/next").status_code == 403


def test_decisions_create_a_challenge_a_draft_or_agree_linking_back(client, auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    auth.login_as(facilitator)
    area, category = factories.area("G02"), factories.category("R3")
    assert (
        auth.post(
            f"/meetings/{meeting.id}/decisions",
            {
                "text": "Brak połączeń kolejowych ośrodków subregionalnych",
                "kind": "challenge",
                "area_id": str(area.id),
                "category_id": "0",
                "recommendation_id": "0",
            },
            headers=HTMX,
        ).status_code
        == 200
    )
    challenge = db.session.scalar(
        select(Challenge).where(
            Challenge.title == "Brak połączeń kolejowych ośrodków subregionalnych"
        )
    )
    assert challenge.origin_meeting_id == meeting.id

    auth.post(
        f"/meetings/{meeting.id}/decisions",
        {
            "text": "Program kolei aglomeracyjnej dla miast średnich",
            "kind": "recommendation",
            "area_id": str(area.id),
            "category_id": str(category.id),
            "recommendation_id": "0",
        },
        headers=HTMX,
    )
    draft = db.session.scalar(
        select(Recommendation).where(
            Recommendation.title == "Program kolei aglomeracyjnej dla miast średnich"
        )
    )
    assert (draft.status, draft.origin_meeting_id) == ("draft", meeting.id)
    page = client.get(f"/recommendations/{draft.id}").get_data(as_text=True)
    assert meeting.title in page

    discussed = make_rec(factories.make_user("member"), status="discussion")
    auth.post(
        f"/meetings/{meeting.id}/decisions",
        {
            "text": "Uzgodniono.",
            "kind": "agreement",
            "area_id": "0",
            "category_id": "0",
            "recommendation_id": str(discussed.id),
        },
        headers=HTMX,
    )
    assert db.session.get(Recommendation, discussed.id).status == "agreed"
    change = db.session.scalar(
        select(StatusChange).where(
            StatusChange.recommendation_id == discussed.id, StatusChange.to_status == "agreed"
        )
    )
    assert change.meeting_id == meeting.id
    kinds = db.session.scalars(select(Decision.kind).where(Decision.meeting_id == meeting.id))
    assert sorted(kinds) == ["agreement", "challenge", "recommendation"]


def test_incomplete_decisions_are_inline_errors_and_create_nothing(auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    auth.login_as(facilitator)
    for data in (
        {"text": "", "kind": "note"},
        {"text": "Nowy szkic", "kind": "recommendation", "area_id": "0", "category_id": "0"},
        {"text": "Zgoda", "kind": "agreement", "recommendation_id": "0"},
        {"text": "x", "kind": "coup"},
    ):
        response = auth.post(
            f"/meetings/{meeting.id}/decisions",
            {"area_id": "0", "category_id": "0", "recommendation_id": "0", **data},
            headers=HTMX,
        )
        assert response.status_code == 422, data
    assert db.session.scalar(select(Decision)) is None
    assert (
        db.session.scalar(select(Recommendation).where(Recommendation.title == "Nowy szkic"))
        is None
    )


def test_action_items_land_on_the_owners_dashboard(client, auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    owner = factories.make_user("member", name="Odpowiedzialna Osoba")
    auth.login_as(facilitator)
    response = auth.post(
        f"/meetings/{meeting.id}/actions",
        {
            "title": "Zebrać dane o migracji absolwentów",
            "owner_id": str(owner.id),
            "due_on": "2027-02-15",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    bad = auth.post(
        f"/meetings/{meeting.id}/actions", {"title": "", "owner_id": "999999"}, headers=HTMX
    )
    assert bad.status_code == 422
    auth.logout()
    auth.login_as(owner)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Zebrać dane o migracji absolwentów" in dashboard
    action = db.session.scalar(select(ActionItem))
    auth.post(f"/meetings/actions/{action.id}/done", {"on": "1", "back": "dashboard"})
    assert db.session.get(ActionItem, action.id).done_at is not None
    assert "Zebrać dane o migracji absolwentów" not in client.get("/").get_data(as_text=True)


def test_others_cannot_close_someone_elses_action(auth):
    meeting, facilitator = plan()
    action = services.add_action_item(
        meeting, facilitator, title="Zadanie", owner=factories.make_user("member"), due_on=None
    )
    auth.login("member")
    assert auth.post(f"/meetings/actions/{action.id}/done", {"on": "1"}).status_code == 403


def test_the_polled_view_updates_a_stable_announcement_out_of_band(client, auth):
    meeting, facilitator = plan()
    services.start_meeting(meeting, facilitator)
    auth.login("member")
    page = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    assert 'aria-live="polite"><span id="live-now">' in page
    fragment = client.get(
        f"/meetings/{meeting.id}/live/state", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert 'id="live-now" data-hx-swap-oob="innerHTML"' in fragment and "Wprowadzenie" in fragment


def _items(meeting):
    return db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).all()


def test_each_live_form_answers_into_its_own_part(auth):
    """Notes, decisions and action items have their own targets: the answer to one never
    replaces another form (a click or text there would be lost)."""
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    started = auth.post(f"/meetings/{meeting.id}/live/start", headers=HTMX).get_data(as_text=True)
    # The start brings the notes box and the forms along, out of band.
    assert 'id="live-notes" data-hx-swap-oob="outerHTML"' in started
    assert 'id="live-forms" data-hx-swap-oob="outerHTML"' in started
    first, second = _items(meeting)
    saved = auth.post(
        f"/meetings/{meeting.id}/items/{first.id}/notes", {"notes": "Zgoda."}, headers=HTMX
    )
    # Only the status beside the button, and the notes as now saved (out of band).
    assert '<span id="notes-saved"' in saved.get_data(
        as_text=True
    ) and "<form" not in saved.get_data(as_text=True)
    assert (
        'id="notes-base" name="notes_base" value="Zgoda." data-hx-swap-oob="true"'
        in saved.get_data(as_text=True)
    )
    decision = auth.post(
        f"/meetings/{meeting.id}/decisions",
        {
            "text": "Zbieramy dane.",
            "kind": "note",
            "area_id": "0",
            "category_id": "0",
            "recommendation_id": "0",
        },
        headers=HTMX,
    )
    body = decision.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="live-decision-list"')
    assert 'data-announce="Zapisano decyzję: Zbieramy dane."' in body and "<form" not in body
    refused = auth.post(
        f"/meetings/{meeting.id}/decisions",
        {"text": "", "kind": "note", "area_id": "0", "category_id": "0", "recommendation_id": "0"},
        headers=HTMX,
    )
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#decision-form"
    assert refused.get_data(as_text=True).lstrip().startswith('<form id="decision-form"')
    action = auth.post(
        f"/meetings/{meeting.id}/actions",
        {"title": "Ankieta", "owner_id": facilitator.id},
        headers=HTMX,
    )
    assert action.get_data(as_text=True).lstrip().startswith('<div id="live-action-list"')


def test_a_step_keeps_the_notes_typed_but_not_saved(auth):
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/live/start", headers=HTMX)
    first, second = _items(meeting)
    moved = auth.post(
        f"/meetings/{meeting.id}/live/next",
        {"notes": "Wpisane, nie zapisane.", "notes_item": first.id, "notes_base": ""},
        headers=HTMX,
    )
    assert moved.status_code == 200
    first, second = _items(meeting)
    assert first.notes == "Wpisane, nie zapisane." and second.actual_start is not None
    # The new item's (empty) notes box comes with the answer.
    assert f"/items/{second.id}/notes" in moved.get_data(as_text=True)


def test_notes_from_an_out_of_date_box_overwrite_nothing(auth):
    """A second tab or facilitator still showing the old notes box: its text neither
    replaces notes saved meanwhile nor lands on the item the meeting moved on to."""
    meeting, facilitator = plan()
    auth.login_as(facilitator)
    auth.post(f"/meetings/{meeting.id}/live/start", headers=HTMX)
    first, second = _items(meeting)
    services.save_notes(first, facilitator, "Zapisane przez kogoś innego.")
    stale = {"notes": "Stary tekst.", "notes_item": first.id, "notes_base": ""}
    refused = auth.post(f"/meetings/{meeting.id}/items/{first.id}/notes", stale, headers=HTMX)
    assert refused.status_code == 422 and refused.headers["HX-Retarget"] == "#live-notes"
    assert "Stary tekst." in refused.get_data(as_text=True)  # kept for the person
    moved = auth.post(f"/meetings/{meeting.id}/live/next", stale, headers=HTMX)
    assert "Stary tekst." in moved.get_data(as_text=True)  # shown back in a message
    first, second = _items(meeting)
    assert first.notes == "Zapisane przez kogoś innego."
    # The meeting has moved on: the old box's text does not go into the next item.
    auth.post(f"/meetings/{meeting.id}/live/next", stale, headers=HTMX)
    first, second = _items(meeting)
    assert second.notes in ("", None)
