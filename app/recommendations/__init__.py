"""Recommendations: the list with its filters (drafting comes with its own issue)."""

from flask import Blueprint

bp = Blueprint("recommendations", __name__)

from app.recommendations import views  # noqa: E402,F401
