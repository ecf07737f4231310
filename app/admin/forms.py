"""Forms for inviting people and changing their accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from app.forms import Form, choices, language_choices, whole_number


def role_choices():
    return choices(
        [
            ("member", _l("Member")),
            ("facilitator", _l("Facilitator")),
            ("reviewer", _l("Ministry reviewer")),
            ("admin", _l("Administrator")),
        ]
    )


class InviteForm(Form):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"))
    organisation_id = SelectField(_l("Organisation"), coerce=whole_number)
    language = SelectField(_l("Language of the invitation"), choices=language_choices)

    def __init__(self, organisations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.organisation_id.choices = choices(
            [(0, _l("— none —"))] + [(o.id, o.name) for o in organisations]
        )


class UserForm(Form):
    role = SelectField(_l("Role"))
    active = BooleanField(
        _l("Account active"),
        description=_l("A deactivated person cannot log in; what they wrote stays."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class ResendInvitationForm(Form):
    """Only the CSRF token: the button itself is the request."""
