"""`flask files check` finds files missing from the store or changed on disk."""

import io
import os

from sqlalchemy import select

from app.attachments import services
from app.attachments.models import AttachmentFile
from app.extensions import db
from tests import factories
from tests.recommendations.helpers import make_rec


def attach(rec, user, name, content):
    """The new material's id and its file's SHA-256."""
    (attachment,) = services.attach(rec, user, [services.Upload(name, io.BytesIO(content))])
    sha256 = db.session.scalar(
        select(AttachmentFile.sha256).where(AttachmentFile.attachment_id == attachment.id)
    )
    return attachment.id, sha256


def test_a_sound_store_passes(app, files_dir):
    author = factories.make_user("member")
    rec = make_rec(author)
    attach(rec, author, "a.txt", b"first\n")
    attach(rec, author, "b.txt", b"second\n")
    attach(rec, author, "again.txt", b"first\n")  # the same bytes: one file
    result = app.test_cli_runner().invoke(args=["files", "check"])
    assert result.exit_code == 0, result.output
    assert "2 files checked: 0 missing, 0 changed" in result.output


def test_missing_and_changed_files_are_named_with_their_materials(app, files_dir):
    author = factories.make_user("member")
    rec = make_rec(author)
    gone_id, gone = attach(rec, author, "gone.txt", b"this one will be lost\n")
    altered_id, altered = attach(rec, author, "altered.txt", b"this one will be altered\n")
    attach(rec, author, "fine.txt", b"this one stays\n")
    (files_dir / gone[:2] / gone).unlink()
    path = files_dir / altered[:2] / altered
    os.chmod(path, 0o640)
    path.write_bytes(b"this one was altered!\n")  # same length, other bytes
    (files_dir / "ab").mkdir(exist_ok=True)
    (files_dir / "ab" / ("ab" + "0" * 62)).write_bytes(b"left over")

    result = app.test_cli_runner().invoke(args=["files", "check"])
    assert result.exit_code == 1
    assert f"missing: {gone} (#{gone_id} “gone”, version 1)" in result.output
    assert f"changed: {altered} (#{altered_id} “altered”" in result.output
    assert "not in any record (harmless): ab000" in result.output
    assert "3 files checked: 1 missing, 1 changed, 1 not in any record." in result.output
