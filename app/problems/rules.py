"""How the rest of the app treats challenges and problem areas: who may edit a
challenge (``can``), who adds materials to one, and how follows of both are listed on
the account page."""

from flask import url_for
from sqlalchemy import func

from app import permissions
from app.attachments import owners
from app.follows import Followable, FollowTarget, register_followable
from app.permissions import is_staff, register_object_rules
from app.problems.models import Challenge, ProblemArea


def _edit_challenge(user, challenge) -> bool:
    return challenge.author_id == user.id or is_staff(user)


def _area_title(language: str):
    """The title in the reader's language, in SQL; English where it is missing."""
    if language in ("pl", "en"):
        title = getattr(ProblemArea, f"title_{language}")
    else:
        own = getattr(ProblemArea, f"title_{language}", ProblemArea.title_en)
        title = func.coalesce(func.nullif(own, ""), ProblemArea.title_en)
    return ProblemArea.code + " " + title


register_object_rules({"edit_challenge": _edit_challenge})
owners.register(
    owners.Owner(
        kind="challenge",
        model=Challenge,
        may_see=lambda user, _challenge: permissions.can(user, "view_workspace"),
        may_attach=lambda user, challenge: permissions.can(user, "edit_challenge", challenge),
        page=lambda challenge: url_for("challenges.detail", challenge_id=challenge.id),
        name=lambda challenge: challenge.title,
    )
)
register_followable(
    FollowTarget.CHALLENGE,
    Followable(Challenge, lambda _language: Challenge.title, lambda: Challenge.id, "/challenges/"),
)
register_followable(
    FollowTarget.PROBLEM_AREA,
    Followable(ProblemArea, _area_title, lambda: ProblemArea.code, "/problems/"),
)
