"""The content-addressed snapshot store (default ``build/snapshots``).

Layout::

    objects/ab/cdef…        every file once, named by its sha256 (read-only)
    snapshots/<id>.json     a snapshot manifest, canonical JSON; <id> = its sha256
    tmp/<random>/           a snapshot being taken (removed when it ends, or by the
                            next snapshot when its process died)

A snapshot is staged under ``tmp/`` and committed with atomic renames only after
every check passed; a refused snapshot removes its staging area, so the store is
left exactly as it was (including the folders this run created).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from compiler.snapshot.reader import FileRecord

MANIFEST_FORMAT = "cpc-snapshot/1"
SNAPSHOT_ID = re.compile(r"^[0-9a-f]{64}$")


def canonical_json(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no whitespace, UTF-8, no NaN; same value, same bytes."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return text.encode("utf-8")


def manifest_document(header: Mapping[str, Any], records: Sequence[FileRecord]) -> bytes:
    """The canonical manifest of an export: its header and every path, size and sha256."""
    files = [r.to_json() for r in sorted(records, key=lambda r: r.path)]
    return canonical_json({"format": MANIFEST_FORMAT, "header": header, "files": files})


def snapshot_id(manifest: bytes) -> str:
    """The snapshot id: the sha256 (64 lowercase hex digits) of the canonical manifest."""
    return hashlib.sha256(manifest).hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename into ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file, fsync and an atomic rename."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


OWNER_FILE = "owner.pid"


class Staging:
    """One snapshot in progress: new objects wait in ``objects/`` of its own folder."""

    def __init__(self, store: SnapshotStore, root: Path) -> None:
        self.store = store
        self.root = root
        self.objects = root / "objects"
        self.objects.mkdir(parents=True)
        (root / OWNER_FILE).write_text(f"{os.getpid()}\n")

    def staged_path(self, sha256: str) -> Path:
        """Where a new object waits until commit."""
        return self.objects / sha256

    def locate(self, sha256: str) -> Path:
        """The object of ``sha256``: already in the store, or staged by this snapshot."""
        stored = self.store.object_path(sha256)
        return stored if stored.exists() else self.staged_path(sha256)

    def commit(self, manifest: bytes) -> str:
        """Move the new objects into the store, then write the manifest; the snapshot id."""
        touched: set[Path] = set()
        for staged in sorted(self.objects.iterdir()):
            target = self.store.object_path(staged.name)
            if target.exists():  # stored meanwhile: keep the existing object untouched
                staged.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staged, target)
            touched.add(target.parent)
        with ThreadPoolExecutor(max_workers=8) as syncer:  # concurrent: one journal commit
            list(syncer.map(fsync_dir, sorted(touched)))
        ident = snapshot_id(manifest)
        path = self.store.manifest_path(ident)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, manifest)
        return ident


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


class SnapshotStore:
    """A snapshot store folder: objects by sha256 and manifests by snapshot id."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def object_path(self, sha256: str) -> Path:
        """``objects/ab/cdef…`` for a sha256 hex digest."""
        return self.root / "objects" / sha256[:2] / sha256[2:]

    def manifest_path(self, ident: str) -> Path:
        """``snapshots/<id>.json``."""
        return self.root / "snapshots" / f"{ident}.json"

    def snapshot_ids(self) -> list[str]:
        """Every snapshot id in the store, sorted."""
        folder = self.root / "snapshots"
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if SNAPSHOT_ID.match(p.stem))

    def find(self, prefix: str) -> list[str]:
        """The snapshot ids starting with ``prefix`` (an optional ``sha256:`` is dropped)."""
        prefix = prefix.removeprefix("sha256:").lower()
        return [ident for ident in self.snapshot_ids() if ident.startswith(prefix)]

    def _remove_abandoned(self) -> None:
        """Remove staging areas whose process is gone (a snapshot killed mid-way)."""
        for area in (self.root / "tmp").iterdir():
            try:
                pid = int((area / OWNER_FILE).read_text())
            except (OSError, ValueError):
                continue  # not ours, or still being set up: leave it
            if not _alive(pid):
                shutil.rmtree(area, ignore_errors=True)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Staging]:
        """A staging area that is removed on exit, with every folder this run created."""
        created = [p for p in (self.root / "tmp", self.root, *self.root.parents)
                   if not p.exists()]  # innermost first, so they can be removed in order
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        self._remove_abandoned()
        area = Staging(self, self.root / "tmp" / uuid.uuid4().hex)
        try:
            yield area
        finally:
            shutil.rmtree(area.root, ignore_errors=True)
            for folder in [self.root / "tmp", *created]:
                with contextlib.suppress(OSError):  # not empty: someone else uses it
                    folder.rmdir()
