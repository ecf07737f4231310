"""Moving a recommendation through the workflow (``workflow.TRANSITIONS``)."""

from flask_babel import gettext as _

from app import audit, events
from app.auth.models import User
from app.database import commit, flush_or_raise
from app.permissions import can
from app.recommendations import workflow
from app.recommendations.drafting import RecommendationError, record_status, reindex
from app.recommendations.models import (
    Recommendation,
    StatusChange,
)

# --- workflow -----------------------------------------------------------------------------


def change_status(
    rec: Recommendation,
    actor: User,
    target: str,
    *,
    note: str = "",
    merged_into: Recommendation | None = None,
    meeting_id: int | None = None,
) -> StatusChange:
    """Move the recommendation one step, if the workflow has that step and actor may take it."""
    step = workflow.find(rec.status, target)
    if step is None or not can(actor, "transition", rec, target=target):
        raise RecommendationError(_("This change of status is not possible now."))
    if step.note_required and not note.strip():
        raise RecommendationError(_("Say why: the authors will read it."))
    if target == "merged":
        if merged_into is None or merged_into.id == rec.id:
            raise RecommendationError(_("Choose another recommendation to merge into."))
        if merged_into.status in ("merged", "withdrawn"):
            raise RecommendationError(
                _("A withdrawn or merged recommendation cannot take others in.")
            )
        rec.merged_into_id = merged_into.id
    source = rec.status
    rec.status = target
    change = record_status(rec, actor, source, target, note, merged_into, meeting_id)
    flush_or_raise(
        lambda: RecommendationError(
            _(
                "Someone changed this recommendation at the same moment. "
                "Reload the page and try again."
            )
        )
    )
    audit.record(actor, "recommendation.status_changed", rec, old=source, new=target)
    if "draft" in (source, target):
        # Its materials' text is searched from the moment they are seen by all.
        reindex(rec.id)
    events.status_changed.send(rec, actor=actor, change=change)
    commit()
    return change
