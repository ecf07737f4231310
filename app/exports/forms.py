"""Forms for sending packages, the reviewers' thread and official answers."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.forms import Form, WholeNumberField, choices, whole_number
from app.once import SentOnce
from app.templating import VERDICT_LABELS

NOTE_MAX, REASONING_MAX, LETTER_MAX = 10_000, 20_000, 20_000


class PackageForm(SentOnce, Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Shown on the title page, e.g. “Recommendations of the subgroup, 2026”."),
    )
    organisation = SelectField(
        _l("Addressee ministry"),
        coerce=whole_number,
        validators=[InputRequired()],
        validate_choice=True,
    )
    cover_letter = TextAreaField(
        _l("Cover letter"),
        validators=[DataRequired(), Length(max=LETTER_MAX)],
        description=_l("Markdown. It opens the report and the reviewers read it first."),
    )
    include_materials = BooleanField(
        _l("Include the recommendations' materials as an annex"),
        default=True,
        description=_l("Their files as they are now, in one ZIP with a list of SHA-256 checksums."),
    )
    # The list filters, carried from the selection page, and a fingerprint of the ids
    # the facilitator saw: if the selection changed meanwhile, nothing is sent unseen.
    selection = HiddenField()
    area = HiddenField()
    category = HiddenField()
    q = HiddenField()


class NoteForm(Form):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=NOTE_MAX)])


class AnswerForm(Form):
    verdict = RadioField(_l("Answer"), validators=[InputRequired()])
    reasoning = TextAreaField(
        _l("Reasoning"), validators=[DataRequired(), Length(max=REASONING_MAX)]
    )
    #: The answer's version when the form was opened (empty for a new answer).
    version = WholeNumberField(validators=[Optional()], widget=HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.verdict.choices = choices(VERDICT_LABELS.items())
