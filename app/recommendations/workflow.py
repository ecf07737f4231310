"""The recommendation workflow as data: which step exists and who may take it.

Two steps are never taken by hand: ``agreed -> submitted`` happens when a
facilitator sends a submission package, ``submitted -> answered`` when a
ministry publishes its answer (actors "package" and "ministry")."""

from dataclasses import dataclass

from app.recommendations.models import Status


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    #: "author" (an accepted author; facilitators too), "facilitator", or "package" and
    #: "ministry" for the steps only their services take.
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
    Transition(Status.AGREED, Status.SUBMITTED, "package"),
    Transition(Status.SUBMITTED, Status.ANSWERED, "ministry"),
    # The ministry asks for changes, or the subgroup wants to revise what it sent.
    Transition(Status.SUBMITTED, Status.DISCUSSION, "facilitator", note_required=True),
)

#: Actors of the steps that only a service takes, never a button.
SYSTEM_ACTORS = frozenset({"package", "ministry"})

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
