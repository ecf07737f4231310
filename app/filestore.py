"""Where uploaded files live: a small interface, and a folder that stores each file
under its SHA-256.

A file is received in two steps. ``receive`` streams the upload into a private
temporary file while it hashes and counts it, so a 25 MB file never sits in memory;
the caller then looks at what came (its type) and either ``keep``s it or lets it go.
Whatever is not kept is deleted when the ``with`` block ends, so a refused or
interrupted upload leaves nothing behind.

Kept files are never changed or deleted here: the name is the content's hash, two
uploads of the same bytes share one file, and a record that pointed at a file (an
earlier version, a frozen package) can always read it again. That also makes a backup
simple: copy the files the copy does not have yet (``copy_to``)."""

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK = 1024 * 1024
_INCOMING = ".incoming"


class TooLarge(Exception):
    """The upload is longer than the limit it was received under."""


@dataclass
class Incoming:
    """A received upload that is not kept yet."""

    path: Path
    sha256: str
    size: int
    kept: bool = False


class FileStore(Protocol):
    """What the app needs from a place that keeps files."""

    def receive(self, stream: BinaryIO, limit: int) -> AbstractContextManager[Incoming]: ...
    def keep(self, incoming: Incoming) -> None: ...
    def open(self, sha256: str) -> BinaryIO: ...
    def path(self, sha256: str) -> Path: ...
    def state(self, sha256: str, size: int) -> str: ...
    def names(self) -> Iterator[str]: ...
    def copy_to(self, target: Path) -> int: ...


class FolderStore:
    """Files in a folder, as ``ab/abcdef…`` (the first two hex digits fan the files out
    over 256 subfolders)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 in hex")
        return self.root / sha256[:2] / sha256

    @contextmanager
    def receive(self, stream: BinaryIO, limit: int) -> Iterator[Incoming]:
        incoming_dir = self.root / _INCOMING
        incoming_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=incoming_dir)
        path, received = Path(name), None
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(handle, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge
                    digest.update(chunk)
                    out.write(chunk)
            received = Incoming(path, digest.hexdigest(), size)
            yield received
        finally:
            if received is None or not received.kept:
                path.unlink(missing_ok=True)

    def keep(self, incoming: Incoming) -> None:
        final = self.path(incoming.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            incoming.path.unlink(missing_ok=True)
        else:
            os.chmod(incoming.path, 0o440)
            os.replace(incoming.path, final)
        incoming.kept = True

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def state(self, sha256: str, size: int) -> str:
        """``ok``, ``missing`` or ``changed`` (another size or another hash on disk)."""
        path = self.path(sha256)
        try:
            if path.stat().st_size != size:
                return "changed"
            with path.open("rb") as stored:
                digest = hashlib.file_digest(stored, "sha256")
        except FileNotFoundError:
            return "missing"
        return "ok" if digest.hexdigest() == sha256 else "changed"

    def names(self) -> Iterator[str]:
        """The hashes of every kept file."""
        if not self.root.exists():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and folder.name != _INCOMING:
                yield from sorted(p.name for p in folder.iterdir() if p.is_file())

    def copy_to(self, target: Path) -> int:
        """Copy the kept files that ``target`` lacks into it, in the same layout; how
        many were copied. A file is complete under its name or not there at all."""
        copied = 0
        for sha256 in self.names():
            destination = Path(target) / sha256[:2] / sha256
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            partial = destination.with_name(sha256 + ".part")
            shutil.copyfile(self.path(sha256), partial)
            os.replace(partial, destination)
            copied += 1
        return copied


#: Readers of the hashes other features keep in the store besides materials (an export
#: made in the background), so that ``flask files check`` does not call them strays.
_REFERENCES: list[Callable[[], Iterable[str]]] = []


def register_references(read: Callable[[], Iterable[str]]) -> None:
    _REFERENCES.append(read)


def referenced_elsewhere() -> set[str]:
    return {sha256 for read in _REFERENCES for sha256 in read()}


def store() -> FolderStore:
    """The app's file store (``FILES_DIR``; ``instance/files`` by default)."""
    return FolderStore(current_app.config["FILES_DIR"])
