"""The audit log in words: each recorded action, object and detail named in the
reader's language, and the families of actions the log filters by.

An action recorded somewhere in the code without a label here is shown by its code; a
test (tests/auth/test_audit_log.py) finds every ``audit.record`` call and fails on such
an action, so a new one is named when it is added."""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    prefixes: tuple[str, ...]


FAMILIES = (
    Family(
        "accounts",
        _l("Accounts and sign-in"),
        ("user.", "api_token.", "calendar.", "organisation."),
    ),
    Family("recommendations", _l("Recommendations"), ("recommendation.", "amendment.")),
    Family("comments", _l("Comments"), ("comment.",)),
    Family("challenges", _l("Challenges"), ("challenge.",)),
    Family("meetings", _l("Meetings and minutes"), ("meeting.", "agenda.", "minutes.")),
    Family("strategies", _l("Strategies"), ("strategy.",)),
    Family("materials", _l("Materials"), ("attachment.",)),
    Family("exports", _l("Exports, packages and answers"), ("export.", "package.", "answer.")),
    Family("notifications", _l("Follows and digests"), ("follow.", "digest.", "mail.")),
)
FAMILY_BY_KEY = {family.key: family for family in FAMILIES}

ACTIONS = {
    # accounts and sign-in
    "user.created": _l("Account created"),
    "user.invited": _l("Invitation sent"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.logged_in": _l("Logged in"),
    "user.logged_out": _l("Logged out"),
    "user.login_failed": _l("Login refused"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.role_changed": _l("Role changed"),
    "user.organisation_changed": _l("Organisation changed"),
    "organisation.created": _l("Organisation added"),
    "organisation.updated": _l("Organisation corrected"),
    "organisation.merged": _l("Organisations merged"),
    "organisation.deleted": _l("Organisation deleted"),
    "user.activated": _l("Account activated"),
    "user.deactivated": _l("Account deactivated"),
    "user.two_factor_enabled": _l("Two-factor sign-in turned on"),
    "user.two_factor_disabled": _l("Two-factor sign-in turned off"),
    "user.two_factor_failed": _l("Wrong two-factor code"),
    "user.two_factor_reset": _l("Two-factor sign-in reset by an administrator"),
    "user.recovery_code_used": _l("Recovery code used"),
    "user.recovery_codes_renewed": _l("New recovery codes made"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "calendar.token_changed": _l("Calendar link renewed"),
    # recommendations
    "recommendation.created": _l("Recommendation created"),
    "recommendation.revised": _l("Recommendation revised"),
    "recommendation.status_changed": _l("Status changed"),
    "recommendation.coauthor_invited": _l("Co-author invited"),
    "recommendation.coauthor_accepted": _l("Co-authorship accepted"),
    "recommendation.coauthor_declined": _l("Co-authorship declined"),
    "recommendation.supported": _l("Support given"),
    "recommendation.support_withdrawn": _l("Support withdrawn"),
    "amendment.proposed": _l("Amendment proposed"),
    "amendment.accepted": _l("Amendment accepted"),
    "amendment.rejected": _l("Amendment rejected"),
    # comments and challenges
    "comment.posted": _l("Comment posted"),
    "comment.edited": _l("Comment edited"),
    "comment.deleted": _l("Comment deleted"),
    "challenge.created": _l("Challenge created"),
    "challenge.edited": _l("Challenge edited"),
    # meetings
    "meeting.created": _l("Meeting planned"),
    "meeting.edited": _l("Meeting changed"),
    "meeting.cancelled": _l("Meeting cancelled"),
    "meeting.agenda_published": _l("Agenda published"),
    "meeting.member_invited": _l("Member invited to a meeting"),
    "meeting.guest_added": _l("Guest added to a meeting"),
    "meeting.participant_removed": _l("Participant removed"),
    "meeting.invitation_answered": _l("Meeting invitation answered"),
    "meeting.attendance_recorded": _l("Attendance recorded"),
    "meeting.started": _l("Meeting started"),
    "meeting.item_taken_up": _l("Agenda item taken up"),
    "meeting.decision_recorded": _l("Decision recorded"),
    "meeting.action_added": _l("Action item added"),
    "meeting.action_done": _l("Action item done"),
    "meeting.action_reopened": _l("Action item reopened"),
    "meeting.finished": _l("Meeting finished"),
    "agenda.item_added": _l("Agenda item added"),
    "agenda.item_edited": _l("Agenda item changed"),
    "agenda.item_moved": _l("Agenda item moved"),
    "agenda.item_removed": _l("Agenda item removed"),
    "agenda.notes_saved": _l("Notes saved"),
    "minutes.saved": _l("Minutes saved"),
    "minutes.published": _l("Minutes published"),
    # strategies
    "strategy.created": _l("Strategy added"),
    "strategy.edited": _l("Strategy changed"),
    "strategy.imported": _l("Strategies imported"),
    "strategy.classification_proposed": _l("Classification proposed"),
    "strategy.classification_approved": _l("Classification approved"),
    "strategy.classification_returned": _l("Classification returned"),
    "strategy.linked": _l("Strategy linked as evidence"),
    "strategy.unlinked": _l("Evidence link removed"),
    # materials
    "attachment.added": _l("Material attached"),
    "attachment.replaced": _l("New version of a material"),
    "attachment.removed": _l("Material removed"),
    "attachment.moved": _l("Material moved to the meeting"),
    # exports, packages, answers
    "export.downloaded": _l("Export downloaded"),
    "package.sent": _l("Package sent"),
    "package.files_ready": _l("Package files ready"),
    "package.materials_downloaded": _l("Package annex downloaded"),
    "package.note_added": _l("Note in a package's thread"),
    "answer.staged": _l("Answer drafted"),
    "answer.published": _l("Answers published"),
    # follows, digests, mail
    "follow.started": _l("Started following"),
    "follow.stopped": _l("Stopped following"),
    "follow.muted": _l("Follow muted"),
    "follow.unmuted": _l("Follow unmuted"),
    "digest.frequency_changed": _l("Digest settings changed"),
    "digest.unsubscribed": _l("Unsubscribed from digests"),
    "mail.retried": _l("Mail sent again"),
}

#: The objects events are about, by table name: a label and, where there is one, a page.
OBJECTS = {
    "users": (_l("Account"), lambda i: url_for("admin.user", user_id=i)),
    "organisations": (
        _l("Organisation"),
        lambda i: url_for("admin.organisation", organisation_id=i),
    ),
    "recommendations": (
        _l("Recommendation"),
        lambda i: url_for("recommendations.detail", rec_id=i),
    ),
    "amendments": (_l("Amendment"), None),
    "comments": (_l("Comment"), None),
    "challenges": (_l("Challenge"), None),
    "meetings": (_l("Meeting"), lambda i: url_for("meetings.detail", meeting_id=i)),
    "agenda_items": (_l("Agenda item"), None),
    "action_items": (_l("Action item"), None),
    "decisions": (_l("Decision"), None),
    "minutes": (_l("Minutes"), None),
    "participants": (_l("Participant"), None),
    "smart_strategies": (_l("Strategy"), lambda i: url_for("strategies.detail", strategy_id=i)),
    "strategy_links": (_l("Evidence link"), None),
    "attachments": (_l("Material"), lambda i: url_for("materials.download", attachment_id=i)),
    "submission_packages": (
        _l("Package"),
        lambda i: url_for("exports.package_detail", package_id=i),
    ),
    "package_notes": (_l("Package note"), None),
    "ministry_answers": (_l("Answer"), None),
    "api_tokens": (_l("API token"), None),
    "follows": (_l("Follow"), None),
    "outgoing_mail": (_l("Mail"), None),
    "login": (_l("Login"), None),
    "export": (_l("Export"), None),
}

#: Details' keys in words; others are shown by their key.
DETAILS = {
    "old": _l("before"),
    "new": _l("after"),
    "role": _l("role"),
    "user": _l("account"),
    "email": _l("address"),
    "reason": _l("reason"),
    "method": _l("method"),
    "name": _l("name"),
    "merged": _l("merged in"),
    "moved": _l("references moved"),
    "fields": _l("fields"),
    "count": _l("count"),
    "rows": _l("rows"),
    "filters": _l("filters"),
    "format": _l("format"),
    "sha256": _l("SHA-256"),
    "revision": _l("revision"),
    "recommendation": _l("recommendation"),
    "ministry": _l("ministry"),
    "verdict": _l("verdict"),
    "kind": _l("kind"),
    "owner": _l("owner"),
    "answer": _l("answer"),
    "target": _l("about"),
    "package": _l("package"),
    "via": _l("via"),
    "recipient": _l("recipient"),
}


def action_label(action: str) -> str:
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def object_label(object_type: str) -> str:
    found = OBJECTS.get(object_type)
    return str(found[0]) if found else object_type


def object_url(object_type: str, object_id: int | None) -> str | None:
    found = OBJECTS.get(object_type)
    if not found or found[1] is None or object_id is None:
        return None
    return found[1](object_id)


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def details(data: dict | None) -> list[tuple[str, str]]:
    """(label, value) pairs of an event's details, in the reader's language."""
    return [(str(DETAILS.get(key, key)), _value(value)) for key, value in (data or {}).items()]


def details_text(data: dict | None) -> str:
    return "; ".join(f"{label}: {value}" for label, value in details(data))
