"""What the recommendation pages share: the blueprint, loading a recommendation for a
page, and the names of its text fields."""

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user

from app.permissions import can
from app.recommendations import queries
from app.recommendations.models import Recommendation

bp = Blueprint("recommendations", __name__)


def text_labels():
    return [
        ("title", _("Title")),
        ("summary", _("Summary")),
        ("body", _("Recommendation")),
        ("addressee", _("Addressee")),
        ("expected_impact", _("Expected impact")),
    ]


def get_recommendation_or_404(
    rec_id: int, need: str = "view_recommendation", **context
) -> Recommendation:
    """Load a recommendation for its page; 404 if it does not exist or may not be seen,
    403 if it may be seen but not acted on this way."""
    rec = queries.recommendation_for_page(rec_id)
    if rec is None or not can(current_user, "view_recommendation", rec):
        abort(404)
    if need != "view_recommendation" and not can(current_user, need, rec, **context):
        abort(403)
    return rec
