"""The auth and account blueprints with all their routes: each views module adds its own."""

from app.auth import two_factor_views  # noqa: F401  (imported for its routes)
from app.auth.views import account_bp, bp

__all__ = ["account_bp", "bp"]
