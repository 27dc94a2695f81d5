"""Reading an export's files by path, with every byte checked against its sha256.

:class:`ExportReader` is the protocol that integrity checks (``take_snapshot(...,
checks=...)``) and later stages read through. Two things implement it with the same
:class:`ObjectReader`: the staged export while a snapshot is being taken (before
anything is committed to the store), and a committed :class:`Snapshot`.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol, runtime_checkable

from compiler.diagnostics import Diagnostic, Location, error
from compiler.errors import DiagnosedError
from compiler.snapshot import codes

CHUNK = 1 << 20


@runtime_checkable
class ExportReader(Protocol):
    """Read-only access to one export's files (paths relative to the export root).

    ``header``: the parsed export.json (empty while it is unusable);
    ``paths()``: every stored path, sorted (export.json, modules/…, files/…);
    ``exists(path)``: whether the export has that file;
    ``size(path)`` / ``sha256(path)``: from the manifest, no reading needed;
    ``read_bytes(path)``: the whole file, verified against its sha256;
    ``open(path)``: a forward-only stream verified when it reaches its end.
    Unknown paths raise ``KeyError``; a mismatch raises :class:`SnapshotCorrupted`.
    """

    @property
    def header(self) -> Mapping[str, Any]: ...

    def paths(self) -> list[str]: ...

    def exists(self, path: str) -> bool: ...

    def size(self, path: str) -> int: ...

    def sha256(self, path: str) -> str: ...

    def read_bytes(self, path: str) -> bytes: ...

    def open(self, path: str) -> BinaryIO: ...


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One manifest line: a path of the export, its size and sha256 (hex)."""

    path: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        """The manifest form of the record."""
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


class SnapshotCorrupted(DiagnosedError):
    """A store object (or manifest) no longer matches its sha256, or is gone."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__([diagnostic], "the snapshot store is damaged")
        self.diagnostic = diagnostic


def corrupted(record: FileRecord, object_path: Path, size: int, digest: str,
              snapshot: str) -> SnapshotCorrupted:
    """The error for an object whose bytes do not match the manifest."""
    return SnapshotCorrupted(error(
        codes.CORRUPT_OBJECT,
        f"store object {object_path} (for {record.path} in snapshot {snapshot}) is "
        f"corrupted: expected sha256 {record.sha256} and {record.size} bytes, read "
        f"{digest} and {size} bytes; {REPAIR.format(object_path=object_path)}",
        location=Location(file=record.path)))


#: What to do about a damaged or missing store object. The store keeps an existing
#: object as it is (objects are immutable), so the damaged one must go first.
REPAIR = ("delete {object_path} and take the snapshot again from the export (or build "
          "from the export), which stores the file anew")


def missing(record: FileRecord, object_path: Path, snapshot: str) -> SnapshotCorrupted:
    """The error for an object that is gone from the store."""
    return SnapshotCorrupted(error(
        codes.CORRUPT_OBJECT,
        f"store object {object_path} (for {record.path} in snapshot {snapshot}) is missing; "
        "take the snapshot again from the export (or build from the export), which stores "
        "the file anew", location=Location(file=record.path)))


class _VerifyingStream(io.RawIOBase):
    """Hashes what is read; at the end, refuses bytes that do not match the record."""

    def __init__(self, raw: BinaryIO, record: FileRecord, object_path: Path,
                 snapshot: str) -> None:
        super().__init__()
        self._raw, self._record = raw, record
        self._object_path, self._snapshot = object_path, snapshot
        self._hash = hashlib.sha256()
        self._size = 0
        self._checked = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._hash.update(memoryview(buffer)[:n])
            self._size += n
        elif not self._checked:
            self._checked = True
            digest = self._hash.hexdigest()
            if digest != self._record.sha256 or self._size != self._record.size:
                raise corrupted(self._record, self._object_path, self._size, digest,
                                self._snapshot)
        return int(n or 0)

    def close(self) -> None:
        self._raw.close()
        super().close()


class ObjectReader:
    """An :class:`ExportReader` over file records and a sha256 -> object-file lookup."""

    def __init__(self, header: Mapping[str, Any], records: Mapping[str, FileRecord],
                 locate: Callable[[str], Path], snapshot: str) -> None:
        self._header = header
        self._records = dict(records)
        self._locate = locate
        self._snapshot = snapshot

    @property
    def header(self) -> Mapping[str, Any]:
        """The parsed export.json."""
        return self._header

    def paths(self) -> list[str]:
        """Every stored path, sorted."""
        return sorted(self._records)

    def exists(self, path: str) -> bool:
        """Whether the export has a file at ``path``."""
        return path in self._records

    def record(self, path: str) -> FileRecord:
        """The manifest record of ``path`` (KeyError when the export has no such file)."""
        return self._records[path]

    def size(self, path: str) -> int:
        """The file's size in bytes."""
        return self._records[path].size

    def sha256(self, path: str) -> str:
        """The file's sha256 (lowercase hex)."""
        return self._records[path].sha256

    def object_path(self, path: str) -> Path:
        """Where the bytes of ``path`` live (not yet verified)."""
        return self._locate(self._records[path].sha256)

    def open(self, path: str) -> BinaryIO:
        """A forward-only stream of the file, checked against its sha256 at its end."""
        record = self._records[path]
        object_path = self._locate(record.sha256)
        try:
            raw = object_path.open("rb", buffering=0)
        except FileNotFoundError:
            raise missing(record, object_path, self._snapshot) from None
        stream = _VerifyingStream(raw, record, object_path, self._snapshot)
        return io.BufferedReader(stream, CHUNK)

    def read_bytes(self, path: str) -> bytes:
        """The whole file, checked against its sha256."""
        with self.open(path) as stream:
            return stream.read()

    def verify(self, path: str) -> Path:
        """Hash the object of ``path`` in full; its filesystem path when it matches."""
        with self.open(path) as stream:
            while stream.read(CHUNK):
                pass
        return self.object_path(path)
