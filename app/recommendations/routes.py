"""The recommendations blueprint with all its routes: each views module adds its own."""

from app.recommendations import (  # noqa: F401  (imported for their routes)
    comment_views,
    views,
    workflow_views,
)
from app.recommendations.pages import bp

__all__ = ["bp"]
