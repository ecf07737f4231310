"""Linking recommendations to strategies as good practice, evidence or what they
implement (the ``strategy_links`` routes under ``/recommendations/<id>/strategies``)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.forms import ToggleForm, error_text
from app.permissions import can, require
from app.recommendations import queries as recommendation_queries
from app.strategies import queries, services
from app.strategies.forms import LinkForm

bp = Blueprint("strategy_links", __name__)


def _recommendation_or_404(rec_id: int, need: str = "view_recommendation"):
    rec = recommendation_queries.recommendation_for_page(rec_id)
    if rec is None or not can(current_user, "view_recommendation", rec):
        abort(404)
    if need != "view_recommendation" and not can(current_user, need, rec):
        abort(403)
    return rec


@bp.get("/<int:rec_id>/strategies/search")
@require("link_strategy")
def search(rec_id):
    """Strategies matching the search, each with a form to link it (an htmx fragment)."""
    rec = _recommendation_or_404(rec_id, "link_strategy")
    q = (request.args.get("q") or "").strip()
    linked = {link.strategy_id for link in queries.links_of_recommendation(rec.id)}
    found = queries.search_for_linking(q, linked) if q else []
    return render_template(
        "strategies/_link_search.html", rec=rec, found=found, q=q, form=LinkForm()
    )


@bp.post("/<int:rec_id>/strategies")
@require("link_strategy")
def link(rec_id):
    rec = _recommendation_or_404(rec_id, "link_strategy")
    form = LinkForm()
    if not form.validate_on_submit():
        flash(error_text(form), "error")
    else:
        strategy = queries.strategy_for_page(form.strategy_id.data)
        if strategy is None:
            abort(404)
        try:
            services.link_strategy(
                rec, strategy, current_user, form.relation.data, form.note.data or ""
            )
        except services.StrategyError as exc:
            flash(str(exc), "error")
        else:
            flash(_("The strategy is linked."), "success")
    return redirect(
        url_for("recommendations.detail", rec_id=rec.id, _anchor="strategies"), code=303
    )


@bp.post("/<int:rec_id>/strategies/<int:link_id>/delete")
@require("unlink_strategy")
def unlink(rec_id, link_id):
    """Remove a link: its maker, the authors or a facilitator, until the recommendation
    is submitted."""
    rec = _recommendation_or_404(rec_id)
    item = queries.link_of(rec.id, link_id)
    if item is None:
        abort(404)
    if not can(current_user, "unlink_strategy", item, rec=rec):
        abort(403)
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.unlink_strategy(item, current_user)
    flash(_("The link is removed."), "success")
    return redirect(
        url_for("recommendations.detail", rec_id=rec.id, _anchor="strategies"), code=303
    )
