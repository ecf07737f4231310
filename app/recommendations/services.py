"""The recommendations feature's changes, one function and one transaction each,
gathered under one name for callers (``services.add_comment``). They live in drafting,
status and comments."""

from app.recommendations.comments import (  # noqa: F401
    add_comment,
    delete_comment,
    edit_comment,
    render_stored,
    set_support,
)
from app.recommendations.drafting import (  # noqa: F401
    RecommendationError,
    StaleEdit,
    TextFields,
    accept_amendment,
    answer_coauthor_invitation,
    create_recommendation,
    invite_coauthor,
    latest_revision,
    propose_amendment,
    reindex,
    reject_amendment,
    update_recommendation,
)
from app.recommendations.status import (  # noqa: F401
    change_status,
)
