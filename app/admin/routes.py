"""The admin blueprint with all its routes: each views module adds its own."""

from app.admin import organisation_views, views  # noqa: F401  (imported for their routes)
from app.admin.views import bp

__all__ = ["bp"]
