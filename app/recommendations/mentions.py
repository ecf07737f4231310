"""Who a comment mentions, and who may be offered while one is typed.

``@handle`` always names exactly one account: handles are unique and never change. A
name (``@Anna Nowak``) names someone only while exactly one person has it; when several
do, the comment is refused with the handles to choose from, so copying someone's
display name never redirects their mentions."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.search import normalise
from app.text import MENTION

#: People offered while typing.
SUGGESTIONS = 8


@dataclass
class Mentions:
    people: list[User] = field(default_factory=list)
    #: A name as written -> the people who have it (more than one).
    ambiguous: dict[str, list[User]] = field(default_factory=dict)


def _mentionable():
    """Accounts that can be mentioned: active and joined (invitees are not named)."""
    return select(User).where(User.active.is_(True), User.password_hash.is_not(None))


def resolve(body: str) -> Mentions:
    """The people ``body`` mentions, and the names it uses that several people share."""
    candidates = MENTION.findall(body or "")
    result = Mentions()
    if not candidates:
        return result
    people = db.session.scalars(_mentionable()).all()
    by_handle = {u.handle: u for u in people}
    by_name: dict[str, list[User]] = defaultdict(list)
    for user in people:
        by_name[normalise(user.name)].append(user)
    found: dict[int, User] = {}
    for candidate in candidates:
        words = candidate.split()
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n]).rstrip(".-")
            if n == 1 and phrase.lower() in by_handle:
                # A single word that is a handle is the handle, even if someone's
                # display name is that word too.
                user = by_handle[phrase.lower()]
                found[user.id] = user
                break
            named = by_name.get(normalise(phrase), [])
            if len(named) == 1:
                found[named[0].id] = named[0]
                break
            if len(named) > 1:
                result.ambiguous[phrase] = sorted(named, key=lambda u: u.handle)
                break
    result.people = list(found.values())
    return result


def ambiguity_message(ambiguous: dict[str, list[User]]) -> str:
    """Which handles to write instead of a name several people have."""
    parts = []
    for name, people in ambiguous.items():
        choices = ", ".join(
            f"@{u.handle} ({u.organisation.name})" if u.organisation else f"@{u.handle}"
            for u in people
        )
        parts.append(
            _(
                "Several people are called “%(name)s”; write the handle of the one you mean: "
                "%(choices)s.",
                name=name,
                choices=choices,
            )
        )
    return " ".join(parts)


class NotOnePerson(ValueError):
    """What was typed names nobody, or several people; the message says which."""


def person_named(text: str, *, joined_only: bool = True) -> User:
    """The one person ``text`` names, read as a mention is: a handle (with or without
    its ``@``), or a whole name that only one person has. Among the active accounts
    that have joined, or (``joined_only=False``, for co-authors) invited ones too."""
    wanted = text.strip().removeprefix("@").strip()
    among = _mentionable() if joined_only else select(User).where(User.active.is_(True))
    people = db.session.scalars(among).all()
    by_handle = {u.handle: u for u in people}
    if wanted.lower() in by_handle:
        return by_handle[wanted.lower()]
    named = [u for u in people if normalise(u.name) == normalise(wanted)]
    if len(named) == 1:
        return named[0]
    if named:
        raise NotOnePerson(ambiguity_message({wanted: sorted(named, key=lambda u: u.handle)}))
    raise NotOnePerson(
        _(
            "Nobody here is called “%(name)s”. Type a few letters of the name and choose "
            "the person from the list.",
            name=wanted,
        )
    )


def suggestions(query: str) -> list[User]:
    """People whose handle or a word of whose name starts with ``query``, for the
    mention autocomplete; diacritics and case do not matter."""
    wanted = normalise(query.lstrip("@"))
    if not wanted:
        return []
    people = db.session.scalars(_mentionable().order_by(User.name, User.id)).all()
    hits = []
    for user in people:
        name = normalise(user.name)
        if (
            user.handle.startswith(wanted)
            or name.startswith(wanted)
            or any(word.startswith(wanted) for word in name.split())
        ):
            hits.append(user)
            if len(hits) == SUGGESTIONS:
                break
    return hits


def linker(people) -> Callable[[str], tuple[int, str, str] | None]:
    """For ``app.text.render_markdown``: the words after an ``@`` that name one of
    ``people`` (the ones the comment was found to mention when it was saved), linked to
    their page. The same reading as ``resolve``: the longest run of words first."""
    by_handle = {u.handle: u for u in people}
    by_name = {normalise(u.name): u for u in people}

    def link(candidate: str):
        spans = [m.end() for m in re.finditer(r"\S+", candidate)]
        for n in range(len(spans), 0, -1):
            phrase = candidate[: spans[n - 1]].rstrip(".-")
            user = (by_handle.get(phrase.lower()) if n == 1 else None) or by_name.get(
                normalise(phrase)
            )
            if user is not None:
                return len(phrase), url_for("main.person", handle=user.handle), user.name
        return None

    return link
