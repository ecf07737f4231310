"""The permission matrix: every route, every role, the expected outcome.

A new route fails `test_every_route_has_a_row` until it gets a row here, so no
route ships without a decision about who may use it. Requests are sent with a
valid CSRF token and no form data: an allowed POST answers 400 (the form is
invalid) or redirects, a refused one 403 or a redirect to the login page."""

import pytest

from app.meetings import services as meeting_services
from tests import factories
from tests.conftest import Auth

ROLES = ("anonymous", "member", "facilitator", "reviewer", "admin")


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    """Any account may; anonymous visitors are sent to log in."""
    return {"anonymous": 302, **dict.fromkeys(ROLES[1:], status)}


def admin_only(status):
    return {"anonymous": 302, "member": 403, "facilitator": 403, "reviewer": 403, "admin": status}


def anonymous_only(status, signed_in_status=302):
    return {"anonymous": status, **dict.fromkeys(ROLES[1:], signed_in_status)}


def contributors(status, reviewer=403):
    """Members, facilitators and admins; reviewers (ministry staff) do not write."""
    return {
        "anonymous": 302,
        "member": status,
        "facilitator": status,
        "reviewer": reviewer,
        "admin": status,
    }


def staff(status, member=403, reviewer=403):
    return {
        "anonymous": 302,
        "member": member,
        "facilitator": status,
        "reviewer": reviewer,
        "admin": status,
    }


def seen_by_members(status):
    """On a recommendation still in discussion: reviewers do not even see it exists."""
    return {
        "anonymous": 302,
        "member": status,
        "facilitator": status,
        "reviewer": 404,
        "admin": status,
    }


def package_readers(status):
    """Everyone signed in reads packages; a reviewer only their own ministry's."""
    return {"anonymous": 302, **dict.fromkeys(ROLES[1:], status), "reviewer": 404}


def api(status):
    return {"anonymous": 401, **dict.fromkeys(ROLES[1:], status)}


MATRIX = {
    ("GET", "static"): everyone(200),
    ("GET", "main.healthz"): everyone(200),
    ("GET", "main.readyz"): everyone(200),
    ("POST", "main.set_language"): everyone(400),
    ("GET", "main.dashboard"): signed_in(200),
    ("GET", "main.styleguide"): admin_only(200),
    ("GET", "auth.login"): anonymous_only(200),
    ("POST", "auth.login"): anonymous_only(400),
    ("POST", "auth.logout"): everyone(302),
    ("GET", "auth.accept_invitation"): everyone(400),
    ("POST", "auth.accept_invitation"): everyone(400),
    ("GET", "auth.request_reset"): everyone(200),
    ("POST", "auth.request_reset"): everyone(400),
    ("GET", "auth.reset_password"): everyone(400),
    ("POST", "auth.reset_password"): everyone(400),
    ("GET", "account.settings"): signed_in(200),
    ("POST", "account.settings"): signed_in(302),  # absent fields keep their values
    ("POST", "account.change_password"): signed_in(400),
    # Two-factor sign-in: the second step needs a password step first (none here).
    ("GET", "auth.second_step"): everyone(302),
    ("POST", "auth.second_step"): everyone(302),
    ("GET", "account.two_factor"): signed_in(200),
    ("POST", "account.two_factor_start"): signed_in(200),
    ("POST", "account.two_factor_enable"): signed_in(400),  # no code sent
    ("POST", "account.two_factor_codes"): signed_in(409),  # it is off for these accounts
    ("POST", "account.two_factor_disable"): signed_in(409),
    ("GET", "problems.index"): signed_in(200),
    ("GET", "problems.detail"): signed_in(200),
    ("GET", "recommendations.index"): signed_in(200),
    ("GET", "meetings.index"): signed_in(200),
    ("GET", "meetings.detail"): signed_in(200),
    # The sample's minutes are not published: there is no PDF of them yet.
    ("GET", "meetings.minutes_pdf"): signed_in(404),
    ("GET", "admin.users"): admin_only(200),
    ("GET", "admin.invite"): admin_only(200),
    ("POST", "admin.invite"): admin_only(400),
    ("GET", "admin.user"): admin_only(200),
    ("POST", "admin.user"): admin_only(303),
    ("POST", "admin.resend_invitation"): admin_only(303),
    ("GET", "admin.organisations"): staff(200),
    ("GET", "admin.new_organisation"): staff(200),
    ("POST", "admin.new_organisation"): staff(400),
    ("GET", "admin.organisation"): staff(200),
    ("POST", "admin.organisation"): staff(400),
    ("POST", "admin.merge_organisation"): staff(400),
    # The sample organisation is referred to by nothing: deleting it is allowed.
    ("POST", "admin.delete_organisation"): staff(303),
    # Challenges (the sample is another member's challenge).
    ("POST", "problems.follow"): signed_in(303),
    ("GET", "problems.new_challenge"): contributors(200),
    ("POST", "problems.new_challenge"): contributors(400),
    ("GET", "challenges.detail"): signed_in(200),
    ("GET", "challenges.edit"): staff(200),
    ("POST", "challenges.edit"): staff(400),
    ("GET", "challenges.comments"): signed_in(303),
    ("POST", "challenges.comments"): contributors(303),
    ("POST", "challenges.follow"): signed_in(303),
    # Recommendations (the sample is another member's, in discussion, with a pending
    # amendment and a comment by a third member).
    ("GET", "recommendations.new"): contributors(200),
    ("POST", "recommendations.new"): contributors(400),
    ("GET", "recommendations.detail"): seen_by_members(200),
    ("GET", "recommendations.edit"): staff(200),
    ("POST", "recommendations.edit"): staff(400),
    ("GET", "recommendations.history"): seen_by_members(200),
    ("POST", "recommendations.invite_coauthor"): contributors(403),
    ("POST", "recommendations.answer_coauthor_invitation"): seen_by_members(400),
    ("POST", "recommendations.change_status"): contributors(303),
    ("GET", "recommendations.new_amendment"): contributors(200),
    ("POST", "recommendations.new_amendment"): contributors(400),
    ("GET", "recommendations.amendment"): seen_by_members(200),
    ("POST", "recommendations.accept_amendment"): contributors(403),
    ("POST", "recommendations.reject_amendment"): contributors(403),
    ("POST", "recommendations.support"): contributors(303),
    ("POST", "recommendations.follow"): seen_by_members(303),
    ("GET", "recommendations.comments"): seen_by_members(303),
    ("POST", "recommendations.comments"): seen_by_members(303),
    ("POST", "comments.edit_comment"): contributors(403),
    ("GET", "comments.people"): contributors(200),
    ("POST", "comments.delete_comment"): staff(303),
    # Meetings (the sample is a planned meeting with a published agenda, one item already
    # taken up, a guest and an action item owned by another member).
    ("GET", "meetings.new"): staff(200),
    ("POST", "meetings.new"): staff(400),
    ("GET", "meetings.edit"): staff(200),
    ("POST", "meetings.edit"): staff(400),
    ("POST", "meetings.cancel"): staff(303),
    ("GET", "meetings.new_agenda_item"): staff(200),
    ("POST", "meetings.new_agenda_item"): staff(400),
    ("GET", "meetings.edit_agenda_item"): staff(200),
    ("POST", "meetings.edit_agenda_item"): staff(400),
    ("POST", "meetings.move_agenda_item"): staff(400),
    ("POST", "meetings.delete_agenda_item"): staff(303),
    ("POST", "meetings.publish_agenda"): staff(303),
    ("POST", "meetings.invite"): staff(303),
    ("POST", "meetings.add_guest"): staff(303),
    ("POST", "meetings.remove_participant"): staff(303),
    ("POST", "meetings.answer"): signed_in(400),
    ("POST", "meetings.attendance"): staff(303),
    ("GET", "meetings.live"): signed_in(200),
    ("GET", "meetings.live_state"): signed_in(200),
    ("POST", "meetings.live_step"): staff(303),
    ("POST", "meetings.live_take_up"): staff(303),
    ("POST", "meetings.save_notes"): staff(303),
    ("POST", "meetings.record_decision"): staff(303),
    ("POST", "meetings.add_action"): staff(303),
    ("POST", "meetings.action_done"): staff(303),
    ("GET", "meetings.minutes"): staff(200),
    ("GET", "meetings.minutes_history"): signed_in(404),  # the sample has no minutes yet
    # Someone's page: reviewers only for people whose work they see (the sample's is
    # still in discussion).
    ("GET", "main.person"): {**signed_in(200), "reviewer": 404},
    ("POST", "meetings.minutes"): staff(400),
    ("POST", "meetings.publish_minutes"): staff(303),
    ("GET", "calendar.meeting_ics"): signed_in(200),
    ("GET", "calendar.feed"): everyone(404),
    ("GET", "account.unsubscribe"): everyone(404),  # the sample token is not signed
    ("POST", "account.unsubscribe"): everyone(404),
    ("POST", "account.mute_follow"): signed_in(404),  # someone else's follow
    ("POST", "calendar.renew_token"): signed_in(303),
    ("GET", "admin.outgoing_mail"): admin_only(200),
    ("POST", "admin.retry_mail"): admin_only(303),  # a cancelled mail: nothing to send
    ("GET", "admin.audit_log"): admin_only(200),
    # Exports, packages, answers (the sample package goes to a ministry; the matrix's
    # reviewer belongs to none, so packages do not exist for them: 404).
    ("GET", "exports.index"): signed_in(200),
    ("GET", "exports.download"): signed_in(200),
    ("GET", "exports.json_schema"): signed_in(200),
    ("GET", "exports.package_new"): staff(200),
    ("POST", "exports.package_new"): staff(422),
    ("GET", "exports.package_detail"): package_readers(200),
    ("GET", "exports.package_file"): package_readers(200),
    ("GET", "exports.package_materials_zip"): package_readers(200),
    # Exports made in the background: anyone who exports may ask for one (the empty
    # form exports all they see); a job is its owner's alone (the sample is another's).
    ("POST", "export_jobs.create"): signed_in(303),
    ("GET", "export_jobs.detail"): signed_in(404),
    ("GET", "export_jobs.file"): signed_in(404),
    # Without htmx the files' part sends the reader to the page.
    ("GET", "exports.package_files_part"): package_readers(303),
    ("GET", "exports.package_changes"): package_readers(200),
    ("POST", "exports.package_note"): staff(422, reviewer=404),
    ("POST", "exports.stage_answer"): staff(403, reviewer=404),
    ("POST", "exports.publish_answers"): staff(403, reviewer=404),
    ("POST", "admin.reset_two_factor"): admin_only(409),
    ("GET", "admin.audit_csv"): admin_only(200),  # off for the sample account
    ("POST", "account.create_api_token"): {**admin_only(400), "reviewer": 400},
    ("POST", "account.revoke_api_token"): {**admin_only(404), "reviewer": 404},
    # The JSON API answers 401 in JSON instead of sending programs to a login page.
    ("GET", "api.openapi"): everyone(200),
    ("GET", "api.problem_areas"): api(200),
    ("GET", "api.recommendations"): api(200),
    ("GET", "api.recommendation"): {**api(200), "reviewer": 404},  # still in discussion
    ("GET", "api.meetings"): api(200),
    ("GET", "api.strategies"): api(200),
    # Materials (the sample is a file its author attached to the sample recommendation,
    # in discussion: seen with it; replaced by those who may edit it, removed by its
    # uploader or a facilitator. The form is empty: nothing to upload is a 422).
    ("GET", "materials.section"): seen_by_members(200),
    ("POST", "materials.upload"): {
        "anonymous": 302,
        "member": 403,
        "facilitator": 422,
        "reviewer": 404,
        "admin": 422,
    },
    ("GET", "materials.download"): seen_by_members(200),
    ("GET", "materials.download_version"): seen_by_members(200),
    ("POST", "materials.replace"): {
        "anonymous": 302,
        "member": 403,
        "facilitator": 422,
        "reviewer": 404,
        "admin": 422,
    },
    ("POST", "materials.remove"): {
        "anonymous": 302,
        "member": 403,
        "facilitator": 303,
        "reviewer": 404,
        "admin": 303,
    },
    # The strategy portal (the sample is an unclassified strategy).
    ("GET", "strategies.index"): signed_in(200),
    ("GET", "strategies.procedure"): signed_in(200),
    ("GET", "strategies.new"): contributors(200),
    ("POST", "strategies.new"): contributors(400),
    ("GET", "strategies.edit"): contributors(200),
    ("POST", "strategies.edit"): contributors(400),
    ("GET", "strategies.detail"): signed_in(200),
    ("GET", "strategies.classify"): contributors(200),
    ("POST", "strategies.classify"): contributors(400),
    ("POST", "strategies.review"): staff(400),
    ("GET", "strategy_links.search"): contributors(200),
    ("GET", "strategies.import_csv"): staff(200),
    ("POST", "strategies.import_csv"): staff(400),
    ("GET", "strategies.export"): signed_in(200),
    ("GET", "notifications.index"): signed_in(200),
    ("GET", "notifications.bell"): signed_in(200),
    ("POST", "notifications.mark_all_read"): signed_in(303),
    ("GET", "notifications.follow"): signed_in(404),  # someone else's notification
    ("POST", "strategy_links.link"): contributors(303),
    # The sample link is its author's: another member may not remove it; facilitators may.
    ("POST", "strategy_links.unlink"): staff(303),
}


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule


def build_url(rule, values) -> str:
    """The rule's URL with the sample values it takes."""
    return rule.build(
        {k: v for k, v in values.items() if k in rule.arguments}, append_unknown=False
    )[1]


def test_every_route_has_a_row(app):
    missing = sorted(
        f"{m} {r.endpoint} ({r.rule})" for m, r in routes(app) if (m, r.endpoint) not in MATRIX
    )
    assert not missing, "add these routes to the permission matrix:\n" + "\n".join(missing)
    stale = set(MATRIX) - {(m, r.endpoint) for m, r in routes(app)}
    assert not stale, f"rows for routes that no longer exist: {stale}"


def sample_meeting(owner):
    from datetime import timedelta

    from app.database import utcnow

    boss = factories.make_user("facilitator")
    start = utcnow() + timedelta(days=3)
    meeting = meeting_services.create_meeting(
        boss,
        1,
        meeting_services.MeetingFields(
            title="Sample meeting",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            mode="online",
        ),
    )
    item = meeting_services.add_agenda_item(
        meeting,
        boss,
        meeting_services.AgendaFields(title="Taken up", kind="discussion", planned_minutes=30),
    )
    meeting_services.publish_agenda(meeting, boss)
    item.actual_start = start  # already taken up: it cannot be removed
    factories.db.session.commit()
    return meeting


def meeting_services_guest(meeting):
    return meeting_services.add_guest(
        meeting,
        factories.make_user("facilitator"),
        name="Gość",
        organisation_id=None,
        sector_code=None,
        role="observer",
    )


def meeting_services_action(meeting, owner):
    return meeting_services.add_action_item(
        meeting, factories.make_user("facilitator"), title="Zadanie", owner=owner, due_on=None
    )


def sample_material(rec, uploader):
    import io

    from app.attachments import services as attachment_services

    (material,) = attachment_services.attach(
        rec, uploader, [attachment_services.Upload("note.txt", io.BytesIO(b"A note.\n"))]
    )
    return material


def sample_job(owner):
    from app.exports import export_jobs, selection

    return export_jobs.create(owner, selection.parse({}, None), 1, "pl")


def sample_strategy(owner):
    from app.strategies import services as strategy_services

    return strategy_services.create_strategy(
        owner,
        strategy_services.StrategyFields(
            title_original="Sample strategy", place="Brno", country="CZ", level="municipal"
        ),
    )


def sample_package():
    from app.exports import packages, selection
    from tests.exports.helpers import ministry
    from tests.recommendations.helpers import make_rec

    facilitator = factories.make_user("facilitator")
    rec = make_rec(
        factories.make_user("member"), area="G05", status="agreed", facilitator=facilitator
    )
    sample_material(rec, facilitator)  # the package's annex
    chosen = selection.parse({"area": "G05"}, None)
    return packages.send(
        facilitator, chosen, organisation=ministry(), title="Sample", cover_letter="Letter"
    )


def sample_token(owner):
    from sqlalchemy import select

    from app.auth import api_tokens
    from app.auth.models import ApiToken

    api_tokens.create(owner, "sample")
    return factories.db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == owner.id))


def sample_notification(owner):
    from app.digests.models import Notification

    item = Notification(
        user_id=owner.id,
        kind="challenge.new",
        target_type="challenge",
        target_id=1,
        url="/problems/",
        data={"title": "x"},
    )
    factories.db.session.add(item)
    factories.db.session.commit()
    return item


def sample_mail(owner):
    from app import mailqueue

    mailqueue.enqueue("sample", kind="sample", to=owner.email, subject="S", text="T")
    mail = factories.db.session.scalar(
        factories.select(mailqueue.OutgoingMail).where(mailqueue.OutgoingMail.key == "sample")
    )
    mailqueue.cancel([mail.id])
    factories.db.session.commit()
    return mail


def sample_follow(owner):
    from app.follows import Follow

    row = Follow(user_id=owner.id, target_type="problem_area", target_id=1)
    factories.db.session.add(row)
    factories.db.session.commit()
    return row


def sample_organisation():
    from app.auth.models import Organisation
    from app.extensions import db

    organisation = Organisation(name="Sample Organisation s.r.o.", sector_code="business")
    db.session.add(organisation)
    db.session.commit()
    return organisation


def sample_values():
    from app.recommendations import services
    from app.recommendations.services import TextFields
    from app.strategies import services as strategy_services

    target = factories.make_user("member", name="Target Person")
    third = factories.make_user("member", name="Third Person")
    rec = services.create_recommendation(
        target,
        area=factories.area("G03"),
        category=factories.category("R2"),
        text=TextFields(title="Sample", summary="Sample summary"),
    )
    services.change_status(rec, target, "discussion")
    amendment = services.propose_amendment(
        rec, third, TextFields(title="Sample, amended", summary="Sample summary"), "Better."
    )
    comment = services.add_comment(rec, third, "A comment.")
    material = sample_material(rec, target)
    challenge = factories.make_challenge("G03", author=target)
    meeting = sample_meeting(target)
    strategy = sample_strategy(target)
    package = sample_package()
    return {
        "package_id": package.id,
        "file_format": "docx",
        "token_id": sample_token(third),
        "code": "G03",
        "meeting_id": meeting.id,
        "item_id": meeting_services.current_item(meeting.id).id,
        "participant_id": meeting_services_guest(meeting).id,
        "action_id": meeting_services_action(meeting, target).id,
        "step": "start",
        "strategy_id": strategy.id,
        "fmt": "csv",
        "notification_id": sample_notification(target).id,
        "mail_id": sample_mail(target).id,
        "follow_id": sample_follow(target).id,
        "link_id": strategy_services.link_strategy(rec, strategy, target, "evidence").id,
        "user_id": target.id,
        "organisation_id": sample_organisation().id,
        "handle": target.handle,
        "token": "not-a-valid-token",
        "filename": "css/app.css",
        "rec_id": rec.id,
        "amendment_id": amendment.id,
        "comment_id": comment.id,
        "challenge_id": challenge.id,
        "owner_kind": "recommendation",
        "owner_id": rec.id,
        "attachment_id": material.id,
        "number": 1,
        "job_id": sample_job(target).id,
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_outcome_on_every_route(app, role):
    values = sample_values()
    mismatches = []
    for method, rule in routes(app):
        client = app.test_client()
        auth = Auth(client)
        if role != "anonymous":
            auth.login(role)
        url = build_url(rule, values)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": auth.csrf()})
        response.close()
        expected = MATRIX[(method, rule.endpoint)][role]
        if response.status_code != expected:
            mismatches.append(f"{method} {url}: expected {expected}, got {response.status_code}")
    assert not mismatches, f"as {role}:\n" + "\n".join(mismatches)
