"""A committed snapshot, read back from the store with every byte re-checked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from compiler.diagnostics import Location, error
from compiler.snapshot import codes
from compiler.snapshot.reader import FileRecord, ObjectReader, SnapshotCorrupted
from compiler.snapshot.store import SnapshotStore, snapshot_id


class Snapshot(ObjectReader):
    """An immutable export in the store; an :class:`~compiler.snapshot.reader.ExportReader`.

    ``id`` is the sha256 of the canonical manifest; ``header`` the parsed export.json;
    ``manifest`` the whole manifest document (``format``, ``header``, ``files``).
    ``read_bytes``/``open`` verify every object against its sha256 and raise
    :class:`SnapshotCorrupted` naming the object and the snapshot path.
    """

    def __init__(self, store: SnapshotStore, ident: str, manifest: Mapping[str, Any]) -> None:
        records = {f["path"]: FileRecord(f["path"], int(f["size"]), f["sha256"])
                   for f in manifest["files"]}
        super().__init__(manifest["header"], records, store.object_path, ident)
        self.id = ident
        self.store = store
        self.manifest = manifest

    @classmethod
    def load(cls, store: SnapshotStore, ident: str) -> Snapshot:
        """Read ``snapshots/<id>.json``, checking it still hashes to its id."""
        path = store.manifest_path(ident)
        data = path.read_bytes()
        if snapshot_id(data) != ident:
            raise SnapshotCorrupted(error(
                codes.CORRUPT_MANIFEST,
                f"snapshot manifest {path} no longer hashes to its id {ident}; the store is "
                "damaged: take the snapshot again from the export",
                location=Location(file=str(path))))
        manifest: dict[str, Any] = json.loads(data)
        return cls(store, ident, manifest)

    def materialize(self, path: str) -> Path:
        """A filesystem path to the verified object of ``path`` (read-only; for decoders
        that need a real file, e.g. image libraries)."""
        return self.verify(path)

    def __repr__(self) -> str:
        return f"Snapshot({self.id[:12]}…, {len(self.paths())} files)"
