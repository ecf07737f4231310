"""Forms for planning and running meetings."""

from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import (
    Form,
    WholeNumberField,
    choices,
    language_choices,
    valid_base_version,
    whole_number,
)
from app.i18n import localized
from app.once import SentOnce

WARSAW = ZoneInfo("Europe/Warsaw")


def _check_local_time(field) -> None:
    """Within reason, and a time that exists in Warsaw (not lost to the spring clock change)."""
    moment = field.data
    if moment is None:
        return
    if not 2000 <= moment.year <= 2100:
        raise ValidationError(_l("Give a date between 2000 and 2100."))
    there_and_back = moment.replace(tzinfo=WARSAW).astimezone(ZoneInfo("UTC")).astimezone(WARSAW)
    if there_and_back.replace(tzinfo=None) != moment:
        raise ValidationError(
            _l("This time does not exist in Warsaw (the clocks go forward then). Choose another.")
        )


def mode_choices():
    return choices(
        [("online", _l("Online")), ("in_person", _l("In person")), ("hybrid", _l("Hybrid"))]
    )


def kind_choices():
    return choices(
        [
            ("expert_talk", _l("Expert talk")),
            ("presentation", _l("Presentation")),
            ("discussion", _l("Discussion")),
            ("decision", _l("Decision")),
            ("break", _l("Break")),
        ]
    )


def role_choices():
    return choices(
        [
            ("participant", _l("Participant")),
            ("speaker", _l("Speaker")),
            ("observer", _l("Observer")),
            ("facilitator", _l("Facilitator")),
        ]
    )


class MeetingForm(SentOnce, Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(
        _l("Starts"), validators=[InputRequired()], description=_l("Warsaw time.")
    )
    ends_at = DateTimeLocalField(
        _l("Ends"), validators=[InputRequired()], description=_l("Warsaw time.")
    )
    mode = SelectField(_l("Mode"))
    place = StringField(
        _l("Place"),
        validators=[Length(max=300)],
        description=_l("Address, for meetings in person or hybrid."),
    )
    link = StringField(_l("Video-call link"), validators=[Optional(), Length(max=500)])
    description = TextAreaField(
        _l("Description"), validators=[Length(max=20_000)], render_kw={"rows": 5}
    )
    language = SelectField(
        _l("Language of the meeting"),
        choices=language_choices,
        default="pl",
        description=_l("The draft minutes are compiled in this language."),
    )
    base_version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode.choices = mode_choices()

    def validate_title(self, field):
        if field.data and any(c in field.data for c in "\r\n"):
            raise ValidationError(_l("Keep the title on one line."))

    def validate_starts_at(self, field):
        _check_local_time(field)

    def validate_ends_at(self, field):
        _check_local_time(field)
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def validate_link(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Give a full address starting with https://."))

    def validate_place(self, field):
        if self.mode.data in ("in_person", "hybrid") and not (field.data or "").strip():
            raise ValidationError(_l("Say where the meeting takes place."))


class EditMeetingForm(MeetingForm):
    base_version = HiddenField(validators=[valid_base_version])


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=2_000)], render_kw={"rows": 2}
    )


class AgendaItemForm(SentOnce, Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"))
    part = WholeNumberField(
        _l("Part"), default=1, validators=[InputRequired(), NumberRange(min=1, max=20)]
    )
    planned_minutes = WholeNumberField(
        _l("Planned minutes"),
        default=15,
        validators=[InputRequired(), NumberRange(min=0, max=1440)],
    )
    speaker_user_id = SelectField(_l("Speaker (member)"), coerce=whole_number)
    speaker_name = StringField(
        _l("or guest speaker's name"), validators=[Optional(), Length(max=200)]
    )
    speaker_organisation_id = SelectField(_l("Guest's organisation"), coerce=whole_number)
    speaker_sector_code = SelectField(_l("Guest's sector"), validators=[Optional()])
    problem_area_ids = SelectMultipleField(_l("Problem areas"), coerce=whole_number)
    challenge_ids = SelectMultipleField(_l("Challenges"), coerce=whole_number)
    recommendation_ids = SelectMultipleField(_l("Recommendations"), coerce=whole_number)

    def __init__(
        self,
        *args,
        people=(),
        organisations=(),
        sectors=(),
        areas=(),
        challenges=(),
        recommendations=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)

        none = [(0, _l("— none —"))]
        self.kind.choices = kind_choices()
        self.speaker_user_id.choices = choices(none + [(u.id, u.name) for u in people])
        self.speaker_organisation_id.choices = choices(
            none + [(o.id, o.name) for o in organisations]
        )
        self.speaker_sector_code.choices = choices(
            [("", _l("— none —"))] + [(s.code, localized(s, "name")) for s in sectors]
        )
        self.problem_area_ids.choices = choices(
            [(a.id, f"{a.code} · {localized(a, 'title')}") for a in areas]
        )
        self.challenge_ids.choices = choices([(c.id, c.title) for c in challenges])
        self.recommendation_ids.choices = choices(
            [(r.id, f"{r.reference} · {r.title}") for r in recommendations]
        )


class InviteMemberForm(Form):
    user_id = SelectField(_l("Member"), coerce=whole_number, validators=[InputRequired()])
    role = SelectField(_l("Role"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = choices([(u.id, u.name) for u in people])
        self.role.choices = role_choices()


class GuestForm(Form):
    name = StringField(_l("Guest's name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Email(), Length(max=254)])
    organisation_id = SelectField(_l("Organisation"), coerce=whole_number, validators=[Optional()])
    sector_code = SelectField(_l("Sector"), validators=[Optional()])
    role = SelectField(_l("Role"))

    def __init__(self, *args, organisations=(), sectors=(), **kwargs):
        super().__init__(*args, **kwargs)

        self.organisation_id.choices = choices(
            [(0, _l("— none —"))] + [(o.id, o.name) for o in organisations]
        )
        self.sector_code.choices = choices(
            [("", _l("— none —"))] + [(s.code, localized(s, "name")) for s in sectors]
        )
        self.role.choices = role_choices()


class AnswerForm(Form):
    answer = SelectField(validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = choices(
            [("accepted", _l("I will attend")), ("declined", _l("I cannot attend"))]
        )


class NotesForm(Form):
    notes = TextAreaField(_l("Notes"), validators=[Length(max=50_000)], render_kw={"rows": 6})


class DecisionForm(Form):
    text = TextAreaField(
        _l("Decision"), validators=[DataRequired(), Length(max=2_000)], render_kw={"rows": 2}
    )
    kind = SelectField(_l("It also"))
    area_id = SelectField(_l("Problem area"), coerce=whole_number, validators=[Optional()])
    category_id = SelectField(_l("Category"), coerce=whole_number, validators=[Optional()])
    recommendation_id = SelectField(_l("Recommendation agreed"), coerce=whole_number)
    agenda_item_id = HiddenField()

    def __init__(self, *args, areas=(), categories=(), recommendations=(), **kwargs):
        super().__init__(*args, **kwargs)

        none = [(0, _l("— none —"))]
        self.kind.choices = choices(
            [
                ("note", _l("is recorded only")),
                ("challenge", _l("creates a challenge")),
                ("recommendation", _l("creates a recommendation draft")),
                ("agreement", _l("marks a recommendation as agreed")),
            ]
        )
        self.area_id.choices = choices(
            none + [(a.id, f"{a.code} · {localized(a, 'title')}") for a in areas]
        )
        self.category_id.choices = choices(
            none + [(c.id, f"{c.code} · {localized(c, 'name')}") for c in categories]
        )
        self.recommendation_id.choices = choices(
            none + [(r.id, f"{r.reference} · {r.title}") for r in recommendations]
        )


class ActionItemForm(Form):
    title = StringField(_l("To do"), validators=[DataRequired(), Length(max=300)])
    owner_id = SelectField(_l("Owner"), coerce=whole_number, validators=[InputRequired()])
    due_on = DateField(_l("Due"), validators=[Optional()])
    agenda_item_id = HiddenField()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = choices([(u.id, u.name) for u in people])


class MinutesForm(Form):
    body = TextAreaField(
        _l("Minutes"),
        validators=[DataRequired(), Length(max=200_000)],
        render_kw={"rows": 24},
        description=_l(
            "Markdown. Compiled from the notes, decisions and action items; edit freely."
        ),
    )
    reason = StringField(
        _l("Reason for the correction"),
        validators=[Length(max=1_000)],
        description=_l("Required once the minutes are published."),
    )
    base_version = HiddenField(validators=[valid_base_version])
