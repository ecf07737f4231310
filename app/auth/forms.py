"""Forms for logging in, invitations, passwords and account settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length

from app.forms import choices, new_password_fields


def language_choices() -> list[SelectChoice]:
    # Each language named in itself, marked with its language for screen readers.
    return [
        SelectChoice("pl", "Polski", render_kw={"lang": "pl"}),
        SelectChoice("en", "English", render_kw={"lang": "en"}),
    ]


def digest_choices() -> list[SelectChoice]:
    return choices([("off", _l("Off")), ("daily", _l("Daily")), ("weekly", _l("Weekly"))])


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    next = HiddenField()


class AcceptInvitationForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    password, confirm = new_password_fields()


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AccountForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=120)], render_kw={"autocomplete": "name"}
    )
    language = SelectField(_l("Language"), choices=language_choices)
    digest_frequency = SelectField(
        _l("Digest email"),
        description=_l("A summary of what happened in the areas you follow."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digest_frequency.choices = digest_choices()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=language_choices)
    next = HiddenField()
