"""How the rest of the app treats submission packages: a reviewer deals only with
packages addressed to their own ministry, for reading, the thread and answers
(``can``), and in lists of notifications."""

from sqlalchemy import or_, select

from app.auth.models import Role
from app.exports.models import SubmissionPackage
from app.permissions import register_object_rules, register_target_rule


def addressed_to(user, package) -> bool:
    if user.role != Role.REVIEWER:
        return True
    return user.organisation_id is not None and package.organisation_id == user.organisation_id


def shown_to(viewer, target_id):
    """SQL condition: ``viewer`` may see the package ``target_id`` (as ``addressed_to``)."""
    return or_(
        viewer.role != Role.REVIEWER,
        target_id.in_(
            select(SubmissionPackage.id).where(
                SubmissionPackage.organisation_id == viewer.organisation_id
            )
        ),
    )


register_object_rules(
    {"view_packages": addressed_to, "package_thread": addressed_to, "answer": addressed_to}
)
register_target_rule("package", shown_to)
