"""Importing strategies from CSV: parse and check everything first, write nothing until
the whole file is clean, then write it in one transaction.

Columns (header row required; order free; unknown columns are an error):
title_original, title_en, place, country, level, population_class, adopted_year,
horizon_year, source_url, language, summary, dimensions, green_deal, sdgs_primary,
sdgs_secondary, targets, keywords. Lists are separated by ";" (e.g. ``11;13``)."""

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit
from app.extensions import db
from app.strategies import services
from app.strategies.models import (
    DOCUMENT_LANGUAGES,
    ClassificationEvent,
    GreenDealArea,
    Level,
    PopulationClass,
    SdgTarget,
    SmartDimension,
    SmartStrategy,
)

COLUMNS = (
    "title_original",
    "title_en",
    "place",
    "country",
    "level",
    "population_class",
    "adopted_year",
    "horizon_year",
    "source_url",
    "language",
    "summary",
    "dimensions",
    "green_deal",
    "sdgs_primary",
    "sdgs_secondary",
    "targets",
    "keywords",
)
REQUIRED = ("title_original", "place", "country", "level")
MAX_ROWS = 5_000


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ParsedRow:
    line: int
    fields: services.StrategyFields
    classification: services.Classification | None


@dataclass
class ImportPreview:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise services.StrategyError(
            _(
                "The file is not UTF-8 text. Save it from your "
                "spreadsheet as CSV UTF-8 and try again."
            )
        ) from None


def parse(data: bytes) -> ImportPreview:
    """Read and check a CSV file; every problem is reported with its line and column."""
    text = _decode(data)
    preview = ImportPreview()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        preview.errors.append(RowError(1, "", _("The file is empty.")))
        return preview
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    for name in unknown:
        preview.errors.append(RowError(1, name, _("Unknown column.")))
    for name in missing:
        preview.errors.append(RowError(1, name, _("Required column is missing.")))
    if unknown or missing:
        return preview
    reference = _reference()
    seen: dict[tuple, int] = {}
    existing = _existing_keys()
    try:
        for index, raw in enumerate(reader):
            line = index + 2  # the header is line 1
            if index >= MAX_ROWS:
                preview.errors.append(
                    RowError(line, "", _("At most %(n)s rows at a time.", n=MAX_ROWS))
                )
                break
            row = {
                key.strip(): (value or "").strip() for key, value in raw.items() if key is not None
            }
            if None in raw:
                preview.errors.append(RowError(line, "", _("More values than columns.")))
                continue
            parsed = _parse_row(line, row, reference, preview.errors)
            if parsed is None:
                continue
            key = _key(parsed.fields.country, parsed.fields.place, parsed.fields.title_original)
            if key in existing:
                preview.errors.append(
                    RowError(
                        line,
                        "title_original",
                        _("Already in the catalogue (strategy %(id)s).", id=existing[key]),
                    )
                )
            elif key in seen:
                preview.errors.append(
                    RowError(
                        line, "title_original", _("Duplicate of line %(line)s.", line=seen[key])
                    )
                )
            else:
                seen[key] = line
                preview.rows.append(parsed)
    except csv.Error as exc:
        preview.errors.append(
            RowError(reader.line_num, "", _("The CSV is malformed: %(error)s", error=str(exc)))
        )
    return preview


def _key(country: str, place: str, title: str) -> tuple:
    return (country.upper(), place.strip().lower(), title.strip().lower())


def _existing_keys() -> dict[tuple, int]:
    rows = db.session.execute(
        select(
            SmartStrategy.country,
            func.lower(SmartStrategy.place),
            func.lower(SmartStrategy.title_original),
            SmartStrategy.id,
        )
    ).all()
    return {(c, p.strip(), t.strip()): i for c, p, t, i in rows}


def _reference() -> dict[str, set]:
    return {
        "dimensions": set(db.session.scalars(select(SmartDimension.code))),
        "green_deal": set(db.session.scalars(select(GreenDealArea.code))),
        "targets": set(db.session.scalars(select(SdgTarget.code))),
    }


def _year(line, row, name, errors) -> int | None:
    value = row.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdecimal() and 1990 <= int(value) <= 2100):
        errors.append(RowError(line, name, _("A year between 1990 and 2100.")))
        return None
    return int(value)


def _parse_row(line, row, reference, errors) -> ParsedRow | None:
    before = len(errors)
    for name in REQUIRED:
        if not row.get(name):
            errors.append(RowError(line, name, _("Required.")))
    country = row.get("country", "").upper()
    if country and (len(country) != 2 or not country.isalpha()):
        errors.append(RowError(line, "country", _("A two-letter country code, e.g. PL.")))
    level = row.get("level", "")
    if level and level not in tuple(Level):
        errors.append(RowError(line, "level", _("One of: %(values)s.", values=", ".join(Level))))
    population = row.get("population_class", "") or None
    if population and population not in tuple(PopulationClass):
        errors.append(
            RowError(
                line,
                "population_class",
                _("One of: %(values)s.", values=", ".join(PopulationClass)),
            )
        )
    adopted = _year(line, row, "adopted_year", errors)
    horizon = _year(line, row, "horizon_year", errors)
    if adopted and horizon and horizon < adopted:
        errors.append(
            RowError(
                line, "horizon_year", _("The horizon year cannot come before the year of adoption.")
            )
        )
    language = row.get("language", "") or "pl"
    if language not in DOCUMENT_LANGUAGES:
        errors.append(
            RowError(
                line, "language", _("One of: %(values)s.", values=", ".join(DOCUMENT_LANGUAGES))
            )
        )
    url = row.get("source_url", "")
    if url and not url.startswith(("https://", "http://")):
        errors.append(RowError(line, "source_url", _("A full address starting with https://.")))
    for name, limit in (
        ("title_original", 400),
        ("title_en", 400),
        ("place", 200),
        ("summary", 5_000),
        ("keywords", 1_000),
        ("source_url", 500),
    ):
        if len(row.get(name, "")) > limit:
            errors.append(RowError(line, name, _("At most %(n)s characters.", n=limit)))
    dimensions, green_deal, targets = (
        _split(row.get(n, "")) for n in ("dimensions", "green_deal", "targets")
    )
    for name, values in (
        ("dimensions", dimensions),
        ("green_deal", green_deal),
        ("targets", targets),
    ):
        unknown = [v for v in values if v not in reference[name]]
        if unknown:
            errors.append(
                RowError(line, name, _("Unknown codes: %(codes)s.", codes=", ".join(unknown)))
            )
    sdgs: dict[int, str] = {}
    for name, relevance in (("sdgs_primary", "primary"), ("sdgs_secondary", "secondary")):
        for value in _split(row.get(name, "")):
            if not (value.isdecimal() and 1 <= int(value) <= 17):
                errors.append(RowError(line, name, _("Goals are numbers from 1 to 17.")))
            elif int(value) in sdgs:
                errors.append(RowError(line, name, _("Goal %(n)s is listed twice.", n=value)))
            else:
                sdgs[int(value)] = relevance
    stray = [t for t in targets if t in reference["targets"] and int(t.split(".")[0]) not in sdgs]
    if stray:
        errors.append(
            RowError(
                line,
                "targets",
                _("Targets must belong to a listed goal: %(targets)s.", targets=", ".join(stray)),
            )
        )
    if len(errors) > before:
        return None
    classification = None
    if dimensions or green_deal or sdgs:
        classification = services.Classification(
            dimensions=dimensions,
            green_deal=green_deal,
            sdgs=sdgs,
            targets=targets,
            keywords=row.get("keywords", ""),
        )
    return ParsedRow(
        line=line,
        classification=classification,
        fields=services.StrategyFields(
            title_original=row["title_original"],
            title_en=row.get("title_en", ""),
            place=row["place"],
            country=country,
            level=level,
            population_class=population,
            adopted_year=adopted,
            horizon_year=horizon,
            source_url=url,
            language=language,
            summary=row.get("summary", ""),
        ),
    )


def commit(preview: ImportPreview, actor, progress=None) -> int:
    """Write every row in one transaction; a classification comes in as proposed (someone
    else still reviews it). Returns the number of strategies created."""
    if not preview.ok:
        raise services.StrategyError(_("The file has errors; nothing was imported."))

    try:
        for row in preview.rows:
            strategy = SmartStrategy(
                created_by_id=actor.id if actor else None, **services._values(row.fields)
            )
            db.session.add(strategy)
            db.session.flush()
            services.reindex(strategy)
            if row.classification is not None:
                services.apply_classification(strategy, row.classification)
                strategy.status = "proposed"
                strategy.classifier_id = actor.id if actor else None
                db.session.add(
                    ClassificationEvent(
                        strategy_id=strategy.id,
                        actor_id=actor.id if actor else None,
                        action="proposed",
                        comment="import",
                    )
                )
            if progress is not None:
                progress(1)
        audit.record(actor, "strategy.imported", strategy, rows=len(preview.rows))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(preview.rows)
