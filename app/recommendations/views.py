"""Recommendation pages: the list, drafting, one recommendation, editing and its
history, support and follow."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.attachments import pages as attachment_pages
from app.auth import queries as account_queries
from app.extensions import htmx
from app.forms import versions_to_compare
from app.permissions import can, require, visible_statuses
from app.problems import queries as problem_queries
from app.recommendations import answers, listing, origins, queries, services, workflow
from app.recommendations.discussion import (
    _discussion_context,
    _follow_context,
    _toggle_follow,
    render_fragment_or_page,
)
from app.recommendations.forms import (
    CoauthorForm,
    EditRecommendationForm,
    InvitationAnswerForm,
    RecommendationForm,
    StatusForm,
    ToggleForm,
)
from app.recommendations.models import STATUSES
from app.recommendations.pages import bp, get_recommendation_or_404, text_labels
from app.strategies import queries as strategy_queries
from app.strategies.suggest import suggest
from app.text import diff_fields

# --- list ---------------------------------------------------------------------------------


@bp.get("/")
@require("view_workspace")
def index():
    """Recommendations filtered by area, category, status, author, organisation and text."""
    filters = listing.RecommendationFilters.from_args(request.args)
    statuses = visible_statuses(current_user)
    rows, total = listing.page_of(filters, statuses)
    template = (
        "recommendations/_list.html"
        if htmx and not htmx.history_restore_request
        else "recommendations/index.html"
    )
    return render_template(
        template,
        rows=rows,
        total=total,
        filters=filters,
        page_size=listing.PAGE_SIZE,
        areas=problem_queries.area_rows(),
        categories=problem_queries.category_rows(),
        statuses=statuses or STATUSES,
        organisations=account_queries.organisation_rows(),
        # Only the chosen author, by id: the field itself takes a name, so the page does
        # not list every contributor (1,000 options at scale).
        chosen_author=queries.shown_author(filters.author, statuses) if filters.author else None,
        sorts=listing.SORTS,
    )


# --- drafting -----------------------------------------------------------------------------


def _form_choices():
    return {
        "areas": problem_queries.problem_areas(),
        "categories": problem_queries.categories(),
        "challenges": problem_queries.all_challenges(),
        "meetings": origins.meetings(),
    }


def text_from(form) -> services.TextFields:
    return services.TextFields(
        title=form.title.data or "",
        summary=form.summary.data or "",
        body=form.body.data or "",
        addressee=form.addressee.data or "",
        expected_impact=form.expected_impact.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@require("create_recommendation")
def new():
    """Draft a new recommendation."""
    options = _form_choices()
    form = RecommendationForm(**options)
    if request.method == "GET":
        area = problem_queries.problem_area_by_code(request.args.get("area", ""))
        if area is not None:
            form.problem_area.data = area.id
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        by_id = {a.id: a for a in options["areas"]}
        challenges = {c.id: c for c in options["challenges"]}
        meetings = {m.id: m for m in options["meetings"]}
        try:
            rec = services.create_recommendation(
                current_user,
                area=by_id[form.problem_area.data],
                category=next(c for c in options["categories"] if c.id == form.category.data),
                text=text_from(form),
                secondary_areas=[by_id[i] for i in form.secondary_areas.data or []],
                challenges=[challenges[i] for i in form.challenges.data or []],
                origin_meeting=meetings.get(form.origin_meeting.data),
                note=form.note.data or "",
            )
        except services.RecommendationError as exc:
            flash(str(exc), "error")
        else:
            page = url_for("recommendations.detail", rec_id=rec.id)
            once.done(form, page)
            flash(_("The draft is saved. Invite co-authors or open it for discussion."), "success")
            return redirect(page, code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("recommendations/form.html", form=form, rec=None), status


@bp.get("/<int:rec_id>")
@require("view_recommendation")
def detail(rec_id):
    """One recommendation: text, authors, support, amendments, timeline and discussion."""
    rec = get_recommendation_or_404(rec_id)
    return render_template("recommendations/detail.html", **detail_context(rec))


def detail_context(rec, comment_form=None, **extra):
    context = {
        "rec": rec,
        "amendments": queries.amendments_of(rec.id),
        "timeline": queries.timeline(rec.id),
        "merged_from": queries.merged_into_this(rec.id, visible_statuses(current_user)),
        "transitions": [
            t
            for t in workflow.available_from(rec.status)
            if can(current_user, "transition", rec, target=t.target)
        ],
        "status_form": StatusForm(),
        # A search field (people are offered as a name is typed), for the creator alone.
        "coauthor_form": CoauthorForm() if can(current_user, "invite_coauthor", rec) else None,
        "answer_form": InvitationAnswerForm(),
        "merge_candidates": queries.merge_candidates,
        "strategy_links": strategy_queries.links_of_recommendation(rec.id),
        "ministry_answers": answers.published_answers(rec.id),
        "materials": attachment_pages.shown(rec),
        **_goal_hints(rec),
        **_support_context(rec),
        **_follow_context(
            "recommendation", rec.id, url_for("recommendations.follow", rec_id=rec.id)
        ),
        **_discussion_context(rec, comment_form),
    }
    context.update(extra)
    return context


@bp.route("/<int:rec_id>/edit", methods=["GET", "POST"])
@require("edit_recommendation")
def edit(rec_id):
    """Edit the text; every save is a revision. A stale save shows the conflict page."""
    rec = get_recommendation_or_404(rec_id, "edit_recommendation")
    options = _form_choices()
    form = EditRecommendationForm(obj=rec, **options)
    if request.method == "GET":
        form.base_version.data = str(rec.version)
        form.secondary_areas.data = [a.id for a in rec.secondary_areas]
        form.challenges.data = [c.id for c in rec.challenges]
        form.note.data = ""
    elif form.validate_on_submit():
        by_id = {a.id: a for a in options["areas"]}
        challenges = {c.id: c for c in options["challenges"]}
        try:
            revision = services.update_recommendation(
                rec,
                current_user,
                expected_version=int(form.base_version.data),
                text=text_from(form),
                note=form.note.data,
                secondary_areas=[by_id[i] for i in form.secondary_areas.data or []],
                challenges=[challenges[i] for i in form.challenges.data or []],
            )
        except services.StaleEdit as stale:
            return _conflict(stale.recommendation, form), 409
        if revision is None:
            flash(_("Nothing changed, so no new version was saved."), "info")
        else:
            flash(_("Saved as version %(n)s.", n=revision.number), "success")
        return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("recommendations/form.html", form=form, rec=rec), status


def _conflict(rec, form):
    """Keep the editor's text and show what others saved since the editor opened the form."""
    rec = queries.recommendation_for_page(rec.id)
    started = queries.revision_at_version(rec.id, int(form.base_version.data))
    base = started.text_snapshot() if started else {}
    mine = text_from(form).as_dict()
    form.base_version.data = str(rec.version)  # saving again now overwrites knowingly
    return render_template(
        "recommendations/conflict.html",
        rec=rec,
        form=form,
        theirs=diff_fields(base, rec.text_snapshot(), text_labels()),
        mine=diff_fields(rec.text_snapshot(), mine, text_labels()),
        revisions=[
            r for r in queries.revisions_of(rec.id) if started is None or r.number > started.number
        ],
    )


@bp.get("/<int:rec_id>/history")
@require("view_recommendation")
def history(rec_id):
    """Every revision, and a word-level comparison of any two (``?from=1&to=3``)."""
    rec = get_recommendation_or_404(rec_id)
    revisions = queries.revisions_of(rec.id)
    chosen_from, chosen_to = versions_to_compare(request.args, [r.number for r in revisions])
    chosen_from = chosen_from or chosen_to  # a first version is shown against itself
    by_number = {r.number: r for r in revisions}
    comparison = None
    if chosen_from and chosen_to:
        comparison = diff_fields(
            by_number[chosen_from].text_snapshot(),
            by_number[chosen_to].text_snapshot(),
            text_labels(),
        )
    return render_template(
        "recommendations/history.html",
        rec=rec,
        revisions=revisions,
        chosen_from=chosen_from,
        chosen_to=chosen_to,
        comparison=comparison,
    )


# --- support and follow -------------------------------------------------------------------


def _goal_hints(rec) -> dict:
    """The goals and Green Deal areas the recommendation's text suggests, with their
    names. The names are read whatever is suggested, so that the page's statements do
    not depend on its text."""
    found = suggest(" ".join((rec.title, rec.summary, rec.body)), None)
    return {"goal_suggestions": found, "suggestion_names": strategy_queries.suggestion_names()}


def _support_context(rec):
    return {
        "supported": queries.has_supported(rec.id, current_user.id),
        "support_breakdown": queries.support_by_sector(rec.id),
        "support_form": ToggleForm(),
    }


@bp.post("/<int:rec_id>/support")
@require("support")
def support(rec_id):
    """Support the recommendation, or withdraw one's support."""
    rec = get_recommendation_or_404(rec_id, "support")
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_support(rec, current_user, form.wants_on)
    rec = queries.recommendation_for_page(rec.id)
    return render_fragment_or_page(
        "recommendations/_support.html",
        url_for("recommendations.detail", rec_id=rec.id),
        rec=rec,
        **_support_context(rec),
    )


@bp.post("/<int:rec_id>/follow")
@require("follow")
def follow(rec_id):
    """Follow the recommendation (or stop)."""
    rec = get_recommendation_or_404(rec_id)
    return _toggle_follow(
        "recommendation", rec.id, url_for("recommendations.detail", rec_id=rec.id)
    )
