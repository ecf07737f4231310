"""Loads the reference data in this folder into the database, idempotently.

Every record has a natural key (a code, a slug, a name, a date). Loading finds
the row by its key and sets only the fields that differ, so a second run
changes nothing and an edited title in a file updates its row in place."""

import csv
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from app.auth.models import Organisation, Sector, User
from app.auth.services import hash_password
from app.extensions import db
from app.meetings import searching as meeting_search
from app.meetings.models import AgendaItem, Meeting, Participant, agenda_item_problem_areas
from app.problems.models import Challenge, ProblemArea, RecommendationCategory, Subgroup
from app.recommendations import services
from app.recommendations.models import Recommendation
from app.strategies import services as strategy_services
from app.strategies.models import (
    GreenDealArea,
    SdgGoal,
    SdgTarget,
    SmartDimension,
    SmartStrategy,
)
from seeds import demo_materials

SEEDS_DIR = Path(__file__).resolve().parent
WARSAW = ZoneInfo("Europe/Warsaw")


class SeedError(Exception):
    """A seed file refers to something that does not exist, or is malformed."""


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    #: (email, role, password) of demo users created in this run.
    passwords: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, kind: str, table: str) -> None:
        bucket = self.created if kind == "created" else self.updated
        bucket[table] = bucket.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read(directory: Path, name: str, key: str) -> list[dict]:
    path = directory / name
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    items = data.get(key)
    if not isinstance(items, list):
        raise SeedError(f"{path}: expected a list under '{key}'")
    return items


#: The languages whose reference texts live in seeds/translations/<language>.yaml.
TRANSLATED = ("cs", "sk", "hu")


def _translations(directory: Path) -> dict:
    """language -> section -> code -> {field: text}, from seeds/translations/."""
    found = {}
    for language in TRANSLATED:
        path = directory / "translations" / f"{language}.yaml"
        if not path.exists():
            found[language] = {}
            continue
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        if not isinstance(data, dict):
            raise SeedError(f"{path}: expected sections by name")
        found[language] = data
    return found


def _texts(translations: dict, section: str, code, fields: tuple[str, ...], **given) -> dict:
    """The ``<field>_<language>`` values of one item for cs, sk and hu ("" where the
    translation is missing, so the page shows the English text). ``given`` (from a
    CSV column) wins over the translation file."""
    values = {}
    for language in TRANSLATED:
        item = (translations[language].get(section) or {}).get(str(code)) or {}
        for part in fields:
            name = f"{part}_{language}"
            values[name] = given.get(name) or item.get(part) or ""
    return values


def _upsert(report: SeedReport, model, key: dict, values: dict):
    """Find the row by ``key``; create it, or set the fields of ``values`` that differ."""
    obj = db.session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **values)
        db.session.add(obj)
        db.session.flush()
        report.count("created", model.__tablename__)
        return obj
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        db.session.flush()
        report.count("updated", model.__tablename__)
    return obj


def _aware(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WARSAW)
    return moment


def _lookup(mapping: dict, name, what: str, source: str):
    if name is None:
        return None
    if name not in mapping:
        raise SeedError(f"{source}: unknown {what} {name!r}")
    return mapping[name]


def load_reference(directory: Path = SEEDS_DIR) -> SeedReport:
    """Subgroups, problem areas, categories, sectors, organisations, the seeded meetings."""
    report = SeedReport()
    texts = _translations(directory)
    subgroups = {}
    for item in _read(directory, "subgroups.yaml", "subgroups"):
        subgroups[item["slug"]] = _upsert(
            report,
            Subgroup,
            {"slug": item["slug"]},
            {
                "name_pl": item["name_pl"],
                "name_en": item["name_en"],
                "description_pl": item.get("description_pl") or "",
                "description_en": item.get("description_en") or "",
            },
        )
    areas = {}
    for item in _read(directory, "problem_areas.yaml", "problem_areas"):
        subgroup = _lookup(subgroups, item["subgroup"], "subgroup", "problem_areas.yaml")
        areas[item["code"]] = _upsert(
            report,
            ProblemArea,
            {"code": item["code"]},
            {
                "subgroup_id": subgroup.id,
                "position": int(item["position"]),
                "title_pl": item["title_pl"],
                "title_en": item["title_en"],
                "description_pl": item.get("description_pl") or "",
                "description_en": item.get("description_en") or "",
                **_texts(texts, "problem_areas", item["code"], ("title", "description")),
            },
        )
    for item in _read(directory, "categories.yaml", "categories"):
        _upsert(
            report,
            RecommendationCategory,
            {"code": item["code"]},
            {
                "position": int(item["position"]),
                "name_pl": item["name_pl"],
                "name_en": item["name_en"],
                "description_pl": item.get("description_pl") or "",
                "description_en": item.get("description_en") or "",
                **_texts(texts, "categories", item["code"], ("name", "description")),
            },
        )
    sectors = {}
    for item in _read(directory, "sectors.yaml", "sectors"):
        sectors[item["code"]] = _upsert(
            report,
            Sector,
            {"code": item["code"]},
            {
                "position": int(item["position"]),
                "name_pl": item["name_pl"],
                "name_en": item["name_en"],
                **_texts(texts, "sectors", item["code"], ("name",)),
            },
        )
    organisations = {}
    for item in _read(directory, "organisations.yaml", "organisations"):
        _lookup(sectors, item["sector"], "sector", "organisations.yaml")
        organisations[item["name"]] = _upsert(
            report,
            Organisation,
            {"name": item["name"]},
            {
                "name_en": item.get("name_en"),
                "short_name": item.get("short_name"),
                "country": item.get("country"),
                "sector_code": item["sector"],
            },
        )
    for item in _read(directory, "meetings.yaml", "meetings"):
        meeting = _load_meeting(report, item, subgroups, areas, sectors, organisations)
        db.session.flush()
        meeting_search.reindex(meeting.id)
    _load_strategy_reference(report, directory)
    db.session.commit()
    return report


def _target_order(code: str) -> int:
    """Numbered targets first (1.1, 1.2 ...), then lettered ones (1.a, 1.b ...)."""
    goal, _, part = code.partition(".")
    rank = int(part) if part.isdigit() else 100 + ord(part[0]) - ord("a")
    return int(goal) * 1000 + rank


def _load_strategy_reference(report: SeedReport, directory: Path) -> None:
    """SDG goals and targets (CSV), Green Deal areas and smart-city dimensions (YAML)."""
    sdg = directory / "sdg"
    texts = _translations(directory)
    with (sdg / "goals.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _upsert(
                report,
                SdgGoal,
                {"number": int(row["number"])},
                {
                    "short_name_en": row["short_name_en"],
                    "short_name_pl": row["short_name_pl"],
                    "title_en": row["title_en"],
                    "colour_hex": row["colour_hex"],
                    **_texts(
                        texts,
                        "sdg_goals",
                        row["number"],
                        ("short_name", "title"),
                        short_name_cs=row.get("short_name_cs", ""),
                        title_cs=row.get("title_cs", ""),
                    ),
                },
            )
    with (sdg / "targets.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _upsert(
                report,
                SdgTarget,
                {"code": row["target"]},
                {
                    "goal_number": int(row["goal"]),
                    "position": _target_order(row["target"]),
                    "text_en": row["text_en"],
                    "text_pl": row["text_pl"],
                    **_texts(
                        texts,
                        "sdg_targets",
                        row["target"],
                        ("text",),
                        text_cs=row.get("text_cs", ""),
                    ),
                },
            )
    for item in _read(directory, "green_deal_areas.yaml", "green_deal_areas"):
        _upsert(
            report,
            GreenDealArea,
            {"code": item["code"]},
            {
                "position": int(item["position"]),
                "name_pl": item["name_pl"],
                "name_en": item["name_en"],
                "description_pl": item.get("description_pl") or "",
                "description_en": item.get("description_en") or "",
                **_texts(texts, "green_deal_areas", item["code"], ("name", "description")),
            },
        )
    for item in _read(directory, "smart_dimensions.yaml", "smart_dimensions"):
        _upsert(
            report,
            SmartDimension,
            {"code": item["code"]},
            {
                "position": int(item["position"]),
                "name_pl": item["name_pl"],
                "name_en": item["name_en"],
                "description_pl": item.get("description_pl") or "",
                "description_en": item.get("description_en") or "",
                **_texts(texts, "smart_dimensions", item["code"], ("name", "description")),
            },
        )


def _load_meeting(report, item, subgroups, areas, sectors, organisations) -> Meeting:
    source = "meetings.yaml"
    subgroup = _lookup(subgroups, item["subgroup"], "subgroup", source)
    meeting = _upsert(
        report,
        Meeting,
        {
            "subgroup_id": subgroup.id,
            "starts_at": _aware(item["starts_at"]),
        },
        {
            "title": item["title"],
            "ends_at": _aware(item["ends_at"]),
            "mode": item.get("mode", "online"),
            "place": item.get("place"),
            "link": item.get("link"),
            "status": item.get("status", "planned"),
            # A seeded meeting's agenda is public record.
            "agenda_published_at": _aware(item["starts_at"]) if item.get("agenda") else None,
            "description": item.get("description") or "",
        },
    )
    for position, entry in enumerate(item.get("agenda") or [], start=1):
        organisation = _lookup(
            organisations, entry.get("speaker_organisation"), "organisation", source
        )
        agenda_item = _upsert(
            report,
            AgendaItem,
            {
                "meeting_id": meeting.id,
                "position": position,
            },
            {
                "part": int(entry.get("part", 1)),
                "kind": entry["kind"],
                "title": entry["title"],
                "speaker_name": entry.get("speaker_name"),
                "speaker_organisation_id": organisation.id if organisation else None,
                "planned_minutes": int(entry.get("planned_minutes", 0)),
            },
        )
        wanted = [
            _lookup(areas, code, "problem area", source)
            for code in entry.get("problem_areas") or []
        ]
        links = agenda_item_problem_areas
        current = set(
            db.session.scalars(
                select(links.c.problem_area_id).where(links.c.agenda_item_id == agenda_item.id)
            )
        )
        if current != {area.id for area in wanted}:
            db.session.execute(links.delete().where(links.c.agenda_item_id == agenda_item.id))
            if wanted:
                db.session.execute(
                    links.insert(),
                    [
                        {"agenda_item_id": agenda_item.id, "problem_area_id": area.id}
                        for area in wanted
                    ],
                )
            report.count("updated" if current else "created", "agenda_item_problem_areas")
    for entry in item.get("participants") or []:
        organisation = _lookup(organisations, entry.get("organisation"), "organisation", source)
        sector = _lookup(sectors, entry.get("sector"), "sector", source)
        _upsert(
            report,
            Participant,
            {
                "meeting_id": meeting.id,
                "name": entry.get("name"),
                "organisation_id": organisation.id if organisation else None,
                "sector_code": sector.code if sector else None,
            },
            {
                "role": entry.get("role", "participant"),
                "attended": entry.get("attended"),
            },
        )
    return meeting


def load_demo(directory: Path = SEEDS_DIR) -> SeedReport:
    """Demo users (one per role, passwords generated now), challenges and recommendations."""
    report = SeedReport()
    source = "demo.yaml"
    path = directory / source
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    areas = {a.code: a for a in db.session.scalars(select(ProblemArea))}
    categories = {c.code: c for c in db.session.scalars(select(RecommendationCategory))}
    if not areas or not categories:
        raise SeedError("load the reference data first (flask seed)")

    users = {}
    for item in data.get("users", []):
        email = item["email"].strip().lower()
        organisation = _lookup(organisations, item.get("organisation"), "organisation", source)
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User(
                email=email,
                name=item["name"],
                role=item["role"],
                language=item.get("language", "pl"),
                organisation_id=organisation.id if organisation else None,
                password_hash=hash_password(password),
            )
            db.session.add(user)
            db.session.flush()
            report.count("created", "users")
            report.passwords.append((email, item["role"], password))
        users[email] = user

    meetings_by_day = {
        m.starts_at.astimezone(WARSAW).date().isoformat(): m
        for m in db.session.scalars(select(Meeting))
    }
    challenges = {}
    for item in data.get("challenges", []):
        area = _lookup(areas, item["problem_area"], "problem area", source)
        author = _lookup(users, item.get("author"), "user", source)
        meeting = _lookup(meetings_by_day, item.get("origin_meeting"), "meeting", source)
        challenges[item["title"]] = _upsert(
            report,
            Challenge,
            {
                "problem_area_id": area.id,
                "title": item["title"],
            },
            {
                "description": item.get("description") or "",
                "author_id": author.id if author else None,
                "origin_meeting_id": meeting.id if meeting else None,
            },
        )

    facilitator = next((u for u in users.values() if u.role in ("facilitator", "admin")), None)
    if data.get("recommendations") and facilitator is None:
        raise SeedError(f"{source}: demo recommendations need a facilitator or admin user")
    for item in data.get("recommendations", []):
        area = _lookup(areas, item["problem_area"], "problem area", source)
        category = _lookup(categories, item["category"], "category", source)
        author = _lookup(users, item.get("author"), "user", source)
        meeting = _lookup(meetings_by_day, item.get("origin_meeting"), "meeting", source)
        rec = db.session.scalar(
            select(Recommendation).filter_by(
                problem_area_id=area.id, category_id=category.id, title=item["title"]
            )
        )
        if rec is not None:
            continue  # demo content is created once; members may have edited it since
        # Through the services, so demo recommendations have what real ones have:
        # an author, a first revision, a timeline, a search document.
        rec = services.create_recommendation(
            author or facilitator,
            area=area,
            category=category,
            text=services.TextFields(
                title=item["title"],
                summary=item.get("summary") or "",
                body=item.get("body") or "",
                addressee=item.get("addressee") or "",
                expected_impact=item.get("expected_impact") or "",
            ),
            challenges=[
                _lookup(challenges, t, "challenge", source) for t in item.get("challenges") or []
            ],
            origin_meeting=meeting,
        )
        status = item.get("status", "draft")
        if status not in ("draft", "discussion", "agreed"):
            raise SeedError(f"{source}: demo status must be draft, discussion or agreed")
        if status in ("discussion", "agreed"):
            services.change_status(rec, author or facilitator, "discussion")
        if status == "agreed":
            services.change_status(
                rec, facilitator, "agreed", note="Uzgodniona na spotkaniu podzespołu."
            )
        report.count("created", "recommendations")
    for item in _read(directory, "demo_strategies.yaml", "strategies"):
        _upsert(
            report,
            SmartStrategy,
            {"title_original": item["title_original"], "is_example": True},
            {
                "title_en": item.get("title_en") or "",
                "place": item["place"],
                "country": item["country"],
                "level": item["level"],
                "population_class": item.get("population_class"),
                "adopted_year": item.get("adopted_year"),
                "horizon_year": item.get("horizon_year"),
                "language": item.get("language", "pl"),
                "summary": item.get("summary") or "",
            },
        )
    db.session.flush()
    for strategy in db.session.scalars(select(SmartStrategy).where(SmartStrategy.is_example)):
        strategy_services.reindex(strategy)
    db.session.commit()
    demo_materials.load(report, facilitator)
    return report
