"""Materials from upload to the ministry: a facilitator attaches the expert's slides to an
agenda item (chosen with the file field, and a handout dropped onto the meeting's drop
zone); members see the slides in the live view and under the published minutes; a
member attaches evidence to their draft, which a ministry reviewer cannot reach until
the recommendation is agreed; the package sent to the ministry carries it as an annex
whose ZIP the reviewer downloads and checks."""

import hashlib
import io
import re
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from app.auth.models import User
from app.exports import packages, selection
from app.extensions import db
from app.meetings import services as meeting_services
from app.meetings.models import Meeting
from app.recommendations import services as rec_services
from app.recommendations.models import Recommendation
from tests import factories
from tests.attachments import samples
from tests.exports.helpers import MINISTRY, ministry
from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec

SLIDES = samples.pdf("Copenhagen case study slides")
EVIDENCE = samples.docx("Dowody: badanie losów absolwentów 2025")


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).where(User.email == email))


def test_materials_from_the_agenda_to_the_ministrys_annex(browsers, live_server):
    fela = live_server.make_user("facilitator", name="Fela Prowadząca")
    marta = live_server.make_user("member", name="Marta Autorka")
    reviewer = live_server.make_user("reviewer", organisation=MINISTRY)
    with live_server.app.app_context():
        meeting = factories.make_meeting(title="Spotkanie z ekspertem")
        item = meeting_services.add_agenda_item(
            meeting,
            _user(fela),
            meeting_services.AgendaFields(
                title="Kopenhaga jako studium przypadku", kind="expert_talk", planned_minutes=30
            ),
        )
        meeting_id, item_id = meeting.id, item.id
        rec_id = make_rec(_user(marta), area="G07", title="Program powrotów absolwentów").id

    # The facilitator attaches the slides to the agenda item, from its row.
    f = browsers.person(fela, DEFAULT_PASSWORD)
    f.goto(f"/meetings/{meeting_id}")
    row = f.locator(f"#item-{item_id}")
    row.get_by_text("Dodaj materiały").click()
    row.get_by_label("Pliki").set_input_files(
        {"name": "kopenhaga.pdf", "mimeType": "application/pdf", "buffer": SLIDES}
    )
    row.get_by_label("Tytuł (nieobowiązkowy)").fill("Slajdy eksperta")
    row.get_by_role("button", name="Wyślij").click()
    expect(row.get_by_role("link", name="Slajdy eksperta")).to_be_visible()
    expect(f.locator("#htmx-status")).to_contain_text("Plik został dołączony.")

    # A handout dropped onto the meeting's own drop zone is named before it is sent.
    section = f.locator(f"#materials-meeting-{meeting_id}")
    section.get_by_text("Dodaj materiały").click()
    section.locator("[data-drop-zone]").evaluate(
        """zone => {
            const data = new DataTransfer();
            data.items.add(new File(["Porządek i zasady spotkania."], "zasady.txt",
                                    {type: "text/plain"}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }"""
    )
    expect(section.locator(".drop-chosen")).to_have_text("zasady.txt")
    section.get_by_role("button", name="Wyślij").click()
    expect(section.get_by_role("link", name="zasady")).to_be_visible()

    # Members see the slides in the live view while the item is under way.
    f.get_by_role("button", name="Widok na żywo").click()
    f.wait_for_load_state("load")
    f.get_by_role("button", name="Rozpocznij spotkanie").click()
    expect(f.get_by_role("button", name="Następny punkt")).to_be_focused()
    m = browsers.person(marta, DEFAULT_PASSWORD)
    m.goto(f"/meetings/{meeting_id}/live")
    current = m.locator(".current-item")
    expect(current).to_contain_text("Kopenhaga jako studium przypadku")
    with m.expect_download() as download:
        current.get_by_role("link", name="Slajdy eksperta").click()
    assert download.value.suggested_filename == "kopenhaga.pdf"
    assert Path(download.value.path()).read_bytes() == SLIDES

    # The compiled minutes name the slides; once published, the page links them.
    with live_server.app.app_context():
        meeting_services.finish_meeting(db.session.get(Meeting, meeting_id), _user(fela))
    f.goto(f"/meetings/{meeting_id}/minutes")
    expect(f.get_by_role("textbox").first).to_have_value(re.compile("Materiały: Slajdy eksperta"))
    f.get_by_role("button", name="Zapisz protokół").click()
    f.get_by_role("button", name="Opublikuj protokół").click()
    m.goto(f"/meetings/{meeting_id}")
    presented = m.get_by_role("region", name="Przedstawione materiały")
    expect(presented.get_by_role("link", name="Slajdy eksperta")).to_be_visible()

    # The author attaches evidence to the draft; the ministry cannot reach it yet.
    m.goto(f"/recommendations/{rec_id}")
    mine = m.locator(f"#materials-recommendation-{rec_id}")
    mine.get_by_text("Dodaj materiały").click()
    mine.get_by_label("Pliki").set_input_files(
        {"name": "dowody.docx", "mimeType": "application/octet-stream", "buffer": EVIDENCE}
    )
    mine.get_by_role("button", name="Wyślij").click()
    evidence = mine.get_by_role("link", name="dowody")
    expect(evidence).to_be_visible()
    evidence_url = evidence.get_attribute("href")
    r = browsers.person(reviewer, DEFAULT_PASSWORD)
    assert r.request.get(evidence_url).status == 404
    assert r.request.get(f"/recommendations/{rec_id}").status == 404

    # Agreed and sent: the reviewer downloads the annex and checks it.
    with live_server.app.app_context():
        rec = db.session.get(Recommendation, rec_id)
        rec_services.change_status(rec, _user(marta), "discussion")
        rec_services.change_status(rec, _user(fela), "agreed")
        package_id = packages.send(
            _user(fela),
            selection.parse({"area": "G07", "q": "powrotów absolwentów"}, None),
            organisation=ministry(),
            title="Rekomendacje z materiałami",
            cover_letter="Szanowni Państwo, przekazujemy rekomendację z dowodami.",
        ).id
    assert r.request.get(evidence_url).status == 200
    r.goto(f"/exports/packages/{package_id}")
    with r.expect_download() as download:
        r.get_by_role("button", name="Pobierz załącznik (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    sums = archive.read("SHA256SUMS").decode().splitlines()
    assert len(sums) == 1 and sums[0].endswith("/dowody.docx")
    digest, path = sums[0].split("  ", 1)
    assert archive.read(path) == EVIDENCE
    assert hashlib.sha256(EVIDENCE).hexdigest() == digest
