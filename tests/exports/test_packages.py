"""Submission packages and official answers: freezing, hashes, scoping, staging, publishing."""

import hashlib
import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit import AuditEvent
from app.digests.models import Notification
from app.exports.models import PackageFile, PackageItem, SubmissionPackage
from app.extensions import db
from app.follows import FollowTarget, ensure_follow
from app.recommendations import services
from app.recommendations.models import MinistryAnswer, Recommendation, StatusChange
from tests import factories
from tests.exports.helpers import (
    MINISTRY,
    OTHER_MINISTRY,
    agreed_set,
    fingerprint,
    ministry,
    send_package,
)
from tests.recommendations.helpers import make_rec


def test_sending_freezes_agreed_recommendations_with_hashed_files(auth):
    author, facilitator, recs, draft = agreed_set()
    follower = factories.make_user("member")
    ensure_follow(follower, FollowTarget.RECOMMENDATION, recs[0].id)
    db.session.commit()
    response = send_package(auth, facilitator, area="G03")
    assert response.status_code == 303
    package = db.session.scalar(select(SubmissionPackage))
    assert response.location.endswith(f"/exports/packages/{package.id}")
    assert package.organisation_id == ministry().id
    items = db.session.scalars(
        select(PackageItem)
        .where(PackageItem.package_id == package.id)
        .order_by(PackageItem.position)
    ).all()
    assert [i.reference for i in items] == ["G03/R1/1", "G03/R2/1"]
    for item in items:
        rec = db.session.get(Recommendation, item.recommendation_id)
        assert rec.status == "submitted"
        assert item.revision_id == services.latest_revision(rec).id
    # G01 was not selected; the draft never goes.
    assert db.session.get(Recommendation, recs[1].id).status == "agreed"
    assert db.session.get(Recommendation, draft.id).status == "draft"
    files = {f.format: f for f in db.session.scalars(select(PackageFile))}
    assert set(files) == {"docx", "pdf", "xlsx", "json"}
    for stored in files.values():
        assert stored.sha256 == hashlib.sha256(stored.content).hexdigest()
        assert stored.size == len(stored.content)
    data = json.loads(files["json"].content)
    assert [r["reference"] for r in data["recommendations"]] == ["G03/R1/1", "G03/R2/1"]
    assert {r["status"] for r in data["recommendations"]} == {"submitted"}
    book = load_workbook(io.BytesIO(files["xlsx"].content))
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        "G03/R1/1",
        "G03/R2/1",
    ]
    sent = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "package.sent"))
    assert sent.data["count"] == 2
    # The files are built after sending; their hashes are logged when the last is ready.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "package.files_ready"))
    assert event.data["sha256"] == {fmt: stored.sha256 for fmt, stored in files.items()}
    changes = db.session.scalars(
        select(StatusChange).where(StatusChange.to_status == "submitted")
    ).all()
    assert len(changes) == 2
    # Followers (the author follows what they wrote) hear that it went to the ministry.
    told = db.session.scalars(
        select(Notification).where(
            Notification.kind == "recommendation.status",
            Notification.data["new"].as_string() == "submitted",
        )
    ).all()
    assert {(n.user_id, n.target_id) for n in told} >= {
        (follower.id, recs[0].id),
        (author.id, recs[0].id),
        (author.id, recs[2].id),
    }
    assert recs[1].id not in {n.target_id for n in told}  # G01 was not sent


def test_the_downloaded_file_is_the_stored_one(auth):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator)
    package = db.session.scalar(select(SubmissionPackage))
    stored = db.session.scalar(select(PackageFile).where(PackageFile.format == "docx"))
    response = auth.client.get(f"/exports/packages/{package.id}/files/docx")
    assert response.status_code == 200
    assert response.data == stored.content
    assert response.headers["X-Content-SHA256"] == stored.sha256
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert stored.sha256 in page


def test_only_agreed_recommendations_can_be_sent(auth):
    _, facilitator, _, _ = agreed_set()
    auth.login_as(facilitator)
    response = auth.post(
        "/exports/packages/new",
        {
            "title": "T",
            "organisation": ministry().id,
            "cover_letter": "L",
            "area": "G07",
            # The form is not even offered for an empty selection; a hand-made POST:
            "selection": hashlib.sha256(b"").hexdigest()[:32],
        },
    )
    assert response.status_code == 422
    assert "nie ma czego wysłać" in response.get_data(as_text=True)
    assert db.session.scalar(select(SubmissionPackage)) is None
    # A non-ministry addressee is not offered and is refused.
    org = factories.make_user("member", organisation="krk UrbanHub").organisation
    response = auth.post(
        "/exports/packages/new",
        {
            "title": "T",
            "organisation": org.id,
            "cover_letter": "L",
            "selection": fingerprint(auth.client),
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(select(SubmissionPackage)) is None


def test_nothing_is_sent_unseen_when_the_selection_changed_after_the_preview(auth):
    author, facilitator, recs, _ = agreed_set()
    auth.login_as(facilitator)
    seen = fingerprint(auth.client)
    late = make_rec(
        author,
        area="G02",
        title="Uzgodniona w międzyczasie",
        status="agreed",
        facilitator=facilitator,
    )
    response = auth.post(
        "/exports/packages/new",
        {"title": "T", "organisation": ministry().id, "cover_letter": "L", "selection": seen},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The selection changed" in page or "Wybór zmienił się" in page
    assert "Uzgodniona w międzyczasie" in page  # the new preview shows it
    assert db.session.scalar(select(SubmissionPackage)) is None
    assert db.session.get(Recommendation, late.id).status == "agreed"


def test_later_edits_never_change_a_sent_package_and_show_as_changes(auth):
    author, facilitator, recs, _ = agreed_set()
    send_package(auth, facilitator, area="G03", category="R2")
    package = db.session.scalar(select(SubmissionPackage))
    rec = db.session.get(Recommendation, recs[0].id)
    stored_before = {f.format: f.sha256 for f in db.session.scalars(select(PackageFile))}
    services.change_status(rec, facilitator, "discussion", note="Ministry asks for figures.")
    from tests.recommendations.helpers import text

    services.update_recommendation(
        rec,
        author,
        expected_version=rec.version,
        text=text(title="Fundusz powrotów 2.0", body="Nowa treść."),
        note="Dane",
    )
    stored_after = {f.format: f.sha256 for f in db.session.scalars(select(PackageFile))}
    assert stored_after == stored_before
    item = db.session.scalar(select(PackageItem))
    page = auth.client.get(f"/exports/packages/{package.id}/changes").get_data(as_text=True)
    assert "Fundusz powrotów 2.0" in page
    assert "<del>" in page and "<ins>" in page
    assert item.revision.title == "Fundusz powrotów"


def test_reviewers_see_only_their_ministrys_packages(auth):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator)
    package = db.session.scalar(select(SubmissionPackage))
    auth.logout()
    auth.login("reviewer", organisation=OTHER_MINISTRY)
    for url in (
        f"/exports/packages/{package.id}",
        f"/exports/packages/{package.id}/files/docx",
        f"/exports/packages/{package.id}/changes",
    ):
        assert auth.client.get(url).status_code == 404, url
    assert "Rekomendacje 2026" not in auth.client.get("/exports/").get_data(as_text=True)
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY)
    assert auth.client.get(f"/exports/packages/{package.id}").status_code == 200
    assert "Rekomendacje 2026" in auth.client.get("/exports/").get_data(as_text=True)


def test_staged_answers_stay_private_until_published_together(auth, client):
    author, facilitator, recs, _ = agreed_set()
    send_package(auth, facilitator, area="G03")
    package = db.session.scalar(select(SubmissionPackage))
    first, second = db.session.scalars(
        select(PackageItem)
        .where(PackageItem.package_id == package.id)
        .order_by(PackageItem.position)
    ).all()
    follower = factories.make_user("member")
    ensure_follow(follower, FollowTarget.RECOMMENDATION, first.recommendation_id)
    db.session.commit()
    auth.logout()
    reviewer = auth.login("reviewer", organisation=MINISTRY, language="en")
    for item, verdict in ((first, "partly_accepted"), (second, "under_analysis")):
        prefix = f"a{item.recommendation_id}"
        response = auth.post(
            f"/exports/packages/{package.id}/answers/{item.recommendation_id}",
            {
                f"{prefix}-verdict": verdict,
                f"{prefix}-reasoning": f"Reasoning for {item.reference}",
            },
        )
        assert response.status_code == 303
    # Staged: nobody else sees the text, the status has not moved.
    rec = db.session.get(Recommendation, first.recommendation_id)
    assert rec.status == "submitted"
    member_view = factories.make_user("member")
    other = client.application.test_client()
    from tests.conftest import Auth

    other_auth = Auth(other)
    other_auth.login_as(member_view)
    assert "Reasoning for" not in other.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert (
        db.session.scalar(
            select(Notification).where(Notification.kind == "recommendation.answered")
        )
        is None
    )

    response = auth.post(f"/exports/packages/{package.id}/publish")
    assert response.status_code == 303
    db.session.expire_all()
    answers = db.session.scalars(select(MinistryAnswer).order_by(MinistryAnswer.id)).all()
    assert [a.verdict for a in answers] == ["partly_accepted", "under_analysis"]
    assert all(a.published_at and a.staged_verdict is None for a in answers)
    assert {db.session.get(Recommendation, a.recommendation_id).status for a in answers} == {
        "answered"
    }
    note = db.session.scalar(
        select(Notification).where(
            Notification.kind == "recommendation.answered", Notification.user_id == follower.id
        )
    )
    assert note is not None and note.data["verdict"] == "partly_accepted"
    page = other.get(f"/recommendations/{rec.id}").get_data(as_text=True)
    assert f"Reasoning for {first.reference}" in page
    assert reviewer.organisation.name in page
    # Nothing left to publish: a clear message, not a crash.
    response = auth.post(f"/exports/packages/{package.id}/publish", follow_redirects=True)
    assert "no staged answers" in response.get_data(as_text=True)


def test_a_stale_answer_form_does_not_overwrite_another_reviewers_text(auth):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator, area="G01")
    package = db.session.scalar(select(SubmissionPackage))
    item = db.session.scalar(select(PackageItem))
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY, language="en")
    prefix = f"a{item.recommendation_id}"
    url = f"/exports/packages/{package.id}/answers/{item.recommendation_id}"
    auth.post(url, {f"{prefix}-verdict": "accepted", f"{prefix}-reasoning": "First"})
    answer = db.session.scalar(select(MinistryAnswer))
    version = answer.version
    auth.post(
        url,
        {
            f"{prefix}-verdict": "rejected",
            f"{prefix}-reasoning": "Second",
            f"{prefix}-version": version,
        },
    )
    # A third form opened before the second save still carries the old version.
    response = auth.post(
        url,
        {
            f"{prefix}-verdict": "accepted",
            f"{prefix}-reasoning": "Stale",
            f"{prefix}-version": version,
        },
        follow_redirects=True,
    )
    assert "Another reviewer changed this answer" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(MinistryAnswer)).staged_reasoning == "Second"


def test_reviewers_thread_is_for_reviewers_and_facilitators(auth):
    _, facilitator, _, _ = agreed_set()
    send_package(auth, facilitator)
    package = db.session.scalar(select(SubmissionPackage))
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY)
    response = auth.post(f"/exports/packages/{package.id}/notes", {"body": "Prosimy o dane."})
    assert response.status_code == 303
    auth.logout()
    auth.login_as(facilitator)
    assert "Prosimy o dane." in auth.client.get(f"/exports/packages/{package.id}").get_data(
        as_text=True
    )
    auth.logout()
    auth.login("member")
    page = auth.client.get(f"/exports/packages/{package.id}").get_data(as_text=True)
    assert "Prosimy o dane." not in page
    assert auth.post(f"/exports/packages/{package.id}/notes", {"body": "x"}).status_code == 403


def test_the_ministry_hears_of_a_package_and_the_thread_tells_its_people(auth):
    _, facilitator, _, _ = agreed_set()
    reviewer = factories.make_user("reviewer", organisation=MINISTRY, language="en")
    elsewhere = factories.make_user("reviewer", organisation=OTHER_MINISTRY)
    send_package(auth, facilitator)
    package = db.session.scalar(select(SubmissionPackage))
    received = db.session.scalars(
        select(Notification).where(Notification.kind == "package.received")
    ).all()
    assert [(n.user_id, n.target_id) for n in received] == [(reviewer.id, package.id)]
    assert elsewhere.id not in {n.user_id for n in received}
    auth.logout()
    auth.login_as(reviewer)
    bell = auth.client.get("/notifications/").get_data(as_text=True)
    assert f"Package {package.number} for your ministry" in bell
    auth.post(f"/exports/packages/{package.id}/notes", {"body": "Pytanie o dane."})
    told = db.session.scalars(select(Notification).where(Notification.kind == "package.note"))
    assert {n.user_id for n in told} == {facilitator.id}


def test_the_dashboard_shows_the_review_box(auth):
    _, facilitator, _, _ = agreed_set()
    auth.login_as(facilitator)
    page = auth.client.get("/").get_data(as_text=True)
    assert "3 uzgodnione rekomendacje nie zostały jeszcze wysłane do ministerstwa." in page
    send_package(auth, facilitator, area="G03")
    package = db.session.scalar(select(SubmissionPackage))
    auth.logout()
    auth.login("reviewer", organisation=MINISTRY, language="en")
    page = auth.client.get("/").get_data(as_text=True)
    assert f"/exports/packages/{package.id}" in page
    assert "2 recommendations await your answer." in page
    auth.logout()
    auth.login("member")
    assert "review-inbox" not in auth.client.get("/").get_data(as_text=True)
