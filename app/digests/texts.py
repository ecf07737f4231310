"""Wording of notifications, in the reader's language, for the list and the digests."""

from flask_babel import gettext as _

from app.templating import VERDICT_LABELS


def notification_text(n) -> str:
    who = n.actor.name if n.actor is not None else _("Warsztat")
    title = n.data.get("title", "")
    texts = {
        "comment.mention": lambda: _("%(who)s mentioned you in “%(title)s”.", who=who, title=title),
        "comment.reply": lambda: _("%(who)s replied to you in “%(title)s”.", who=who, title=title),
        "comment.new": lambda: _("%(who)s commented on “%(title)s”.", who=who, title=title),
        "coauthor.invited": lambda: _(
            "%(who)s invited you to co-author “%(title)s”.", who=who, title=title
        ),
        "amendment.proposed": lambda: _(
            "%(who)s proposed an amendment to “%(title)s”.", who=who, title=title
        ),
        "amendment.accepted": lambda: _("Your amendment to “%(title)s” was accepted.", title=title),
        "amendment.rejected": lambda: _("Your amendment to “%(title)s” was rejected.", title=title),
        "recommendation.status": lambda: _("“%(title)s” changed its status.", title=title),
        "recommendation.answered": lambda: _(
            "%(ministry)s answered “%(title)s”: %(verdict)s.",
            ministry=n.data.get("ministry", ""),
            title=title,
            verdict=VERDICT_LABELS.get(n.data.get("verdict"), n.data.get("verdict", "")),
        ),
        "package.received": lambda: _(
            "Package %(number)s for your ministry: “%(title)s”, awaiting your answers.",
            number=n.data.get("number", ""),
            title=title,
        ),
        "package.note": lambda: _(
            "%(who)s wrote in the reviewers' thread of package %(number)s.",
            who=who,
            number=n.data.get("number", ""),
        ),
        "recommendation.revised": lambda: _(
            "%(who)s saved a new version of “%(title)s”.", who=who, title=title
        ),
        "recommendation.new": lambda: _("New recommendation: “%(title)s”.", title=title),
        "challenge.new": lambda: _("New challenge: “%(title)s”.", title=title),
        "meeting.invited": lambda: _("You are invited to the meeting “%(title)s”.", title=title),
        "meeting.moved": lambda: _("The meeting “%(title)s” has a new date.", title=title),
        "meeting.changed": lambda: _(
            "The details of the meeting “%(title)s” changed.", title=title
        ),
        "meeting.cancelled": lambda: _("The meeting “%(title)s” was cancelled.", title=title),
        "action.assigned": lambda: _(
            "%(who)s assigned you an action item: “%(title)s”.", who=who, title=title
        ),
    }
    return texts.get(n.kind, lambda: title)()
