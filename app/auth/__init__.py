"""Login, invitations, password reset and the user's own account settings."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
account_bp = Blueprint("account", __name__)

from app.auth import views  # noqa: E402,F401
