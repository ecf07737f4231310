"""Code that tests run in separate processes (importable by a spawned interpreter)."""


def _sender_app(database_url: str, smtp_port: int, folder: str):
    """The app as a separate process sees it: the shared database, the test SMTP server."""
    from pathlib import Path

    from app import create_app
    from config import TestingConfig

    class Sender(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_DIR = Path(folder)
        MAIL_BACKEND = "smtp"
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = smtp_port

    return create_app(Sender)


def deliver_until_done(database_url: str, smtp_port: int, folder: str, start) -> int:
    """A sender process: wait for the start signal, then deliver until nothing is due."""
    from app.mailqueue import deliver_due

    app = _sender_app(database_url, smtp_port, folder)
    sent = 0
    with app.app_context():
        start.wait(30)
        for _ in range(50):
            counts = deliver_due(limit=20)
            sent += counts["sent"]
            if not any(counts.values()):
                break
    return sent


def digest_round_then_deliver(
    database_url: str, smtp_port: int, folder: str, start, now_iso: str
) -> tuple[int, int]:
    """A scheduler process: queue the digest round due at ``now_iso``, then deliver."""
    from datetime import datetime

    from app.digests.digest import queue_round
    from app.mailqueue import deliver_due

    app = _sender_app(database_url, smtp_port, folder)
    sent = 0
    with app.app_context():
        start.wait(30)
        queued = queue_round(now=datetime.fromisoformat(now_iso))
        for _ in range(50):
            counts = deliver_due(limit=10)
            sent += counts["sent"]
            if not any(counts.values()):
                break
    return queued, sent


def build_package_files(database_url: str, folder: str, start) -> int:
    """A scheduler process: wait for the start signal, then run the package-file job
    until nothing waits; how many files this process built."""
    from pathlib import Path

    from app import create_app
    from app.exports.package_files import build_waiting
    from config import TestingConfig

    class Builder(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        INSTANCE_DIR = Path(folder)
        PACKAGE_FILES = "scheduler"

    app = create_app(Builder)
    built = 0
    with app.app_context():
        start.wait(30)
        for _ in range(10):
            made = build_waiting()
            built += made
            if not made:
                break
    return built
