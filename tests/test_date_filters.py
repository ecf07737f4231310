"""The page's date filters format from cached patterns; what they print must be what
Flask-Babel prints, in every language, format and season."""

from datetime import UTC, date, datetime, time

import pytest
from flask_babel import force_locale, format_date, format_datetime, format_time

from app.i18n import LANGUAGES

MOMENTS = [
    datetime(2026, 1, 29, 9, 5, tzinfo=UTC),  # winter: UTC+1
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # a minute before the spring change
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # the change itself: UTC+2
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # the repeated hour in autumn (first)
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # ... and the second one
    datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already next year in Warsaw
    datetime(2026, 7, 4, 14, 45),  # naive: read as UTC, as the database's are
]
STANDARD = ["short", "medium", "long", "full", None]
FORMATS = {
    "datetimeformat": (format_datetime, [*STANDARD, "d MMM y, HH:mm", "yyyy-MM-dd HH:mm:ss"]),
    "dateformat": (format_date, [*STANDARD, "EEEE d MMMM y"]),
    "timeformat": (format_time, [*STANDARD, "HH:mm"]),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_cached_patterns_print_what_flask_babel_prints(app, language):
    filters = app.jinja_env.filters
    with app.test_request_context("/"), force_locale(language):
        for moment in MOMENTS:
            for name, (flask_babel_format, formats) in FORMATS.items():
                for fmt in formats:
                    expected = flask_babel_format(moment, fmt)
                    assert filters[name](moment, fmt) == expected, (name, moment, fmt)
            assert filters["dateformat"](date(2027, 2, 1), "full") == format_date(
                date(2027, 2, 1), "full"
            )
            assert filters["timeformat"](time(18, 30), "short") == format_time(
                time(18, 30), "short"
            )


def test_the_filters_are_the_cached_ones(app):
    # Flask-Babel registers its own under the same names; ours must be the ones used.
    with app.test_request_context("/"), force_locale("pl"):
        rendered = app.jinja_env.from_string("{{ m|datetimeformat('short') }}").render(
            m=datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
        )
    assert rendered == "29.03.2026, 03:00"
    assert app.jinja_env.filters["datetimeformat"].__module__ == "app.i18n"
