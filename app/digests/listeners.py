"""Turns the features' events into notification rows, in the same transaction."""

from sqlalchemy import select

from app import events
from app.auth.models import User
from app.digests import digest, reminders  # noqa: F401  registers the scheduled jobs
from app.digests.models import Notification
from app.extensions import db
from app.follows import Follow, FollowTarget, followers
from app.meetings.models import Participant
from app.permissions import REVIEWER_VISIBLE_STATUSES
from app.recommendations.models import Comment, Recommendation, RecommendationAuthor


def _visible(user_ids, target_type: str, target) -> list[int]:
    """Only people who may see the object hear about it: reviewers (ministry staff) never
    hear of drafts or discussions."""
    ids = list(dict.fromkeys(user_ids))
    status = getattr(target, "status", None) if target_type == "recommendation" else None
    if not ids or status is None or status in REVIEWER_VISIBLE_STATUSES:
        return ids
    reviewers = set(
        db.session.scalars(select(User.id).where(User.id.in_(ids), User.role == "reviewer"))
    )
    return [i for i in ids if i not in reviewers]


def _notify(
    user_ids,
    kind: str,
    actor,
    target_type: str,
    target_id: int,
    url: str,
    skip=(),
    target=None,
    **data,
) -> set[int]:
    """One notification per person who may see the object; never to the actor, never twice."""
    told = set()
    for user_id in _visible(user_ids, target_type, target):
        if user_id in told or user_id in skip or (actor is not None and user_id == actor.id):
            continue
        db.session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                actor_id=actor.id if actor else None,
                target_type=target_type,
                target_id=target_id,
                url=url,
                data=data,
            )
        )
        told.add(user_id)
    return told


def _rec_url(rec_id: int, anchor: str = "") -> str:
    return f"/recommendations/{rec_id}" + (f"#{anchor}" if anchor else "")


def on_comment(comment, actor, target, mentioned, **_):
    is_rec = comment.recommendation_id is not None
    target_type = "recommendation" if is_rec else "challenge"
    # ?comment= widens a long thread's window back to the comment (the anchor alone
    # would find nothing when the comment is among the earlier ones).
    where = f"?comment={comment.id}#comment-{comment.id}"
    url = f"/recommendations/{target.id}{where}" if is_rec else f"/challenges/{target.id}{where}"
    common = {"target": target, "title": target.title, "comment_id": comment.id}
    told = _notify(
        [u.id for u in mentioned], "comment.mention", actor, target_type, target.id, url, **common
    )
    if comment.parent_id:
        parent = db.session.get(Comment, comment.parent_id)
        told |= _notify(
            [parent.author_id],
            "comment.reply",
            actor,
            target_type,
            target.id,
            url,
            skip=told,
            **common,
        )
    kind = FollowTarget.RECOMMENDATION if is_rec else FollowTarget.CHALLENGE
    _notify(
        followers(kind, target.id),
        "comment.new",
        actor,
        target_type,
        target.id,
        url,
        skip=told,
        **common,
    )


def on_coauthor_invited(row, actor, recommendation, **_):
    rec = recommendation
    _notify(
        [row.user_id],
        "coauthor.invited",
        actor,
        "recommendation",
        rec.id,
        _rec_url(rec.id, "authors"),
        target=rec,
        title=rec.title,
    )


def on_amendment_proposed(amendment, actor, recommendation, **_):
    rec = recommendation
    authors = db.session.scalars(
        select(RecommendationAuthor.user_id).where(
            RecommendationAuthor.recommendation_id == rec.id,
            RecommendationAuthor.state == "accepted",
        )
    )
    _notify(
        authors,
        "amendment.proposed",
        actor,
        "recommendation",
        rec.id,
        _rec_url(rec.id, f"amendment-{amendment.id}"),
        target=rec,
        title=rec.title,
        amendment_id=amendment.id,
    )


def on_amendment_decided(amendment, actor, recommendation, **_):
    rec = recommendation
    _notify(
        [amendment.author_id],
        f"amendment.{amendment.state}",
        actor,
        "recommendation",
        rec.id,
        _rec_url(rec.id, f"amendment-{amendment.id}"),
        target=rec,
        title=rec.title,
        amendment_id=amendment.id,
        reason=amendment.reason,
    )


def _tell_followers(rec, kind: str, actor, url: str, **data) -> set[int]:
    """Everyone following the recommendation who may see it, but the actor."""
    return _notify(
        followers(FollowTarget.RECOMMENDATION, rec.id),
        kind,
        actor,
        "recommendation",
        rec.id,
        url,
        target=rec,
        title=rec.title,
        **data,
    )


def on_status_changed(rec, actor, change, **_):
    _tell_followers(
        rec,
        "recommendation.status",
        actor,
        _rec_url(rec.id, "timeline"),
        old=change.from_status,
        new=change.to_status,
        note=change.note,
    )


def on_answer_published(answer, actor, recommendation, **_):
    rec = recommendation
    _tell_followers(
        rec,
        "recommendation.answered",
        actor,
        _rec_url(rec.id, "answers"),
        verdict=answer.verdict,
        ministry=actor.organisation.name if actor.organisation else "",
    )


def _ministry_reviewers(organisation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(
                User.organisation_id == organisation_id,
                User.role == "reviewer",
                User.active.is_(True),
            )
        )
    )


def on_package_sent(package, actor, recommendation_ids, **_):
    """The ministry's reviewers hear that a package arrived; followers hear that their
    recommendation went to the ministry (batched: a package may hold thousands)."""
    _notify(
        _ministry_reviewers(package.organisation_id),
        "package.received",
        actor,
        "package",
        package.id,
        f"/exports/packages/{package.id}",
        title=package.title,
        number=package.number,
        count=len(recommendation_ids),
    )
    for start in range(0, len(recommendation_ids), 500):
        chunk = recommendation_ids[start : start + 500]
        following: dict[int, list[int]] = {}
        for user_id, rec_id in db.session.execute(
            select(Follow.user_id, Follow.target_id).where(
                Follow.target_type == FollowTarget.RECOMMENDATION,
                Follow.target_id.in_(chunk),
                Follow.muted.is_(False),
            )
        ):
            following.setdefault(rec_id, []).append(user_id)
        titles = dict(
            db.session.execute(
                select(Recommendation.id, Recommendation.title).where(
                    Recommendation.id.in_(list(following))
                )
            ).all()
        )
        for rec_id, user_ids in following.items():
            _notify(
                user_ids,
                "recommendation.status",
                actor,
                "recommendation",
                rec_id,
                _rec_url(rec_id, "timeline"),
                title=titles.get(rec_id, ""),
                old="agreed",
                new="submitted",
                note="",
                package=package.number,
            )


def on_package_note(note, actor, package, writer_ids, **_):
    """The reviewers' thread: the ministry's reviewers, the facilitator who sent the
    package and everyone who wrote in the thread hear of a new message."""
    _notify(
        [
            user_id
            for user_id in (
                *_ministry_reviewers(package.organisation_id),
                package.sent_by_id,
                *writer_ids,
            )
            if user_id is not None
        ],
        "package.note",
        actor,
        "package",
        package.id,
        f"/exports/packages/{package.id}#thread",
        title=package.title,
        number=package.number,
    )


def on_revised(rec, actor, revision, **_):
    _tell_followers(
        rec,
        "recommendation.revised",
        actor,
        f"/recommendations/{rec.id}/history",
        revision=revision.number,
    )


def on_challenge_created(challenge, actor, **_):
    _notify(
        followers(FollowTarget.PROBLEM_AREA, challenge.problem_area_id),
        "challenge.new",
        actor,
        "challenge",
        challenge.id,
        f"/challenges/{challenge.id}",
        title=challenge.title,
    )


def on_recommendation_created(rec, actor, **_):
    _notify(
        followers(FollowTarget.PROBLEM_AREA, rec.problem_area_id),
        "recommendation.new",
        actor,
        "recommendation",
        rec.id,
        _rec_url(rec.id),
        target=rec,
        title=rec.title,
    )


def on_meeting_invited(meeting, actor, participant, **_):
    if participant.user_id:
        _notify(
            [participant.user_id],
            "meeting.invited",
            actor,
            "meeting",
            meeting.id,
            f"/meetings/{meeting.id}",
            title=meeting.title,
            role=participant.role,
        )


def _invitees(meeting) -> list[int]:
    return list(
        db.session.scalars(
            select(Participant.user_id).where(
                Participant.meeting_id == meeting.id,
                Participant.user_id.is_not(None),
                Participant.answer != "declined",
            )
        )
    )


def on_meeting_changed(meeting, actor, moved, **_):
    """Invitees hear when a planned meeting moves, changes or is cancelled."""
    if meeting.status == "cancelled":
        kind = "meeting.cancelled"
    elif meeting.status != "planned":
        return  # started or finished: the live view and the minutes tell the rest
    else:
        kind = "meeting.moved" if moved else "meeting.changed"
    _notify(
        _invitees(meeting),
        kind,
        actor,
        "meeting",
        meeting.id,
        f"/meetings/{meeting.id}",
        title=meeting.title,
    )


def on_action_assigned(action, actor, **_):
    _notify(
        [action.owner_id],
        "action.assigned",
        actor,
        "meeting",
        action.meeting_id,
        f"/meetings/{action.meeting_id}#actions",
        title=action.title,
        action_id=action.id,
    )


def connect() -> None:
    """Subscribe to the features' events (weak=False: these functions live forever)."""
    events.comment_posted.connect(on_comment, weak=False)
    events.coauthor_invited.connect(on_coauthor_invited, weak=False)
    events.amendment_proposed.connect(on_amendment_proposed, weak=False)
    events.amendment_decided.connect(on_amendment_decided, weak=False)
    events.status_changed.connect(on_status_changed, weak=False)
    events.answer_published.connect(on_answer_published, weak=False)
    events.package_sent.connect(on_package_sent, weak=False)
    events.package_note_added.connect(on_package_note, weak=False)
    events.recommendation_revised.connect(on_revised, weak=False)
    events.challenge_created.connect(on_challenge_created, weak=False)
    events.recommendation_created.connect(on_recommendation_created, weak=False)
    events.meeting_invited.connect(on_meeting_invited, weak=False)
    events.meeting_changed.connect(on_meeting_changed, weak=False)
    events.action_assigned.connect(on_action_assigned, weak=False)

    events.minutes_published.connect(reminders.on_minutes_published, weak=False)
    events.digest_settings_changed.connect(digest.on_settings_changed, weak=False)
