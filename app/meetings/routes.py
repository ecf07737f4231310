"""The meetings blueprint with all its routes: each views module adds its own."""

from app.meetings import (  # noqa: F401  (imported for their routes)
    agenda_views,
    live_views,
    minutes_views,
    participant_views,
    views,
)
from app.meetings.pages import bp

__all__ = ["bp"]
