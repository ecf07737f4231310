"""What a file is, decided by its content: every accepted kind, and refusals with a
reason for the rest, whatever the file is called."""

import pytest
from flask_babel import force_locale

from app.attachments import kinds
from tests.attachments import samples


@pytest.mark.parametrize("name", sorted(samples.ACCEPTED))
def test_each_accepted_kind_is_known_by_its_content(tmp_path, name):
    data, mime = samples.ACCEPTED[name]
    path = tmp_path / "upload"  # no extension: the name plays no part
    path.write_bytes(data)
    assert kinds.detect(path).mime == mime


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "text/html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "svg"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "not accepted"),
        (b"PK\x03\x04" + b"\x00" * 100, "not accepted"),
    ],
    ids=["empty", "html", "svg", "exe", "broken-zip"],
)
def test_other_content_is_refused_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "slides.pdf"
    path.write_bytes(data)
    with pytest.raises(kinds.Refused) as refused:
        kinds.detect(path)
    with force_locale("en"):
        assert reason in str(refused.value.args[0])


def test_a_plain_zip_is_not_a_document(tmp_path):
    import zipfile

    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "just a zip")
    with pytest.raises(kinds.Refused):
        kinds.detect(path)


def test_a_zip_bomb_is_refused_by_its_directory(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(samples.zip_bomb(200 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(kinds.Refused) as refused:
        kinds.detect(path)
    with force_locale("en"):
        assert "zip bomb" in str(refused.value.args[0])


@pytest.mark.parametrize(
    "given, expected",
    [
        ("Prezentacja Kopenhaga.pdf", "Prezentacja Kopenhaga.pdf"),
        ("  slajdy  z   ekspertem .PDF ", "slajdy z ekspertem .PDF".replace(" .", ".")),
        ("bez rozszerzenia", "bez rozszerzenia.pdf"),
        ("udaje.docx", "udaje.docx.pdf"),
        ("..", "file.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
        ("Zaz\u0307o\u0301łc\u0301.pdf", "Zażółć.pdf"),
    ],
)
def test_names_are_cleaned_and_fit_the_content(given, expected):
    assert kinds.clean_name(given, kinds.BY_MIME["application/pdf"]) == expected


@pytest.mark.parametrize(
    "given",
    ["../../etc/passwd.pdf", "C:\\Users\\x\\a.pdf", "a\x00b.pdf", "a\nb.pdf", "a\u202eb.pdf"],
)
def test_names_with_a_path_or_control_characters_are_refused(given):
    with pytest.raises(kinds.Refused):
        kinds.clean_name(given, kinds.BY_MIME["application/pdf"])
