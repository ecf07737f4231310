"""Large files pass through the server in chunks: a 25 MB upload and its download keep
the Python heap far below the file's size, and an upload cut off midway leaves nothing."""

import io
import tempfile
import tracemalloc

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from app.attachments.models import Attachment
from app.extensions import db
from tests.recommendations.helpers import make_rec

MB = 1024 * 1024


def multipart_environ(url: str, fields: dict, file_field: str, name: str, content, auth):
    """A request whose body sits in a temporary file, not in memory."""
    builder = EnvironBuilder(
        path=url,
        method="POST",
        data={**fields, "csrf_token": auth.csrf(), file_field: (content, name)},
    )
    environ = builder.get_environ()
    body = tempfile.TemporaryFile()  # noqa: SIM115  closed by the caller, which sends it
    with environ["wsgi.input"] as built:
        while chunk := built.read(MB):
            body.write(chunk)
    body.seek(0)
    environ["wsgi.input"] = body
    builder.close()
    return environ, body


def test_a_25_mb_upload_and_download_stay_out_of_memory(app, auth, files_dir):
    author = auth.login("member")
    rec = make_rec(author)
    with tempfile.TemporaryFile() as big:
        line = b"Wiersz danych o rynku pracy w miastach V4.\n"
        big.write(line * (25 * MB // len(line) - 1))
        big.seek(0)
        environ, body = multipart_environ(
            f"/materials/recommendation/{rec.id}",
            {},
            f"materials-recommendation-{rec.id}-files",
            "dane.txt",
            big,
            auth,
        )
    with body:
        tracemalloc.start()
        try:
            response = auth.client.open(environ)
            _, upload_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    attachment_id = db.session.scalar(select(Attachment.id))

    tracemalloc.start()
    try:
        download = auth.client.get(f"/materials/{attachment_id}/file", buffered=False)
        received = sum(len(chunk) for chunk in download.response)
        download.close()
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received > 24 * MB
    assert upload_peak < 8 * MB, f"upload held {upload_peak / MB:.1f} MB"
    assert download_peak < 8 * MB, f"download held {download_peak / MB:.1f} MB"


def test_an_upload_cut_off_midway_leaves_nothing(app, auth, files_dir):
    author = auth.login("member")
    rec = make_rec(author)
    environ, body = multipart_environ(
        f"/materials/recommendation/{rec.id}",
        {},
        f"materials-recommendation-{rec.id}-files",
        "dane.txt",
        io.BytesIO(b"x" * (3 * MB)),
        auth,
    )
    with body:
        whole = body.read()
    # The client goes away after half of what it announced.
    environ["wsgi.input"] = io.BytesIO(whole[: len(whole) // 2])
    response = auth.client.open(environ)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not [p for p in files_dir.rglob("*") if p.is_file()]
