"""Imports every model so that mappers and migrations see the whole schema."""

from app.attachments.models import Attachment, AttachmentFile  # noqa: F401
from app.audit import AuditEvent  # noqa: F401
from app.auth.models import ApiToken, LoginThrottle, Organisation, Sector, User  # noqa: F401
from app.digests.models import Notification  # noqa: F401
from app.exports.models import (  # noqa: F401
    ExportJob,
    PackageFile,
    PackageItem,
    PackageMaterial,
    PackageNote,
    SubmissionPackage,
)
from app.follows import Follow  # noqa: F401
from app.mailqueue import OutgoingMail  # noqa: F401
from app.meetings.models import (  # noqa: F401
    ActionItem,
    AgendaItem,
    Decision,
    Meeting,
    Minutes,
    MinutesRevision,
    Participant,
)
from app.once import FormSubmission  # noqa: F401
from app.problems.models import (  # noqa: F401
    Challenge,
    ProblemArea,
    RecommendationCategory,
    Subgroup,
)
from app.recommendations.models import (  # noqa: F401
    Amendment,
    Comment,
    MinistryAnswer,
    Recommendation,
    RecommendationAuthor,
    Revision,
    StatusChange,
    Support,
)
from app.scheduler import SchedulerLease  # noqa: F401
from app.search import MeetingSearch, RecommendationSearch, StrategySearch  # noqa: F401
from app.strategies.models import (  # noqa: F401
    ClassificationEvent,
    GreenDealArea,
    SdgGoal,
    SdgTarget,
    SmartDimension,
    SmartStrategy,
    StrategyLink,
    StrategySdg,
)
