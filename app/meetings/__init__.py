"""Meetings of the subgroup: list and detail (planning and live mode come with their issue)."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

from app.meetings import views  # noqa: E402,F401
