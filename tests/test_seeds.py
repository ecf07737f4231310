import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import func, select

from app.auth.models import Organisation, Sector, User
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, Participant
from app.problems.models import Challenge, ProblemArea, RecommendationCategory, Subgroup
from app.recommendations.models import Recommendation
from seeds.loader import SEEDS_DIR, SeedError, load_demo, load_reference

TABLES = (
    Subgroup,
    ProblemArea,
    RecommendationCategory,
    Sector,
    Organisation,
    Meeting,
    AgendaItem,
    Participant,
)


def snapshot():
    """Every seeded row as plain values, to compare before and after a run."""
    rows = {}
    for model in TABLES:
        columns = [c.key for c in model.__table__.columns]
        rows[model.__tablename__] = sorted(
            tuple(str(getattr(obj, c)) for c in columns)
            for obj in db.session.scalars(select(model))
        )
    return rows


def test_reference_data_is_loaded():
    codes = db.session.scalars(select(ProblemArea.code).order_by(ProblemArea.position)).all()
    assert codes == [f"G0{i}" for i in range(1, 8)]
    g03 = db.session.scalar(select(ProblemArea).where(ProblemArea.code == "G03"))
    assert g03.title_pl.startswith("Przyciąganie i zatrzymywanie potencjału ludzkiego")
    assert g03.title_en.startswith("Attracting and retaining human potential")
    assert db.session.scalars(
        select(RecommendationCategory.code).order_by(RecommendationCategory.position)
    ).all() == ["R1", "R2", "R3", "R4", "R5"]
    assert set(db.session.scalars(select(Sector.code))) == {
        "science",
        "local_government",
        "business",
        "business_environment",
        "ngo",
        "ministry",
        "other",
    }
    spc = db.session.scalar(
        select(Organisation).where(Organisation.name == "South Poland Cleantech Cluster")
    )
    assert (spc.country, spc.sector_code) == ("PL", "business_environment")
    assert db.session.scalar(select(func.count()).select_from(Organisation)) >= 15


def test_the_meeting_of_29_january_2021_is_seeded_with_its_parts():
    meeting = db.session.scalar(select(Meeting).where(Meeting.title.like("%KPM 2021%")))
    local_start = meeting.starts_at.astimezone(ZoneInfo("Europe/Warsaw"))
    assert local_start.date() == datetime(2021, 1, 29).date()
    assert meeting.mode == "online" and meeting.status == "held"
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.position)
    ).all()
    assert {item.part for item in items} == {1, 2}
    assert any(item.kind == "expert_talk" and item.speaker_name == "Janusz Kahl" for item in items)
    assert [i.kind for i in items if i.part == 2].count("presentation") == 2
    assert {i.part for i in items if i.kind == "discussion"} == {1, 2}
    observers = db.session.scalars(
        select(Organisation.name)
        .join(Participant, Participant.organisation_id == Organisation.id)
        .where(Participant.meeting_id == meeting.id, Participant.role == "observer")
    ).all()
    assert set(observers) == {
        "Ministerstwo Funduszy i Polityki Regionalnej",
        "Ministerstwo Rozwoju, Pracy i Technologii",
    }


def test_a_second_run_changes_nothing():
    before = snapshot()
    report = load_reference()
    assert not report.changed, (report.created, report.updated)
    assert snapshot() == before


def test_a_changed_title_in_the_file_updates_the_row(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    path = seeds / "problem_areas.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["problem_areas"][2]["title_en"] = "Talent: attracting and keeping it"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    count = db.session.scalar(select(func.count()).select_from(ProblemArea))

    report = load_reference(seeds)

    assert report.updated == {"problem_areas": 1} and not report.created
    g03 = db.session.scalar(select(ProblemArea).where(ProblemArea.code == "G03"))
    assert g03.title_en == "Talent: attracting and keeping it"
    assert db.session.scalar(select(func.count()).select_from(ProblemArea)) == count


def test_a_broken_reference_is_reported_not_half_loaded(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    path = seeds / "organisations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["organisations"].append({"name": "Nowa", "country": "PL", "sector": "alchemy"})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SeedError, match="unknown sector 'alchemy'"):
        load_reference(seeds)


def test_demo_data_has_one_user_per_role_with_generated_passwords():
    report = load_demo()
    roles = {role for _, role, _ in report.passwords}
    assert roles == {"admin", "facilitator", "member", "reviewer"}
    passwords = [p for *_, p in report.passwords]
    assert len(set(passwords)) == len(passwords) and all(len(p) >= 12 for p in passwords)
    demo_file = (SEEDS_DIR / "demo.yaml").read_text(encoding="utf-8")
    assert not any(p in demo_file for p in passwords)
    assert "password" not in yaml.safe_load(demo_file)["users"][0]
    assert db.session.scalar(select(func.count()).select_from(Challenge)) >= 5
    recs = db.session.scalars(select(Recommendation)).all()
    assert {r.status for r in recs} >= {"draft", "discussion", "agreed"}

    again = load_demo()
    assert not again.changed and again.passwords == []
    assert db.session.scalar(select(func.count()).select_from(User)) == len(report.passwords)
