"""Forms for logging in, invitations, passwords and account settings."""

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length

from app.forms import Form, choices, language_choices, new_password_fields, whole_number


def digest_choices() -> list[SelectChoice]:
    return choices([("off", _l("Off")), ("daily", _l("Daily")), ("weekly", _l("Weekly"))])


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class AcceptInvitationForm(Form):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = new_password_fields()


class ResetRequestForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(Form):
    password, confirm = new_password_fields()


class AccountForm(Form):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=120)], render_kw={"autocomplete": "name"}
    )
    language = SelectField(_l("Language"), choices=language_choices)
    digest_frequency = SelectField(
        _l("Digest email"),
        description=_l(
            "A summary of the notifications you have not read yet; nothing is sent"
            " when there is nothing new."
        ),
    )
    digest_hour = SelectField(
        _l("Send at (Warsaw time)"),
        coerce=whole_number,
        choices=choices([(hour, f"{hour:02d}:00") for hour in range(24)]),
    )
    digest_weekday = SelectField(
        _l("Day of the weekly digest"),
        coerce=whole_number,
        description=_l("Used only for the weekly digest."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digest_frequency.choices = digest_choices()
        days = get_day_names("wide", locale=get_locale())
        self.digest_weekday.choices = choices([(day, days[day]) for day in range(7)])


class PasswordChangeForm(Form):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class TokenForm(Form):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("So you know later where it is used, e.g. “Excel at the ministry”."),
    )


class SecondFactorForm(Form):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("Six digits from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "off"},
    )


class ConfirmAppForm(Form):
    """The first code from a newly set-up app, proving it works."""

    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
