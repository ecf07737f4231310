"""Forms for drafting, amending, discussing and moving recommendations."""

from flask import url_for
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form, ToggleForm, WholeNumberField, choices, valid_base_version, whole_number  # noqa: F401
from app.i18n import localized
from app.once import SentOnce

TITLE_MAX, SUMMARY_MAX, BODY_MAX, ADDRESSEE_MAX, IMPACT_MAX = 300, 1000, 50_000, 300, 5_000
COMMENT_MAX, NOTE_MAX = 10_000, 1_000


def stance_choices():
    return choices(
        [
            ("", _l("No stance")),
            ("for", _l("For")),
            ("against", _l("Against")),
            ("neutral", _l("Neutral")),
        ]
    )


class TextFieldsMixin:
    """The text a recommendation, its revisions and amendments share."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(), Length(max=SUMMARY_MAX)],
        description=_l("One or two sentences: what should change and for whom."),
        render_kw={"rows": 3},
    )
    body = TextAreaField(
        _l("Recommendation"),
        validators=[Length(max=BODY_MAX)],
        description=_l("Markdown: **bold**, *italics*, lists with -, headings with #, links."),
        render_kw={"rows": 14},
    )
    addressee = StringField(
        _l("Addressee"),
        validators=[Length(max=ADDRESSEE_MAX)],
        description=_l("The institution expected to act, e.g. a ministry."),
    )
    expected_impact = TextAreaField(
        _l("Expected impact"), validators=[Length(max=IMPACT_MAX)], render_kw={"rows": 3}
    )


class RecommendationForm(TextFieldsMixin, SentOnce, Form):
    problem_area = SelectField(_l("Primary problem area"), coerce=whole_number)
    category = SelectField(_l("Category"), coerce=whole_number)
    secondary_areas = SelectMultipleField(
        _l("Other problem areas"),
        coerce=whole_number,
        validators=[Optional()],
        description=_l("Hold Ctrl (or Cmd) to choose several."),
    )
    challenges = SelectMultipleField(
        _l("Challenges it answers"),
        coerce=whole_number,
        validators=[Optional()],
        description=_l("Hold Ctrl (or Cmd) to choose several."),
    )
    origin_meeting = SelectField(_l("From meeting"), coerce=whole_number, validators=[Optional()])
    note = StringField(
        _l("Change note"),
        validators=[Length(max=NOTE_MAX)],
        description=_l("What you changed and why; shown in the history."),
    )

    def __init__(self, *args, areas=(), categories=(), challenges=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)

        self.problem_area.choices = choices(
            [(a.id, f"{a.code} · {localized(a, 'title')}") for a in areas]
        )
        self.secondary_areas.choices = self.problem_area.choices
        self.category.choices = choices(
            [(c.id, f"{c.code} · {localized(c, 'name')}") for c in categories]
        )
        self.challenges.choices = choices(
            [(c.id, f"{c.problem_area.code} · {c.title}") for c in challenges]
        )
        self.origin_meeting.choices = choices(
            [(0, _l("— none —"))] + [(m.id, m.title) for m in meetings]
        )


class EditRecommendationForm(RecommendationForm):
    """Area and category are fixed once numbered (the number must not change)."""

    note = StringField(
        _l("Change note"),
        validators=[DataRequired(), Length(max=NOTE_MAX)],
        description=_l("What you changed and why; shown in the history."),
    )

    #: The version the editor started from (named apart from the model's column, so a
    #: form without it never picks up the current version and overwrites silently).
    base_version = HiddenField(validators=[valid_base_version])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.problem_area
        del self.category
        del self.origin_meeting


class AmendmentForm(TextFieldsMixin, SentOnce, Form):
    justification = TextAreaField(
        _l("Why this change"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
        render_kw={"rows": 4},
    )


class RejectAmendmentForm(Form):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=COMMENT_MAX)], render_kw={"rows": 3}
    )


class CommentForm(SentOnce, Form):
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
        description=_l(
            "To mention someone, type @ and choose them from the list, or write their handle "
            "(such as @anna.nowak)."
        ),
        render_kw={"rows": 3},
    )
    # No Optional(): it would let a blank (" ") through past the choice check.
    stance = SelectField(_l("Your stance"), default="")
    parent_id = WholeNumberField(
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1)], widget=HiddenField.widget
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stance.choices = stance_choices()
        # app.js offers people from here while a mention is typed.
        self.body.render_kw = {
            **self.body.render_kw,
            "data-mention-source": url_for("comments.people"),
            "data-mention-label": _l("People to mention"),
        }


class CommentEditForm(Form):
    body = TextAreaField(
        _l("Comment"), validators=[DataRequired(), Length(max=COMMENT_MAX)], render_kw={"rows": 3}
    )


class StatusForm(Form):
    target = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Length(max=NOTE_MAX)], render_kw={"rows": 2})
    merged_into = WholeNumberField(
        _l("Merge into (number in the list)"),
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
    )


class CoauthorForm(Form):
    """Whom to invite: typed as a handle or a name that only one person has; app.js
    offers people while it is typed and puts in the chosen one's handle."""

    person = StringField(
        _l("Member"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Type a name or a handle and choose the person from the list."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.render_kw = {
            "autocomplete": "off",
            "data-mention-source": url_for("comments.people"),
            "data-mention-label": _l("Members to invite"),
        }


class InvitationAnswerForm(Form):
    answer = RadioField(
        choices=choices([("accept", _l("Accept")), ("decline", _l("Decline"))]),
        validators=[InputRequired()],
    )
