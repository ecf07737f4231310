"""Form pieces shared by features, and ``Form``, the base of every form."""

import re

from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, ValidationError

from app.i18n import LANGUAGE_NAMES

#: What a one-line text must not hold: control characters (C0 and C1, tab included),
#: and Unicode's line and paragraph separators. Any of them breaks a title once it
#: becomes a mail subject, a calendar entry or a file name.
NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


#: The largest whole number a form takes: PostgreSQL's integer, so no query overflows.
MAX_WHOLE_NUMBER = 2**31 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


def whole_number(value) -> int:
    """The one way a form reads a whole number (ids, years, minutes): ASCII digits only
    (``int()`` would also take "٣" or " 3 "), at most MAX_WHOLE_NUMBER. Raises ValueError
    otherwise, which WTForms turns into the field's error. Use as ``coerce=whole_number``."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        raise ValueError(_l("Enter a whole number."))
    if not 0 <= number <= MAX_WHOLE_NUMBER:
        raise ValueError(_l("Enter a whole number."))
    return number


class WholeNumberField(IntegerField):
    """IntegerField through ``whole_number``: a 310-digit or non-ASCII value is the
    field's error, not an OverflowError further on."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] == "":
            self.data = None
            return
        try:
            self.data = whole_number(valuelist[0])
        except ValueError:
            self.data = None
            raise


class Form(FlaskForm):
    """Every form's base (CSRF from Flask-WTF). A one-line text field, which is any
    StringField but a text area, refuses line breaks and control characters with an
    inline error, whatever validators the field itself has.

    An empty multiple select needs no Optional(): that validator would wave a blank
    value ("") through the choice check."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if (
                isinstance(field, StringField)
                and not isinstance(field, TextAreaField)
                and isinstance(field.data, str)
                and NOT_ON_ONE_LINE.search(field.data)
            ):
                field.errors = [
                    *field.errors,
                    gettext("Keep this on one line: remove line breaks and control characters."),
                ]
                valid = False
        return valid


class MinLength:
    """Password length from config, with a translated message."""

    def __call__(self, form, field):
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(_l("Use at least %(n)s characters.", n=minimum))


def number_among(value: str | None, allowed) -> int | None:
    """A number from the URL (``?version=3``), if it is ASCII digits and one of
    ``allowed``; None otherwise."""
    if value and _ASCII_DIGITS.fullmatch(value) and int(value) in allowed:
        return int(value)
    return None


def versions_to_compare(args, numbers) -> tuple[int | None, int | None]:
    """The two versions a history page compares (``?from=1&to=3``): by default the
    newest and the one before it. ``numbers`` are the versions the reader may see."""
    chosen_to = number_among(args.get("to"), numbers) or (max(numbers) if numbers else None)
    earlier = [n for n in numbers if chosen_to is not None and n < chosen_to]
    chosen_from = number_among(args.get("from"), numbers) or (max(earlier) if earlier else None)
    return chosen_from, chosen_to


def new_password_fields():
    """A new password and its confirmation, as a pair of fields."""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), MinLength()],
        description=_l("At least 12 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def choices(pairs) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def valid_base_version(form, field):
    """The version an edit form started from: a whole number the page put there."""
    try:
        whole_number(field.data)
    except ValueError:
        raise ValidationError(
            _l("The form is incomplete; reload the page and try again.")
        ) from None


class ToggleForm(Form):
    """Support or follow: ``on`` says which way."""

    on = HiddenField()

    @property
    def wants_on(self) -> bool:
        return self.on.data == "1"


def error_text(form) -> str:
    """All of a form's errors as one sentence, for a flash message."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def language_choices() -> list[SelectChoice]:
    # Each language named in itself, marked with its language for screen readers.
    return [
        SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()
    ]


class LanguageForm(Form):
    """The layout's language switch (and ``POST /language``)."""

    language = SelectField(_l("Language"), choices=language_choices)
    next = HiddenField()
