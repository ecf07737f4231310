"""Recommendation pages: list, drafting, history, amendments, workflow, discussion, support."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import once
from app.auth import queries as account_queries
from app.extensions import db, htmx
from app.forms import error_text
from app.permissions import can, require, visible_statuses
from app.problems import queries as problem_queries
from app.recommendations import answers, origins, queries, services, workflow
from app.recommendations.discussion import (
    _discussion_context,
    _follow_context,
    _toggle_follow,
    comments_bp,
    discussion_response,
    post_comment,
    render_fragment_or_page,
)
from app.recommendations.forms import (
    AmendmentForm,
    CoauthorForm,
    CommentEditForm,
    CommentForm,
    EditRecommendationForm,
    InvitationAnswerForm,
    RecommendationForm,
    RejectAmendmentForm,
    StatusForm,
    ToggleForm,
)
from app.recommendations.models import STATUSES, Comment, Recommendation
from app.strategies import queries as strategy_queries
from app.strategies.suggest import suggest
from app.text import diff_fields

bp = Blueprint("recommendations", __name__)


def text_labels():
    return [
        ("title", _("Title")),
        ("summary", _("Summary")),
        ("body", _("Recommendation")),
        ("addressee", _("Addressee")),
        ("expected_impact", _("Expected impact")),
    ]


def get_recommendation_or_404(
    rec_id: int, need: str = "view_recommendation", **context
) -> Recommendation:
    """Load a recommendation for its page; 404 if it does not exist or may not be seen,
    403 if it may be seen but not acted on this way."""
    rec = queries.recommendation_for_page(rec_id)
    if rec is None or not can(current_user, "view_recommendation", rec):
        abort(404)
    if need != "view_recommendation" and not can(current_user, need, rec, **context):
        abort(403)
    return rec


# --- list ---------------------------------------------------------------------------------


@bp.get("/")
@require("view_workspace")
def index():
    """Recommendations filtered by area, category, status, author, organisation and text."""
    filters = queries.RecommendationFilters.from_args(request.args)
    statuses = visible_statuses(current_user)
    rows, total = queries.page_of(filters, statuses)
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
        page_size=queries.PAGE_SIZE,
        areas=problem_queries.problem_areas(),
        categories=problem_queries.categories(),
        statuses=statuses or STATUSES,
        organisations=account_queries.organisations(),
        # Only the chosen author, by id: the field itself takes a name, so the page does
        # not list every contributor (1,000 options at scale).
        chosen_author=queries.shown_author(filters.author, statuses) if filters.author else None,
        sorts=queries.SORTS,
    )


# --- drafting -----------------------------------------------------------------------------


def _form_choices():
    return {
        "areas": problem_queries.problem_areas(),
        "categories": problem_queries.categories(),
        "challenges": problem_queries.all_challenges(),
        "meetings": origins.meetings(),
    }


def _text_from(form) -> services.TextFields:
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
                text=_text_from(form),
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
    return render_template("recommendations/detail.html", **_detail_context(rec))


def _detail_context(rec, comment_form=None, **extra):
    top, replies = queries.comments_of(recommendation_id=rec.id)
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
        "coauthor_form": _coauthor_form(rec),
        "answer_form": InvitationAnswerForm(),
        "merge_candidates": queries.merge_candidates,
        "strategy_links": strategy_queries.links_of_recommendation(rec.id),
        "ministry_answers": answers.published_answers(rec.id),
        "goal_suggestions": suggest(" ".join((rec.title, rec.summary, rec.body)), None),
        **_support_context(rec),
        **_follow_context(
            "recommendation", rec.id, url_for("recommendations.follow", rec_id=rec.id)
        ),
        **_discussion_context(rec, top, replies, comment_form),
    }
    context.update(extra)
    return context


def _coauthor_form(rec):
    taken = {a.user_id for a in rec.authors if a.state != "declined"}
    people = [u for u in account_queries.active_contributors() if u.id not in taken]
    return CoauthorForm(people=people)


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
                text=_text_from(form),
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
    mine = _text_from(form).as_dict()
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
    numbers = [r.number for r in revisions]
    newest = numbers[0] if numbers else None
    chosen_to = _revision_number(request.args.get("to"), numbers) or newest
    chosen_from = _revision_number(request.args.get("from"), numbers) or (
        max(1, chosen_to - 1) if chosen_to else None
    )
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


def _revision_number(value, numbers) -> int | None:
    if value and value.isascii() and value.isdecimal() and len(value) < 8 and int(value) in numbers:
        return int(value)
    return None


# --- authors and workflow -----------------------------------------------------------------


@bp.post("/<int:rec_id>/coauthors")
@require("invite_coauthor")
def invite_coauthor(rec_id):
    """An author invites a member to co-author."""
    rec = get_recommendation_or_404(rec_id, "invite_coauthor")
    form = _coauthor_form(rec)
    if not form.validate_on_submit():
        flash(_("Choose a member from the list."), "error")
        return redirect(
            url_for("recommendations.detail", rec_id=rec.id, _anchor="authors"), code=303
        )
    invitee = account_queries.user_by_id(form.user_id.data)
    try:
        services.invite_coauthor(rec, current_user, invitee)
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    else:
        flash(_("%(name)s has been invited as a co-author.", name=invitee.name), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id, _anchor="authors"), code=303)


@bp.post("/<int:rec_id>/coauthors/answer")
@require("view_recommendation")
def answer_coauthor_invitation(rec_id):
    """The invited member accepts or declines."""
    rec = get_recommendation_or_404(rec_id)
    form = InvitationAnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.answer_coauthor_invitation(rec, current_user, form.answer.data == "accept")
    except services.RecommendationError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("You are now a co-author.")
            if form.answer.data == "accept"
            else _("You have declined the invitation."),
            "success",
        )
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)


@bp.post("/<int:rec_id>/status")
@require("transition")
def change_status(rec_id):
    """Move the recommendation through the workflow (the service checks the step)."""
    rec = get_recommendation_or_404(rec_id)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(_("The change of status was not understood; try again."), "error")
        return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)
    if not can(current_user, "transition", rec, target=form.target.data):
        abort(403)
    merged_into = None
    if form.target.data == "merged":
        merged_into = queries.recommendation_for_page(form.merged_into.data or 0)
    try:
        services.change_status(
            rec, current_user, form.target.data, note=form.note.data or "", merged_into=merged_into
        )
    except services.RecommendationError as exc:
        flash(str(exc), "error")
        return render_template(
            "recommendations/detail.html", **_detail_context(rec, status_error=str(exc))
        ), 400
    flash(_("Status changed."), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id, _anchor="timeline"), code=303)


# --- amendments ---------------------------------------------------------------------------


@bp.route("/<int:rec_id>/amendments/new", methods=["GET", "POST"])
@require("amend")
def new_amendment(rec_id):
    """A member who is not an author proposes a change to the text."""
    rec = get_recommendation_or_404(rec_id, "amend")
    form = AmendmentForm(obj=rec)
    preview = None
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        try:
            amendment = services.propose_amendment(
                rec, current_user, _text_from(form), form.justification.data
            )
        except services.RecommendationError as exc:
            form.title.errors.append(str(exc))
        else:
            page = url_for("recommendations.amendment", rec_id=rec.id, amendment_id=amendment.id)
            once.done(form, page)
            flash(_("Your amendment has been sent to the authors."), "success")
            return redirect(page, code=303)
    if request.method == "POST":
        preview = diff_fields(rec.text_snapshot(), _text_from(form).as_dict(), text_labels())
    status = 400 if request.method == "POST" else 200
    return render_template(
        "recommendations/amendment_form.html", rec=rec, form=form, preview=preview
    ), status


def _get_amendment_or_404(rec, amendment_id):
    amendment = queries.amendment_for_page(rec, amendment_id)
    if amendment is None:
        abort(404)
    return amendment


@bp.get("/<int:rec_id>/amendments/<int:amendment_id>")
@require("view_recommendation")
def amendment(rec_id, amendment_id):
    """An amendment shown as a diff against the text it was written for."""
    rec = get_recommendation_or_404(rec_id)
    item = _get_amendment_or_404(rec, amendment_id)
    return render_template(
        "recommendations/amendment.html",
        rec=rec,
        amendment=item,
        changes=diff_fields(
            item.base_revision.text_snapshot(), item.text_snapshot(), text_labels()
        ),
        reject_form=RejectAmendmentForm(),
        accept_form=ToggleForm(),
    )


@bp.post("/<int:rec_id>/amendments/<int:amendment_id>/accept")
@require("decide_amendment")
def accept_amendment(rec_id, amendment_id):
    """An author accepts: the amendment becomes a revision crediting the amender."""
    rec = get_recommendation_or_404(rec_id)
    item = _get_amendment_or_404(rec, amendment_id)
    if not can(current_user, "decide_amendment", item):
        abort(403)
    if not ToggleForm().validate_on_submit():
        abort(400)
    try:
        revision = services.accept_amendment(item, current_user)
    except services.RecommendationError as exc:
        flash(str(exc), "error")
        return redirect(
            url_for("recommendations.amendment", rec_id=rec.id, amendment_id=item.id), code=303
        )
    flash(_("Amendment accepted; it is version %(n)s of the text.", n=revision.number), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)


@bp.post("/<int:rec_id>/amendments/<int:amendment_id>/reject")
@require("decide_amendment")
def reject_amendment(rec_id, amendment_id):
    """An author rejects, saying why."""
    rec = get_recommendation_or_404(rec_id)
    item = _get_amendment_or_404(rec, amendment_id)
    if not can(current_user, "decide_amendment", item):
        abort(403)
    form = RejectAmendmentForm()
    if not form.validate_on_submit():
        return render_template(
            "recommendations/amendment.html",
            rec=rec,
            amendment=item,
            changes=diff_fields(
                item.base_revision.text_snapshot(), item.text_snapshot(), text_labels()
            ),
            reject_form=form,
            accept_form=ToggleForm(),
        ), 400
    services.reject_amendment(item, current_user, form.reason.data)
    flash(_("Amendment rejected; its author has been told why."), "success")
    return redirect(url_for("recommendations.detail", rec_id=rec.id), code=303)


# --- support and follow -------------------------------------------------------------------


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


# --- discussion ---------------------------------------------------------------------------


@bp.route("/<int:rec_id>/comments", methods=["GET", "POST"])
@require("view_recommendation")
def comments(rec_id):
    """The discussion fragment (GET) or a new comment or reply (POST)."""
    rec = get_recommendation_or_404(rec_id)
    page_url = url_for("recommendations.detail", rec_id=rec.id)
    if request.method == "GET":
        return discussion_response(rec, page_url)
    return post_comment(rec, page_url)


def _comment_target(comment: Comment):
    """The recommendation or challenge a comment belongs to, checked for visibility."""
    if comment.recommendation_id:
        rec = get_recommendation_or_404(comment.recommendation_id)
        return rec, url_for("recommendations.detail", rec_id=rec.id)

    challenge = problem_queries.challenge_for_page(comment.challenge_id)
    if challenge is None:
        abort(404)
    return challenge, url_for("challenges.detail", challenge_id=challenge.id)


def _get_comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    return comment


@comments_bp.post("/<int:comment_id>/edit")
@require("edit_comment")
def edit_comment(comment_id):
    """The author corrects their comment within 15 minutes."""
    comment = _get_comment_or_404(comment_id)
    target, page_url = _comment_target(comment)
    if not can(current_user, "edit_comment", comment, target=target):
        abort(403)
    form = CommentEditForm()
    if not form.validate_on_submit():
        problem = error_text(form)
        return discussion_response(
            target,
            page_url,
            CommentForm(formdata=None),
            422,
            problem=_("The comment was not changed: %(error)s", error=problem),
        )
    services.edit_comment(comment, current_user, form.body.data)
    return discussion_response(target, page_url)


@comments_bp.post("/<int:comment_id>/delete")
@require("delete_comment")
def delete_comment(comment_id):
    """Remove a comment's text; the thread keeps its place for the replies."""
    comment = _get_comment_or_404(comment_id)
    target, page_url = _comment_target(comment)
    if not can(current_user, "delete_comment", comment, target=target):
        abort(403)
    if not ToggleForm().validate_on_submit():
        abort(400)
    services.delete_comment(comment, current_user)
    return discussion_response(target, page_url)
