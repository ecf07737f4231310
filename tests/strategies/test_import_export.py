"""CSV import with a dry run (nothing written until the whole file is clean) and the
catalogue's CSV and Excel export in the same columns."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.strategies import importer
from app.strategies.models import SmartStrategy

HEADER = (
    "title_original,title_en,place,country,level,population_class,adopted_year,"
    "horizon_year,source_url,language,summary,dimensions,green_deal,sdgs_primary,"
    "sdgs_secondary,targets,keywords\n"
)
GOOD = HEADER + (
    "Strategia Inteligentnego Gdańska,Smart Gdańsk,Gdańsk,PL,municipal,large,2021,2030,,pl,"
    '"Transport, energia",mobility,mobility;energy,11,7,11.2,"kolej"\n'
    "Stratégia Košice,,Košice,SK,municipal,medium,2020,,,sk,,,,,,,\n"
)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(SmartStrategy))


def upload(auth, content: str, **extra):
    return auth.post(
        "/strategies/import",
        {"file": (io.BytesIO(content.encode("utf-8")), "strategies.csv"), **extra},
        content_type="multipart/form-data",
    )


def test_dry_run_preview_then_confirm_imports_in_one_go(client, auth):
    auth.login("facilitator")
    before = count()
    preview = upload(auth, GOOD)
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Strategia Inteligentnego Gdańska" in page and "Stratégia Košice" in page
    assert count() == before  # nothing written by the preview
    done = auth.post("/strategies/import", {"confirm": "1", "content": GOOD})
    assert done.status_code == 303
    assert count() == before + 2
    gdansk = db.session.scalar(select(SmartStrategy).where(SmartStrategy.place == "Gdańsk"))
    assert gdansk.status == "proposed"  # a classification in the file awaits review


def test_row_errors_are_listed_by_line_and_column_and_nothing_is_written(client, auth):
    auth.login("facilitator")
    bad = HEADER + (
        "Dobra,,Kraków,PL,municipal,,2021,,,pl,,,,,,,\n"
        "Zły rok,,Tarnów,PL,municipal,,1850,,,pl,,,,,,,\n"
        "Zły kod,,Brno,CZ,galactic,,,,,cs,,mobility;teleport,,18,,,\n"
        "Dobra,,Kraków,PL,municipal,,2021,,,pl,,,,,,,\n"
    )
    before = count()
    response = upload(auth, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for fragment in (
        "<td>3</td><td>adopted_year</td>",
        "<td>4</td><td>level</td>",
        "<td>4</td><td>dimensions</td>",
        "<td>4</td><td>sdgs_primary</td>",
        "<td>5</td><td>title_original</td>",
    ):
        assert fragment in page, fragment
    confirm = auth.post("/strategies/import", {"confirm": "1", "content": bad})
    assert confirm.status_code == 400
    assert count() == before


def test_malformed_files_get_clear_messages(auth):
    auth.login("facilitator")
    assert upload(auth, "").status_code == 400
    response = upload(auth, "nazwa,miasto\nx,y\n")
    assert response.status_code == 400 and "title_original" in response.get_data(as_text=True)
    latin2 = auth.post(
        "/strategies/import",
        {"file": (io.BytesIO("title_original\nŁódź".encode("iso-8859-2")), "x.csv")},
        content_type="multipart/form-data",
    )
    assert latin2.status_code == 400 and "UTF-8" in latin2.get_data(as_text=True)


def test_duplicates_of_existing_records_are_caught(auth):
    auth.login("facilitator")
    auth.post("/strategies/import", {"confirm": "1", "content": GOOD})
    again = upload(auth, GOOD)
    assert again.status_code == 400
    assert "Jest już w katalogu" in again.get_data(as_text=True)


def test_members_cannot_import(client, auth):
    auth.login("member")
    assert client.get("/strategies/import").status_code == 403


def test_cli_import_with_dry_run_and_progress(app, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(GOOD, encoding="utf-8")
    runner = app.test_cli_runner()
    before = count()
    dry = runner.invoke(args=["strategies", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "2 rows" in dry.output and count() == before
    real = runner.invoke(args=["strategies", "import", str(path)])
    assert real.exit_code == 0 and "Imported 2" in real.output and count() == before + 2
    path.write_text(HEADER + "x,,y,PL,nowhere,,,,,pl,,,,,,,\n", encoding="utf-8")
    bad = runner.invoke(args=["strategies", "import", str(path)])
    assert bad.exit_code != 0 and "line 2, level" in bad.output


def test_export_round_trips_through_the_importer(client, auth):
    auth.login("facilitator")
    auth.post("/strategies/import", {"confirm": "1", "content": GOOD})
    csv_response = client.get("/strategies/export.csv?country=PL")
    body = csv_response.get_data(as_text=True)
    assert body.startswith("\ufeffid,status,title_original")
    assert "Strategia Inteligentnego Gdańska" in body and "Košice" not in body
    # The exported columns are the import columns: an export can be imported elsewhere.
    exported = body.lstrip("\ufeff").splitlines()[0].split(",")[2:]
    assert tuple(exported) == importer.COLUMNS
    xlsx = client.get("/strategies/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "status", "title_original")
    assert any(row[2] == "Stratégia Košice" for row in rows[1:])


def test_a_language_outside_the_offered_codes_is_a_row_error():
    bad = HEADER + "Strategie Brna,,Brno,CZ,municipal,,,,,klingon,,,,,,,\n"
    preview = importer.parse(bad.encode("utf-8"))
    assert [(e.line, e.column) for e in preview.errors] == [(2, "language")]
    assert not preview.ok
