"""Texts the system writes into a record, worded when they are read.

A timeline entry such as "sent in package 3" or a revision's "first version" is written
by Warsztat, not by a person. Stored as words, it would stay in the language of whoever
happened to cause it; so it is stored as a code with parameters instead, and each page,
mail or export words it in its reader's language. What people write (an editor's note, a
reason) is stored as they wrote it.

The feature that writes a code registers its wording when its module is imported."""

from collections.abc import Callable

from markupsafe import Markup

_TEXTS: dict[str, Callable[..., str]] = {}


def register(code: str, text: Callable[..., str]) -> None:
    """``text(**params)`` words the note in the current language (it calls gettext)."""
    _TEXTS[code] = text


def codes() -> frozenset[str]:
    return frozenset(_TEXTS)


def render(code: str | None, params: dict | None, written: str = "") -> str:
    """The note in the current language: the worded code, else what a person wrote."""
    if code:
        text = _TEXTS.get(code)
        if text is None:
            # A code from a newer version, or one no longer used: say what it is.
            return code
        return text(**(params or {}))
    return written


def note_of(row) -> str | Markup:
    """The note of a record with ``note_code``, ``note_params`` and ``note`` columns."""
    return render(row.note_code, row.note_params, row.note)
