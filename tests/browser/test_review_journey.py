"""A facilitator sends a package to the ministry; a reviewer downloads the Word file,
stages and publishes an answer; the author sees the answer on the recommendation."""

import re

from docx import Document
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD
from tests.recommendations.helpers import make_rec


def test_package_answer_and_member_sees_it(browsers, live_server):
    from app.auth.models import User
    from app.extensions import db
    from tests.exports.helpers import MINISTRY

    facilitator = live_server.make_user("facilitator", language="en", name="Fela Facylitatorka")
    reviewer = live_server.make_user("reviewer", language="en", organisation=MINISTRY)
    author = live_server.make_user("member", language="en", name="Adam Autor")
    with live_server.app.app_context():
        me = db.session.scalar(db.select(User).where(User.email == author))
        boss = db.session.scalar(db.select(User).where(User.email == facilitator))
        rec = make_rec(
            me, area="G06", title="Centra kompetencji cyfrowych", status="agreed", facilitator=boss
        )
        rec_id = rec.id

    tab = browsers.person(facilitator, DEFAULT_PASSWORD)
    tab.goto("/exports/?area=G06&status=agreed")
    expect(tab.get_by_role("status").filter(has_text="matches")).to_have_text(
        "1 recommendation matches."
    )
    tab.get_by_role("button", name="Send the agreed ones to a ministry…").click()
    expect(tab.get_by_text("1 agreed recommendation will be sent.")).to_be_visible()
    tab.get_by_label("Title").fill("Recommendations on digital skills")
    tab.get_by_label("Addressee ministry").select_option(label=MINISTRY)
    tab.get_by_role("textbox", name="Cover letter").fill(
        "Dear Sir or Madam,\n\nwe send our **recommendation**."
    )
    tab.get_by_role("button", name="Send the package").click()
    expect(tab.get_by_text(re.compile(r"Package \d+ was sent\."))).to_be_visible()
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Recommendations on digital skills")
    # The files are built after the send (in a thread here): ready at once, or brought in
    # by the page asking again (test_package_files_journey watches that part).
    expect(tab.get_by_role("link", name=re.compile(r"warsztat-package-\d+\.xlsx"))).to_be_visible()

    ministry = browsers.person(reviewer, DEFAULT_PASSWORD)
    ministry.goto("/exports/")
    ministry.get_by_role("link", name=re.compile("Recommendations on digital skills")).click()
    with ministry.expect_download() as info:
        ministry.get_by_role("link", name=re.compile(r"warsztat-package-\d+\.docx")).click()
    document = Document(info.value.path())
    texts = [p.text for p in document.paragraphs]
    assert any("Centra kompetencji cyfrowych" in t for t in texts)
    assert any("G06/" in t for t in texts)

    item = ministry.locator(f"#item-{rec_id}")
    item.get_by_label("Partly accepted").check()
    item.get_by_label("Reasoning").fill("We will fund two pilot centres in 2027.")
    item.get_by_role("button", name="Stage the answer").click()
    expect(ministry.get_by_text("1 answer is staged and not yet public.")).to_be_visible()
    ministry.get_by_role("button", name="Publish the staged answers").click()
    expect(ministry.get_by_text("1 answer was published.")).to_be_visible()

    member = browsers.person(author, DEFAULT_PASSWORD)
    member.goto(f"/recommendations/{rec_id}")
    answers = member.get_by_role("region", name="Official answer")
    expect(answers).to_contain_text("Partly accepted")
    expect(answers).to_contain_text("We will fund two pilot centres in 2027.")
    expect(member.get_by_text("Answered").first).to_be_visible()
