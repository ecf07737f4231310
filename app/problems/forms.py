"""Forms for formulating challenges."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import Form, valid_base_version
from app.once import SentOnce


class ChallengeForm(SentOnce, Form):
    title = StringField(
        _l("Challenge"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("The problem in one sentence."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20_000)],
        render_kw={"rows": 8},
        description=_l("Why it matters, for whom, with evidence if you have it. Markdown works."),
    )


class EditChallengeForm(ChallengeForm):
    #: The version the editor started from (named apart from the model's column, so a
    #: form without it never picks up the current version and overwrites silently).
    base_version = HiddenField(validators=[valid_base_version])
