"""Problem areas (G01-G07), their challenges, and the coverage matrix."""

from flask import Blueprint

bp = Blueprint("problems", __name__)

from app.problems import views  # noqa: E402,F401
