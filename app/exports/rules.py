"""How the rest of the app treats submission packages: a reviewer deals only with
packages addressed to their own ministry, for reading, the thread and answers
(``can``), and in lists of notifications."""

from sqlalchemy import or_, select

from app import pending
from app.auth.models import Role
from app.exports.models import PackageItem, SubmissionPackage
from app.extensions import db
from app.permissions import register_object_rules, register_target_rule
from app.recommendations.models import Recommendation


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


def _packages_open(requests: list[pending.Request]) -> set:
    """A package waits for its ministry while any recommendation in it is still
    submitted (not answered, withdrawn or merged)."""
    waiting = set(
        db.session.scalars(
            select(PackageItem.package_id)
            .join(Recommendation, Recommendation.id == PackageItem.recommendation_id)
            .where(
                PackageItem.package_id.in_({r.target_id for r in requests}),
                Recommendation.status == "submitted",
            )
            .distinct()
        )
    )
    return {r.key for r in requests if r.target_id in waiting}


pending.register("package.received", _packages_open)
