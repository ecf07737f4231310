"""Imports every model so that mappers and migrations see the whole schema."""

from app.audit import AuditEvent  # noqa: F401
from app.auth.models import LoginThrottle, Organisation, Sector, User  # noqa: F401
from app.meetings.models import AgendaItem, Meeting, Participant  # noqa: F401
from app.problems.models import (  # noqa: F401
    Challenge,
    ProblemArea,
    RecommendationCategory,
    Subgroup,
)
from app.recommendations.models import Recommendation  # noqa: F401
