"""The forms that add, replace and remove materials."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from app.forms import Form, valid_base_version


class UploadForm(Form):
    files = MultipleFileField(
        _l("Files"),
        description=_l(
            "Several files at once are each named after their file. Accepted: PDF, "
            "DOCX, XLSX, PPTX, ODT, ODS, ODP, PNG, JPEG, CSV and TXT."
        ),
    )
    title = StringField(
        _l("Title (optional)"),
        validators=[Length(max=200)],
        description=_l("For one file; without a title the file name is used."),
    )
    description = TextAreaField(
        _l("Description (optional)"), validators=[Length(max=2000)], render_kw={"rows": 2}
    )


class ReplaceForm(Form):
    file = FileField(_l("New version of the file"))
    #: The version the person saw (``Attachment.current_number``).
    base_version = HiddenField(validators=[valid_base_version])


class RemoveForm(Form):
    """Only the CSRF token: removing asks for nothing else."""
