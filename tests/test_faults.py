"""Faults a real deployment meets: the database goes away and comes back; the disk fills
while an export is written."""

import errno

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import build_app


@pytest.mark.own_app
def test_database_outage_gives_a_503_and_recovers_without_a_restart(tmp_path):
    from tests import factories

    app = build_app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
    with app.app_context():
        user = factories.make_user("member")
        email = user.email
        db.session.remove()
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post(
        "/auth/login",
        data={"email": email, "password": factories.DEFAULT_PASSWORD, "csrf_token": token},
    )
    assert client.get("/recommendations/").status_code == 200

    def refuse(dialect, conn_rec, cargs, cparams):
        import sqlite3

        raise sqlite3.OperationalError("unable to open database file")

    with app.app_context():
        engine = db.engine
    engine.dispose()  # every pooled connection goes, as when the server restarts
    event.listen(engine, "do_connect", refuse)
    try:
        down = client.get("/recommendations/")
        assert down.status_code == 503
        assert down.headers["Retry-After"] == "30"
        assert "niedostępna" in down.get_data(as_text=True)
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["status"] == "unavailable"
    finally:
        event.remove(engine, "do_connect", refuse)
    # Back: the same process answers again, the session still logged in.
    assert client.get("/readyz").get_json() == {"status": "ok"}
    assert client.get("/recommendations/").status_code == 200
    engine.dispose()


@pytest.mark.own_app
def test_a_full_disk_during_an_export_leaves_no_partial_file(tmp_path, monkeypatch):
    from app.exports import services
    from tests.exports.helpers import agreed_set

    app = build_app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
    with app.app_context():
        agreed_set()
        real = services.write_file

        def fill_the_disk(fmt, report, count, selection, out):
            out.write(b"half a file")
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(services, "write_file", fill_the_disk)
        target = tmp_path / "export.xlsx"
        result = app.test_cli_runner().invoke(
            args=["export", "--format", "xlsx", "-o", str(target)]
        )
        monkeypatch.setattr(services, "write_file", real)
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code != 0
    assert "No space left on device" in result.output
    assert not target.exists()
    assert list(tmp_path.glob("export.xlsx*")) == []
