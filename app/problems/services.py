"""Every change to challenges: formulating and editing them."""

from app import audit, events
from app.database import commit, flush_or_raise
from app.extensions import db
from app.follows import FollowTarget, ensure_follow
from app.problems.models import Challenge


class ChallengeError(Exception):
    """A request about a challenge that cannot be carried out; the message is for the person."""


class StaleChallenge(Exception):
    def __init__(self, challenge: Challenge):
        super().__init__("stale edit")
        self.challenge = challenge


def create_challenge(
    actor, area, *, title: str, description: str, origin_meeting_id: int | None = None
) -> Challenge:
    challenge = Challenge(
        problem_area_id=area.id,
        title=title.strip(),
        description=description.strip(),
        author_id=actor.id,
        origin_meeting_id=origin_meeting_id,
    )
    db.session.add(challenge)
    db.session.flush()
    ensure_follow(actor, FollowTarget.CHALLENGE, challenge.id)
    audit.record(actor, "challenge.created", challenge)
    events.challenge_created.send(challenge, actor=actor)
    commit()
    return challenge


def update_challenge(
    challenge: Challenge, actor, *, expected_version: int, title: str, description: str
) -> None:
    if challenge.version != expected_version:
        raise StaleChallenge(challenge)
    challenge.title = title.strip()
    challenge.description = description.strip()
    flush_or_raise(lambda: StaleChallenge(db.session.get(Challenge, challenge.id)))
    audit.record(actor, "challenge.edited", challenge)
    commit()
