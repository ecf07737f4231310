import pytest


@pytest.fixture(autouse=True)
def files_dir(app, tmp_path, monkeypatch):
    """Each test keeps its files in a folder of its own."""
    folder = tmp_path / "files"
    monkeypatch.setitem(app.config, "FILES_DIR", folder)
    return folder
