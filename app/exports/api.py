"""The read-only JSON API, version 1 (DESIGN §4), described by /api/v1/openapi.json.

A program authenticates with a personal token (``Authorization: Bearer wt_…``,
made on /account/ by reviewers and admins); a signed-in browser session works
too. Every answer holds only what that person may see on the pages."""

from math import ceil

from flask import Blueprint, abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth import api_tokens, two_factor
from app.exports import records, selection
from app.exports.openapi import describe
from app.exports.tables import record_as_json
from app.extensions import csrf, db
from app.mail import absolute_url
from app.meetings.models import Meeting
from app.permissions import can, visible_statuses
from app.problems.models import Challenge, ProblemArea
from app.recommendations.models import Recommendation
from app.strategies.models import SmartStrategy

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # read-only: GET only, and no cookies are needed with a token

DEFAULT_PER_PAGE, MAX_PER_PAGE = 25, 100


@bp.before_request
def authenticate():
    """The token's owner, or the signed-in user; 401 otherwise (the description is public)."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        user = api_tokens.user_for(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            return _unauthorised(_("The API token is not valid (revoked, mistyped or expired)."))
        if two_factor.required(user) and not user.has_two_factor:
            return _unauthorised(
                _("Your role requires two-factor sign-in: set it up on your account first.")
            )
        g.api_user = user
        return None
    if current_user.is_authenticated and current_user.is_active:
        g.api_user = current_user._get_current_object()
        return None
    return _unauthorised(_("Send a personal API token: “Authorization: Bearer …”."))


def _unauthorised(message: str):
    response = jsonify(error=message, status=401)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="warsztat"'
    return response


@bp.after_request
def no_cache(response):
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def _user():
    return g.api_user


def _paging() -> tuple[int, int]:
    values = []
    for name, default, maximum in (
        ("page", 1, 100_000),
        ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
    ):
        raw = request.args.get(name, "")
        if raw == "":
            values.append(default)
            continue
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 6 and 0 < int(raw) <= maximum):
            abort(
                400, _("%(name)s must be a whole number from 1 to %(max)s.", name=name, max=maximum)
            )
        values.append(int(raw))
    return values[0], values[1]


def _page(items, total: int, page: int, per_page: int, endpoint: str, args: dict):
    pages = max(1, ceil(total / per_page))

    def link(number):
        return absolute_url(url_for(endpoint, **args, page=number, per_page=per_page))

    return jsonify(
        data=items,
        meta={"page": page, "per_page": per_page, "total": total, "pages": pages},
        links={
            "self": link(page),
            "next": link(page + 1) if page < pages else None,
            "prev": link(page - 1) if page > 1 else None,
        },
    )


def _only(*names):
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        abort(400, _("Unknown parameter: %(names)s.", names=", ".join(unknown)))


@bp.get("/openapi.json")
def openapi():
    return jsonify(describe())


@bp.get("/problem-areas")
def problem_areas():
    _only()
    areas = list(db.session.scalars(select(ProblemArea).order_by(ProblemArea.position)))
    challenges: dict[int, list] = {}
    for challenge in db.session.scalars(select(Challenge).order_by(Challenge.id)):
        challenges.setdefault(challenge.problem_area_id, []).append(
            {"id": challenge.id, "title": challenge.title}
        )
    return jsonify(
        data=[
            {
                "code": area.code,
                "title_pl": area.title_pl,
                "title_en": area.title_en,
                "description_pl": area.description_pl or "",
                "description_en": area.description_en or "",
                "challenges": challenges.get(area.id, []),
            }
            for area in areas
        ]
    )


@bp.get("/recommendations")
def recommendations():
    _only(*selection.FILTER_NAMES, "page", "per_page")
    page, per_page = _paging()
    filter_args = {k: v for k, v in request.args.items() if k in selection.FILTER_NAMES}
    try:
        chosen = selection.parse(filter_args, visible_statuses(_user()), hidden_status_ok=True)
    except selection.SelectionError as error:
        abort(400, str(error))
    ids = records.ordered_ids(chosen.query())
    window = ids[(page - 1) * per_page : page * per_page]
    items = [record_as_json(r) for r in records.iter_records(window)]
    return _page(items, len(ids), page, per_page, "api.recommendations", chosen.as_args())


@bp.get("/recommendations/<int:rec_id>")
def recommendation(rec_id):
    _only()

    rec = db.session.get(Recommendation, rec_id)
    if rec is None or not can(_user(), "view_recommendation", rec):
        abort(404, _("There is no recommendation %(id)s.", id=rec_id))
    return jsonify(data=record_as_json(next(records.iter_records([rec_id]))))


@bp.get("/meetings")
def meetings():
    _only("page", "per_page")
    page, per_page = _paging()
    total = db.session.scalar(select(func.count(Meeting.id)))
    rows = db.session.scalars(
        select(Meeting)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        {
            "id": m.id,
            "title": m.title,
            "starts_at": m.starts_at.isoformat(),
            "ends_at": m.ends_at.isoformat(),
            "mode": m.mode,
            "status": m.status,
            "place": m.place or None,
            "url": absolute_url(url_for("meetings.detail", meeting_id=m.id)),
        }
        for m in rows
    ]
    return _page(items, total, page, per_page, "api.meetings", {})


@bp.get("/strategies")
def strategies():
    _only("country", "page", "per_page")
    page, per_page = _paging()
    country = request.args.get("country", "").upper()
    query = select(SmartStrategy)
    if country:
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            abort(400, _("country is a two-letter ISO code, e.g. PL."))
        query = query.where(SmartStrategy.country == country)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(selectinload(SmartStrategy.sdgs))
        .order_by(SmartStrategy.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    items = [
        {
            "id": s.id,
            "title": s.title_en or s.title_original,
            "title_original": s.title_original,
            "place": s.place,
            "country": s.country,
            "level": s.level,
            "adopted_year": s.adopted_year,
            "horizon_year": s.horizon_year,
            "language": s.language,
            "summary": s.summary or "",
            "source_url": s.source_url or None,
            "classification": s.status,
            "sdgs": sorted(
                ({"goal": x.goal_number, "relevance": x.relevance} for x in s.sdgs),
                key=lambda x: x["goal"],
            ),
            "url": absolute_url(url_for("strategies.detail", strategy_id=s.id)),
        }
        for s in rows
    ]
    return _page(
        items, total, page, per_page, "api.strategies", {"country": country} if country else {}
    )
