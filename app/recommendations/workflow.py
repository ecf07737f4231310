"""The recommendation workflow as data: which step exists and who may take it.

Issue 7 adds ``agreed -> submitted`` (by a submission package) and
``submitted -> answered`` (by a published ministry answer) as rows here."""

from dataclasses import dataclass

from app.recommendations.models import Status


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    #: "author" (an accepted author; facilitators too) or "facilitator".
    actor: str
    #: Whether the person must say why.
    note_required: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.DRAFT, Status.DISCUSSION, "author"),
    Transition(Status.DISCUSSION, Status.DRAFT, "author"),
    Transition(Status.DRAFT, Status.WITHDRAWN, "author"),
    Transition(Status.DISCUSSION, Status.WITHDRAWN, "author"),
    Transition(Status.WITHDRAWN, Status.DRAFT, "author"),
    Transition(Status.DISCUSSION, Status.AGREED, "facilitator"),
    Transition(Status.AGREED, Status.DISCUSSION, "facilitator", note_required=True),
    Transition(Status.DISCUSSION, Status.MERGED, "facilitator"),
    Transition(Status.AGREED, Status.MERGED, "facilitator"),
)

#: Statuses in which the text may still be edited, amended and supported.
OPEN_STATUSES = frozenset({Status.DRAFT, Status.DISCUSSION})
#: Statuses in which the discussion takes new comments.
DISCUSSABLE_STATUSES = frozenset({Status.DRAFT, Status.DISCUSSION, Status.AGREED})


def find(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def available_from(source: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source]
