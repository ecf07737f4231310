"""What every template can use: permissions, labels for enums, form helpers."""

from collections.abc import Callable

from flask import Flask, current_app, request, url_for
from flask_babel import format_decimal, gettext, ngettext
from flask_babel import lazy_gettext as _l

from app import once
from app.permissions import can
from app.system_notes import note_of
from app.text import render_markdown

STATUS_LABELS = {
    "draft": _l("Draft"),
    "discussion": _l("In discussion"),
    "agreed": _l("Agreed"),
    "submitted": _l("Submitted"),
    "answered": _l("Answered"),
    "withdrawn": _l("Withdrawn"),
    "merged": _l("Merged"),
}

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "facilitator": _l("Facilitator"),
    "member": _l("Member"),
    "reviewer": _l("Ministry reviewer"),
}

MEETING_MODE_LABELS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "hybrid": _l("Hybrid"),
}

MEETING_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "held": _l("Held"),
    "cancelled": _l("Cancelled"),
}

AGENDA_KIND_LABELS = {
    "expert_talk": _l("Expert talk"),
    "presentation": _l("Presentation"),
    "discussion": _l("Discussion"),
    "decision": _l("Decision"),
    "break": _l("Break"),
}

PARTICIPANT_ROLE_LABELS = {
    "facilitator": _l("Facilitator"),
    "speaker": _l("Speaker"),
    "participant": _l("Participant"),
    "observer": _l("Observer"),
}

DIGEST_LABELS = {"off": _l("Off"), "daily": _l("Daily"), "weekly": _l("Weekly")}

LEVEL_LABELS = {
    "municipal": _l("Municipal"),
    "metropolitan": _l("Metropolitan"),
    "regional": _l("Regional"),
    "national": _l("National"),
}

CLASSIFICATION_LABELS = {
    "unclassified": _l("Not classified"),
    "proposed": _l("Proposed"),
    "reviewed": _l("Reviewed"),
}

RELATION_LABELS = {
    "good_practice": _l("Good practice"),
    "evidence": _l("Evidence"),
    "implements": _l("Implements it"),
}

STANCE_LABELS = {"for": _l("For"), "against": _l("Against"), "neutral": _l("Neutral")}

AMENDMENT_STATE_LABELS = {
    "pending": _l("Waiting for the authors"),
    "accepted": _l("Accepted"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

VERDICT_LABELS = {
    "accepted": _l("Accepted"),
    "under_analysis": _l("Under analysis"),
    "partly_accepted": _l("Partly accepted"),
    "rejected": _l("Rejected"),
}

#: Button texts for workflow steps, by target status.
TRANSITION_LABELS = {
    "discussion": _l("Open for discussion"),
    "draft": _l("Back to draft"),
    "withdrawn": _l("Withdraw"),
    "agreed": _l("Mark as agreed"),
    "merged": _l("Merge into another recommendation"),
}


#: Stands for the id while a link is built once for many ids (within ``MAX_ID``).
_ID_MARK = 1_987_654_321


def links_by_id(endpoint: str, name: str) -> Callable[[int], str]:
    """``url_for(endpoint, **{name: id})`` for many ids, as a function of the id: the
    link is built once with a mark for the id, and each id is put in its place (a list
    of 25 rows built 25 links through the routing map before)."""
    built = url_for(endpoint, **{name: _ID_MARK})
    mark = str(_ID_MARK)
    if built.count(mark) != 1:  # the mark is not where the id goes: build each link
        return lambda value: url_for(endpoint, **{name: value})
    before, _, after = built.partition(mark)
    return lambda value: f"{before}{int(value)}{after}"


_PATHS = "warsztat.paths"


def path_for(endpoint: str, **values) -> str:
    """``url_for`` for a link that is the same on every page (the layout's sections, the
    static files, the icons), built once per app and script root: a page showed 20 to
    80 such links, each built through the routing map."""
    paths = current_app.extensions[_PATHS]
    key = (request.script_root, endpoint, *sorted(values.items()))
    found = paths.get(key)
    if found is None:
        found = paths[key] = url_for(endpoint, **values)
    return found


def filesize(size: int) -> str:
    """A file's size for people, in decimal units as file managers show them."""
    if size < 1000:
        return ngettext("%(num)s byte", "%(num)s bytes", size)
    if size < 1_000_000:
        return gettext("%(size)s kB", size=format_decimal(round(size / 1000)))
    return gettext("%(size)s MB", size=format_decimal(round(size / 1_000_000, 1)))


def init_app(app: Flask) -> None:
    app.extensions[_PATHS] = {}
    app.jinja_env.globals.update(
        path_for=path_for,
        links_by_id=links_by_id,
        can=can,
        note_of=note_of,
        stance_labels=STANCE_LABELS,
        level_labels=LEVEL_LABELS,
        relation_labels=RELATION_LABELS,
        classification_labels=CLASSIFICATION_LABELS,
        amendment_state_labels=AMENDMENT_STATE_LABELS,
        transition_labels=TRANSITION_LABELS,
        status_labels=STATUS_LABELS,
        verdict_labels=VERDICT_LABELS,
        role_labels=ROLE_LABELS,
        meeting_mode_labels=MEETING_MODE_LABELS,
        meeting_status_labels=MEETING_STATUS_LABELS,
        agenda_kind_labels=AGENDA_KIND_LABELS,
        participant_role_labels=PARTICIPANT_ROLE_LABELS,
        digest_labels=DIGEST_LABELS,
        # For hand-written create forms (replies); WTForms ones render ``submission_key``.
        new_submission_key=once.new_key,
    )

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["filesize"] = filesize
    # A table of lazy labels in the reader's language, looked up once: for a loop over
    # hundreds of rows that each show one.
    app.jinja_env.filters["resolved"] = lambda labels: {k: str(v) for k, v in labels.items()}
    # For <time datetime>: HTML allows at most three digits of a second's fraction.
    app.jinja_env.filters["isotime"] = lambda moment: moment.isoformat(timespec="seconds")

    @app.context_processor
    def language_switch():
        # The layout's language switch posts to LanguageForm (POST /language); the page
        # only needs where to come back to, so no form is built for every page.
        def language_next() -> str:
            return request.full_path.rstrip("?")

        return {"language_next": language_next}
