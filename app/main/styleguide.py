"""The living style guide (/styleguide): every component of the design system drawn by
the real macros and styles, and the palette with its contrast measured from app.css
itself, so the page cannot drift from what the other pages use."""

import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

TOKEN = re.compile(r"--(ws-[a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\b")

#: WCAG 2.1 AA: 4.5:1 for text, 3:1 for the edges of controls (1.4.11).
TEXT, EDGE = 4.5, 3.0

#: (foreground token, background token or "white", the minimum, what it is for).
PAIRS = (
    ("ws-ink", "white", TEXT, _l("Text")),
    ("ws-ink-2", "white", TEXT, _l("Secondary text, labels of facts")),
    ("ws-muted", "white", TEXT, _l("Quiet text: dates, counts")),
    ("ws-muted", "ws-surface", TEXT, _l("Quiet text on a panel")),
    ("ws-link", "white", TEXT, _l("Links and primary buttons")),
    ("ws-link", "ws-surface", TEXT, _l("Links on a panel")),
    ("ws-brand", "white", TEXT, _l("The name, the current section")),
    ("ws-line-strong", "white", EDGE, _l("Edges of form controls")),
    ("ws-neutral", "ws-neutral-tint", TEXT, _l("Not started: draft, planned, unclassified")),
    ("ws-warn", "ws-warn-tint", TEXT, _l("Under way: discussion, in progress, proposed")),
    ("ws-ok", "ws-ok-tint", TEXT, _l("Settled: agreed, held, reviewed")),
    ("ws-info", "ws-info-tint", TEXT, _l("Sent to a ministry; information")),
    ("ws-answer", "ws-answer-tint", TEXT, _l("Answered by a ministry")),
    ("ws-closed", "ws-closed-tint", TEXT, _l("Closed: withdrawn, merged, cancelled")),
    ("ws-error", "ws-error-tint", TEXT, _l("Errors")),
    ("ws-error", "white", TEXT, _l("Error messages at fields")),
)


@dataclass(frozen=True)
class Swatch:
    foreground: str
    background: str
    foreground_value: str
    background_value: str
    minimum: float
    use: str

    @property
    def ratio(self) -> float:
        return contrast(self.foreground_value, self.background_value)

    @property
    def passes(self) -> bool:
        return self.ratio >= self.minimum


def stylesheet() -> str:
    return Path(current_app.static_folder, "css", "app.css").read_text(encoding="utf-8")


def tokens(css: str) -> dict[str, str]:
    """The colour tokens of the stylesheet's first definitions: name -> #rrggbb."""
    found: dict[str, str] = {}
    for name, value in TOKEN.findall(css):
        found.setdefault(name, value.lower())
    return found


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette(css: str | None = None) -> list[Swatch]:
    values = {"white": "#ffffff", **tokens(css if css is not None else stylesheet())}
    return [
        Swatch(fg, bg, values[fg], values[bg], minimum, str(use)) for fg, bg, minimum, use in PAIRS
    ]


class SampleForm(Form):
    """A form shown refused, for the error summary and the field macro."""

    title = StringField(
        _l("Title"),
        [InputRequired(message=_l("Enter the recommendation's title."))],
        description=_l("One sentence, at most 200 characters."),
    )
    summary = TextAreaField(
        _l("Summary"),
        [Length(min=40, message=_l("Write at least 40 characters: what should change, and why."))],
    )


def refused_form() -> SampleForm:
    form = SampleForm(data={"summary": "Za krótko."})
    form.validate()
    return form
