"""Recommendations: drafting, revisions, amendments, discussion, support and the workflow."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__)
#: Editing and deleting comments, wherever they were posted.
comments_bp = Blueprint("comments", __name__)

from app.recommendations import views  # noqa: E402,F401
