"""Forms for inviting people and changing their accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, ValidationError
from wtforms.validators import DataRequired, Email, Length, Optional

from app.forms import Form, choices, language_choices, whole_number
from app.i18n import localized


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
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=whole_number,
        description=_l("Its sector counts in the breakdowns of support and participants."),
    )
    new_organisation = StringField(
        _l("Or a new organisation"),
        validators=[Optional(), Length(max=200)],
        description=_l("Not on the list? Type its official name and choose its sector."),
    )
    new_sector = SelectField(_l("Sector of the new organisation"))
    active = BooleanField(
        _l("Account active"),
        description=_l("A deactivated person cannot log in; what they wrote stays."),
    )

    def __init__(self, organisations, sectors, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
        self.organisation_id.choices = choices(
            [(0, _l("— none —"))]
            + [(o.id, f"{o.name} ({localized(o.sector, 'name')})") for o in organisations]
        )
        # What absent fields mean (a form without them keeps the organisation).
        if self.organisation_id.data is None:
            self.organisation_id.data = 0
        if self.new_sector.data is None:
            self.new_sector.data = ""
        self.new_sector.choices = choices(
            [("", _l("— choose —"))] + [(s.code, localized(s, "name")) for s in sectors]
        )

    def validate_new_organisation(self, field):
        if field.data and any(c in field.data for c in "\r\n"):
            raise ValidationError(_l("Keep the name on one line."))

    def validate_new_sector(self, field):
        if self.new_organisation.data and self.new_organisation.data.strip() and not field.data:
            raise ValidationError(_l("Choose the sector of the new organisation."))


class ResendInvitationForm(Form):
    """Only the CSRF token: the button itself is the request."""


#: Countries offered for an organisation: the four V4 partners first, then the others
#: the subgroup's work meets; empty for an international body.
COUNTRIES = ("PL", "CZ", "SK", "HU", "AT", "DE", "DK", "EU")


def _one_line(form, field):
    if field.data and any(c in field.data for c in "\r\n"):
        raise ValidationError(_l("Keep it on one line."))


def _web_address(form, field):
    value = (field.data or "").strip()
    if value and not value.lower().startswith(("http://", "https://")):
        raise ValidationError(_l("Give the full address, starting with https://."))
    if any(c.isspace() for c in value):
        raise ValidationError(_l("A web address has no spaces."))


class OrganisationForm(Form):
    name = StringField(
        _l("Name in its own language"),
        validators=[DataRequired(), Length(max=200), _one_line],
        description=_l("As the organisation writes it, e.g. Město Brno or Győr Megyei Jogú Város."),
    )
    name_en = StringField(
        _l("Name in English"), validators=[Optional(), Length(max=200), _one_line]
    )
    short_name = StringField(_l("Abbreviation"), validators=[Optional(), Length(max=40), _one_line])
    country = SelectField(_l("Country"))
    sector_code = SelectField(_l("Sector"))
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300), _web_address])

    def __init__(self, sectors, country_names, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = choices(
            [("", _l("— international —"))] + [(code, country_names[code]) for code in COUNTRIES]
        )
        self.sector_code.choices = choices([(s.code, localized(s, "name")) for s in sectors])


class MergeOrganisationForm(Form):
    target_id = SelectField(
        _l("Merge into"),
        coerce=whole_number,
        description=_l("People, packages, speakers and answers move to it; this one goes."),
    )

    def __init__(self, others, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.target_id.choices = choices([(o.id, o.name) for o in others])
