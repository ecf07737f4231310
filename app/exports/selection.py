"""Which recommendations an export takes: the list's filters, read strictly.

The list page forgives a bad filter (it shows everything); an export must not,
because a script or a ministry relies on getting exactly what it asked for. So
an unknown parameter or value is refused with a message saying which one."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.problems.models import ProblemArea, RecommendationCategory
from app.recommendations.listing import RecommendationFilters, filtered
from app.recommendations.models import STATUSES

#: Query parameters an export understands (``sort`` and ``page`` belong to the list
#: page and are accepted and ignored, so a list URL can be turned into an export URL).
FILTER_NAMES = ("area", "category", "status", "q", "author", "who", "organisation")
IGNORED_NAMES = ("sort", "page")


class SelectionError(ValueError):
    """A filter an export cannot honour; the message says which and why."""


@dataclass
class Selection:
    filters: RecommendationFilters
    #: Statuses the person may see (None: all).
    statuses: tuple[str, ...] | None

    def query(self):
        return filtered(self.filters, self.statuses)

    def as_args(self) -> dict:
        return {
            name: getattr(self.filters, name)
            for name in FILTER_NAMES
            if getattr(self.filters, name) not in (None, "")
        }

    def describe(self) -> str:
        """The filters in words, for a report's title page and the audit log."""
        labels = {
            "area": _("Problem area"),
            "category": _("Category"),
            "status": _("Status"),
            "q": _("Search"),
            "author": _("Author (id)"),
            "who": _("Author"),
            "organisation": _("Organisation (id)"),
        }
        return "; ".join(f"{labels[name]}: {value}" for name, value in self.as_args().items())


def parse(args, statuses: tuple[str, ...] | None, *, hidden_status_ok: bool = False) -> Selection:
    """A selection from query parameters (or CLI options), or ``SelectionError``.

    A status the person may not see is refused with a reason, or, for the API
    (``hidden_status_ok``), simply matches nothing, as it would on the list."""
    unknown = sorted(set(args) - set(FILTER_NAMES) - set(IGNORED_NAMES))
    if unknown:
        raise SelectionError(
            _(
                "Unknown filter: %(names)s. Known filters: %(known)s.",
                names=", ".join(unknown),
                known=", ".join(FILTER_NAMES),
            )
        )
    values = {name: (args.get(name) or "").strip() for name in FILTER_NAMES}
    filters = RecommendationFilters()
    if values["area"]:
        code = values["area"].upper()
        if not db.session.scalar(select(ProblemArea.id).where(ProblemArea.code == code)):
            raise SelectionError(_("There is no problem area %(code)s.", code=values["area"]))
        filters.area = code
    if values["category"]:
        code = values["category"].upper()
        if not db.session.scalar(
            select(RecommendationCategory.id).where(RecommendationCategory.code == code)
        ):
            raise SelectionError(_("There is no category %(code)s.", code=values["category"]))
        filters.category = code
    if values["status"]:
        if values["status"] not in STATUSES:
            raise SelectionError(
                _(
                    "Unknown status %(status)s. Known statuses: %(known)s.",
                    status=values["status"],
                    known=", ".join(STATUSES),
                )
            )
        if statuses is not None and values["status"] not in statuses and not hidden_status_ok:
            raise SelectionError(
                _(
                    "Recommendations with the status %(status)s are not available to you.",
                    status=values["status"],
                )
            )
        filters.status = values["status"]
    for name in ("author", "organisation"):
        if values[name]:
            if not (values[name].isascii() and values[name].isdecimal() and len(values[name]) <= 9):
                raise SelectionError(_("The filter %(name)s takes a number (an id).", name=name))
            setattr(filters, name, int(values[name]))
    if len(values["q"]) > 200:
        raise SelectionError(_("The search text is too long (at most 200 characters)."))
    if len(values["who"]) > 100:
        raise SelectionError(_("The author's name is too long (at most 100 characters)."))
    filters.q = values["q"] or None
    filters.who = values["who"] or None
    return Selection(filters=filters, statuses=statuses)
