"""The V4 strategy portal: the catalogue with facets, records, the classification
procedure and its help page."""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook

from app import once, search
from app.attachments import pages as attachment_pages
from app.extensions import htmx
from app.forms import ToggleForm, choices
from app.i18n import localized
from app.permissions import can, object_or_404, require, visible_statuses
from app.spreadsheets import safe_row
from app.strategies import citations, documents, importer, queries, services
from app.strategies.forms import ClassificationForm, EditStrategyForm, ReviewForm, StrategyForm
from app.strategies.importer import COLUMNS
from app.strategies.suggest import suggest
from app.templating import CLASSIFICATION_LABELS, LEVEL_LABELS

bp = Blueprint("strategies", __name__)
MAX_UPLOAD = 5 * 1024 * 1024


def get_strategy_or_404(strategy_id: int, need: str | None = None):
    return object_or_404(queries.strategy_for_page(strategy_id), need)


@bp.get("/")
@require("view_strategies")
def index():
    """The catalogue: facets with counts, text search, everything in the URL."""
    filters = queries.StrategyFilters.from_args(request.args)
    rows, total = queries.page_of(filters)
    counts = queries.facet_counts(filters)
    # Where the search found each result: the words as written in its summary or text.
    passages = {}
    if filters.q:
        for row in rows:
            found = search.passage(row.summary, filters.q) or search.passage(
                row.full_text, filters.q
            )
            if found:
                passages[row.id] = found
    context = dict(
        rows=rows,
        total=total,
        passages=passages,
        filters=filters,
        page_size=queries.PAGE_SIZE,
        counts=counts,
        options=_facet_options(counts),
        facet_labels=_facet_labels(),
    )
    if htmx and not htmx.history_restore_request:
        return render_template("strategies/_results.html", **context)
    return render_template("strategies/index.html", **context)


def _facet_labels():
    return [
        ("country", _("Country")),
        ("level", _("Level")),
        ("status", _("Classification")),
        ("dimension", _("Smart-city dimension")),
        ("green_deal", _("Green Deal area")),
        ("sdg", _("SDG")),
        ("year", _("Adopted in")),
    ]


def _facet_options(counts) -> dict[str, list[tuple]]:
    """Each facet's values with their labels: the V4 countries always, others as found."""
    names = {"PL": _("Poland"), "CZ": _("Czechia"), "SK": _("Slovakia"), "HU": _("Hungary")}
    countries = list(names.items()) + sorted(
        (code, code) for code in counts["country"] if code not in names
    )
    return {
        "country": countries,
        "level": list(LEVEL_LABELS.items()),
        "status": list(CLASSIFICATION_LABELS.items()),
        "dimension": [(d.code, localized(d, "name")) for d in queries.dimension_rows()],
        "green_deal": [(a.code, localized(a, "name")) for a in queries.green_deal_rows()],
        "sdg": [
            (g.number, f"{g.number}. {localized(g, 'short_name')}") for g in queries.goal_rows()
        ],
        "year": [
            (year, str(year)) for year in sorted((y for y in counts["year"] if y), reverse=True)
        ],
    }


@bp.route("/import", methods=["GET", "POST"])
@require("import_strategies")
def import_csv():
    """Upload a CSV, see every row checked, then confirm: nothing is written before that."""
    preview, text, problem = None, "", None
    if request.method == "POST":
        form = ToggleForm()
        if not form.validate_on_submit():
            abort(400)
        upload = request.files.get("file")
        if upload and upload.filename:
            data = upload.read(MAX_UPLOAD + 1)
        else:
            data = (request.form.get("content") or "").encode("utf-8")
        if len(data) > MAX_UPLOAD:
            problem = _("The file is larger than 5 MB.")
        elif not data.strip():
            problem = _("Choose a CSV file.")
        else:
            try:
                preview = importer.parse(data)
                text = data.decode("utf-8-sig")
            except services.StrategyError as exc:
                problem = str(exc)
        if preview is not None and preview.ok and request.form.get("confirm") == "1":
            count = importer.commit(preview, current_user)
            flash(
                _("Imported %(n)s strategies; their classifications await review.", n=count),
                "success",
            )
            return redirect(url_for("strategies.index"), code=303)
    status = 400 if problem or (preview is not None and preview.errors) else 200
    return render_template(
        "strategies/import.html",
        preview=preview,
        content=text,
        problem=problem,
        columns=importer.COLUMNS,
    ), status


@bp.get("/procedure")
@require("view_strategies")
def procedure():
    """The classification procedure's rules, so partners in four countries apply it alike."""
    return render_template(
        "strategies/procedure.html",
        goals=queries.goals(),
        green_deal=queries.green_deal_areas(),
        dimensions=queries.dimensions(),
    )


def _fields(form) -> services.StrategyFields:
    text = form.full_text.data or ""
    upload = form.text_file.data
    if upload and getattr(upload, "filename", ""):
        try:
            document = documents.extract_text(
                upload.filename, upload.read(documents.MAX_UPLOAD + 1)
            )
        except documents.DocumentError as exc:
            raise services.StrategyError(str(exc)) from None
        text = document.text
        if document.truncated:
            flash(
                _(
                    "The document is long: its first %(n)s characters were kept for "
                    "suggestions and search.",
                    n=format_number(documents.MAX_TEXT),
                ),
                "info",
            )
    return services.StrategyFields(
        title_original=form.title_original.data,
        title_en=form.title_en.data or "",
        place=form.place.data,
        country=form.country.data,
        level=form.level.data,
        population_class=form.population_class.data or None,
        adopted_year=form.adopted_year.data,
        horizon_year=form.horizon_year.data,
        source_url=form.source_url.data or "",
        language=form.language.data,
        summary=form.summary.data or "",
        full_text=text.replace("\x00", ""),
    )


@bp.route("/new", methods=["GET", "POST"])
@require("edit_strategy")
def new():
    """Record a strategy (it is then classified)."""
    form = StrategyForm()
    if form.validate_on_submit():
        if earlier := once.claim(form):
            return once.back_to(earlier)
        try:
            strategy = services.create_strategy(current_user, _fields(form))
        except services.StrategyError as exc:
            form.full_text.errors.append(str(exc))
        else:
            page = url_for("strategies.classify", strategy_id=strategy.id)
            once.done(form, page)
            flash(_("The strategy is recorded. Classify it next."), "success")
            return redirect(page, code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("strategies/form.html", form=form, strategy=None), status


@bp.route("/<int:strategy_id>/edit", methods=["GET", "POST"])
@require("edit_strategy")
def edit(strategy_id):
    strategy = get_strategy_or_404(strategy_id)
    form = EditStrategyForm(obj=strategy)
    if request.method == "GET":
        form.base_version.data = str(strategy.version)
        form.population_class.data = strategy.population_class or ""
    elif form.validate_on_submit():
        try:
            services.update_strategy(
                strategy, current_user, _fields(form), expected_version=int(form.base_version.data)
            )
        except services.StrategyError as exc:
            form.title_original.errors.append(str(exc))
        else:
            flash(_("The strategy has been saved."), "success")
            return redirect(url_for("strategies.detail", strategy_id=strategy.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("strategies/form.html", form=form, strategy=strategy), status


@bp.get("/<int:strategy_id>")
@require("view_strategies")
def detail(strategy_id):
    """One strategy: its record, SDG tiles, the Green Deal x dimension grid, its links."""
    strategy = get_strategy_or_404(strategy_id)
    return render_template(
        "strategies/detail.html",
        strategy=strategy,
        events=queries.events_of(strategy.id),
        links=citations.citing(strategy.id, visible_statuses(current_user)),
        green_deal=queries.green_deal_areas(),
        dimensions=queries.dimensions(),
        review_form=ReviewForm(),
        materials=attachment_pages.shown(strategy),
    )


def _classification_form(strategy=None):
    form = ClassificationForm()
    form.dimensions.choices = choices(
        [(d.code, localized(d, "name")) for d in queries.dimension_rows()]
    )
    form.green_deal.choices = choices(
        [(a.code, localized(a, "name")) for a in queries.green_deal_rows()]
    )
    form.targets.choices = choices(
        [(t.code, f"{t.code} · {localized(t, 'text')[:90]}") for t in queries.targets()]
    )
    if strategy is not None and request.method == "GET":
        form.dimensions.data = [d.code for d in strategy.dimensions]
        form.green_deal.data = [a.code for a in strategy.green_deal_areas]
        form.targets.data = [t.code for t in strategy.targets]
        form.keywords.data = strategy.keywords
    return form


def _sdg_choices_from(form_data) -> tuple[dict[int, str], list[str]]:
    sdgs, errors = {}, []
    for number in range(1, 18):
        value = form_data.get(f"sdg-{number}", "")
        if value in ("primary", "secondary"):
            sdgs[number] = value
        elif value:
            errors.append(str(number))
    return sdgs, errors


@bp.route("/<int:strategy_id>/classify", methods=["GET", "POST"])
@require("classify_strategy")
def classify(strategy_id):
    """The guided classification form, with offline suggestions to confirm or reject."""
    strategy = get_strategy_or_404(strategy_id)
    form = _classification_form(strategy)
    current = {s.goal_number: s.relevance for s in strategy.sdgs}
    text = " ".join(
        filter(
            None, (strategy.title_original, strategy.title_en, strategy.summary, strategy.full_text)
        )
    )
    suggestions = suggest(text, strategy.language)
    if request.method == "POST":
        sdgs, bad = _sdg_choices_from(request.form)
        current = sdgs
        if form.validate_on_submit() and not bad:
            try:
                services.propose_classification(
                    strategy,
                    current_user,
                    services.Classification(
                        dimensions=form.dimensions.data or [],
                        green_deal=form.green_deal.data or [],
                        sdgs=sdgs,
                        targets=form.targets.data or [],
                        keywords=form.keywords.data or "",
                    ),
                    comment=form.comment.data or "",
                )
            except services.StrategyError as exc:
                form.keywords.errors.append(str(exc))
            else:
                flash(
                    _("The classification is proposed; a facilitator reviews it next."), "success"
                )
                return redirect(url_for("strategies.detail", strategy_id=strategy.id), code=303)
        if bad:
            form.keywords.errors.append(
                _("Unknown relevance for goals: %(goals)s.", goals=", ".join(bad))
            )
    status = 400 if request.method == "POST" else 200
    goals = queries.goals()
    return render_template(
        "strategies/classify.html",
        strategy=strategy,
        form=form,
        goals=goals,
        suggestion_names=queries.suggestion_names(goals),
        current=current,
        suggestions=suggestions,
    ), status


@bp.post("/<int:strategy_id>/review")
@require("review_strategy")
def review(strategy_id):
    """A second person approves the proposed classification or returns it."""
    strategy = get_strategy_or_404(strategy_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    if not can(current_user, "review_strategy", strategy):
        abort(403)
    try:
        services.review_classification(
            strategy, current_user, form.decision.data == "approve", form.comment.data or ""
        )
    except services.StrategyError as exc:
        flash(str(exc), "error")
    else:
        flash(
            _("The classification is approved.")
            if form.decision.data == "approve"
            else _("The classification is returned to the classifier."),
            "success",
        )
    return redirect(url_for("strategies.detail", strategy_id=strategy.id), code=303)


def _export_rows(filters):
    """The catalogue as rows in the import template's columns (plus id and status)."""
    yield ("id", "status", *COLUMNS)
    for s in queries.export_rows(filters):
        primary = ";".join(str(x.goal_number) for x in s.sdgs if x.relevance == "primary")
        secondary = ";".join(str(x.goal_number) for x in s.sdgs if x.relevance == "secondary")
        values = {
            "title_original": s.title_original,
            "title_en": s.title_en,
            "place": s.place,
            "country": s.country,
            "level": s.level,
            "population_class": s.population_class or "",
            "adopted_year": s.adopted_year or "",
            "horizon_year": s.horizon_year or "",
            "source_url": s.source_url,
            "language": s.language,
            "summary": s.summary,
            "dimensions": ";".join(d.code for d in s.dimensions),
            "green_deal": ";".join(a.code for a in s.green_deal_areas),
            "sdgs_primary": primary,
            "sdgs_secondary": secondary,
            "targets": ";".join(t.code for t in s.targets),
            "keywords": s.keywords,
        }
        yield (s.id, s.status, *(values[c] for c in COLUMNS))


@bp.get("/export.<any(csv, xlsx):fmt>")
@require("view_strategies")
def export(fmt):
    """The catalogue (with the list's filters) as CSV or Excel, in the import columns."""
    filters = queries.StrategyFilters.from_args(request.args)
    if fmt == "csv":

        def generate():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            yield "\ufeff"  # so Excel reads the Polish letters right
            for row in _export_rows(filters):
                writer.writerow(safe_row(row))
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()

        response = Response(stream_with_context(generate()), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="strategies.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("strategies")
    sheet.freeze_panes = "A2"
    rows = list(_export_rows(filters))
    for row in rows:
        sheet.append(safe_row(row))
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(rows[0]) - 1)}{len(rows)}"
    output = io.BytesIO()
    workbook.save(output)
    response = Response(
        output.getvalue(),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response.headers["Content-Disposition"] = 'attachment; filename="strategies.xlsx"'
    return response
