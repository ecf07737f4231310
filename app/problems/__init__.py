"""Problem areas (G01-G07), their challenges, and the coverage matrix."""

from flask import Blueprint

bp = Blueprint("problems", __name__)
#: One challenge's page, discussion and editing.
challenges_bp = Blueprint("challenges", __name__)

from app.problems import views  # noqa: E402,F401
