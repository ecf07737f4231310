"""Forms for strategy records and the classification procedure."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.forms import Form, WholeNumberField, choices, valid_base_version
from app.once import SentOnce
from app.strategies.models import DOCUMENT_LANGUAGES


def level_choices():
    return choices(
        [
            ("municipal", _l("Municipal")),
            ("metropolitan", _l("Metropolitan")),
            ("regional", _l("Regional")),
            ("national", _l("National")),
        ]
    )


def population_choices():
    return choices(
        [
            ("", _l("— not given —")),
            ("small", _l("Under 50,000")),
            ("medium", _l("50,000–250,000")),
            ("large", _l("250,000–1,000,000")),
            ("metro", _l("Over 1,000,000")),
        ]
    )


def country_choices():
    return choices(
        [
            ("PL", _l("Poland")),
            ("CZ", _l("Czechia")),
            ("SK", _l("Slovakia")),
            ("HU", _l("Hungary")),
            ("DK", _l("Denmark")),
            ("FI", _l("Finland")),
            ("DE", _l("Germany")),
            ("AT", _l("Austria")),
            ("ES", _l("Spain")),
            ("NL", _l("Netherlands")),
            ("SE", _l("Sweden")),
            ("OTHER", _l("Other")),
        ]
    )


class StrategyForm(SentOnce, Form):
    title_original = StringField(
        _l("Title (original language)"), validators=[DataRequired(), Length(max=400)]
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=400)])
    place = StringField(
        _l("Place"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("City, metropolitan area or region."),
    )
    country = SelectField(_l("Country"))
    level = SelectField(_l("Level"))
    population_class = SelectField(_l("Population"), validators=[Optional()])
    adopted_year = WholeNumberField(
        _l("Adopted in"), validators=[Optional(), NumberRange(min=1990, max=2100)]
    )
    horizon_year = WholeNumberField(
        _l("Horizon"), validators=[Optional(), NumberRange(min=1990, max=2100)]
    )
    source_url = StringField(_l("Source link"), validators=[Optional(), Length(max=500)])
    language = SelectField(_l("Language of the document"))
    summary = TextAreaField(_l("Summary"), validators=[Length(max=5_000)], render_kw={"rows": 4})
    full_text = TextAreaField(
        _l("Full text (optional)"),
        validators=[
            Length(
                max=500_000,
                message=_l(
                    "The text is longer than 500,000 characters; paste the part that matters."
                ),
            )
        ],
        render_kw={"rows": 6},
        description=_l("Paste the text, or upload the document below; it feeds the suggestions."),
    )
    text_file = FileField(
        _l("Document (.txt, .docx or .pdf)"),
        validators=[FileAllowed(["txt", "docx", "pdf"], _l("Upload a .txt, .docx or .pdf file."))],
    )
    base_version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()
        self.level.choices = level_choices()
        self.population_class.choices = population_choices()
        names = {
            "pl": "polski",
            "cs": "čeština",
            "sk": "slovenčina",
            "hu": "magyar",
            "en": "English",
            "de": "Deutsch",
            "da": "dansk",
            "other": _l("Other"),
        }
        self.language.choices = choices((code, names[code]) for code in DOCUMENT_LANGUAGES)

    def validate_horizon_year(self, field):
        if field.data and self.adopted_year.data and field.data < self.adopted_year.data:
            raise ValidationError(_l("The horizon year cannot come before the year of adoption."))

    def validate_source_url(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Give a full address starting with https://."))


class EditStrategyForm(StrategyForm):
    base_version = HiddenField(validators=[valid_base_version])


class ClassificationForm(Form):
    dimensions = SelectMultipleField(_l("Smart-city dimensions"))
    green_deal = SelectMultipleField(_l("Green Deal areas"))
    targets = SelectMultipleField(_l("SDG targets (optional)"))
    keywords = StringField(
        _l("Keywords"),
        validators=[Length(max=1_000)],
        description=_l("Free words, separated by commas."),
    )
    comment = TextAreaField(
        _l("Comment for the reviewer"), validators=[Length(max=2_000)], render_kw={"rows": 2}
    )


class ReviewForm(Form):
    decision = SelectField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2_000)], render_kw={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision.choices = choices([("approve", _l("Approve")), ("return", _l("Return"))])


class LinkForm(Form):
    strategy_id = WholeNumberField(validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])
    relation = SelectField(_l("Relation"))
    note = StringField(_l("Note"), validators=[Length(max=1_000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relation.choices = choices(
            [
                ("good_practice", _l("Good practice")),
                ("evidence", _l("Evidence")),
                ("implements", _l("Implements it")),
            ]
        )
