"""A throw-away PostgreSQL server for the benchmarks, like the one CI starts for the tests.

    with temporary_server(folder) as url:   # None when PostgreSQL is not installed
        ...

Uses the newest /usr/lib/postgresql/*/bin (Debian's layout); as root, the server runs as
the ``postgres`` user, as PostgreSQL requires. fsync is off: the figures are about the
app's statements, not about this machine's disk."""

import glob
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


def available() -> bool:
    return _binaries() is not None


@contextmanager
def temporary_server(folder: Path):
    """The URL of an empty database on a new server in ``folder``; the server stops
    when the block ends."""
    bins = _binaries()
    if bins is None:
        yield None
        return
    home = Path(folder) / "postgresql"
    home.mkdir()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        # The server runs as postgres, which must reach its folder through ours.
        os.chmod(folder, 0o755)
        shutil.chown(home, "postgres", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    run(
        str(bins / "initdb"),
        "-D",
        f"{home}/data",
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )
    run(
        str(bins / "pg_ctl"),
        "-D",
        f"{home}/data",
        "-l",
        f"{home}/log",
        "-w",
        "-o",
        f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off",
        "start",
    )
    try:
        run(
            str(bins / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "warsztat_bench",
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/warsztat_bench"
    finally:
        run(str(bins / "pg_ctl"), "-D", f"{home}/data", "-m", "fast", "stop")
