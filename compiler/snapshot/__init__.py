"""Snapshots: an export frozen into a content-addressed store, read back verified.

Public surface::

    take_snapshot(source, store, limits, checks=(), *, report=None, progress=None) -> Snapshot
    resolve_source(source, store, limits, checks=(), ...) -> Snapshot   # folder, .zip or id
    load_snapshot(store, id_or_prefix) -> Snapshot
    Snapshot: .id .header .manifest .paths() .size() .sha256() .read_bytes() .open()
              .materialize()
    ExportReader (protocol the integrity checks and later stages read through)
    SnapshotLimits, limits_from_config(config)
    SnapshotRefused (exit 1, .report), SnapshotCorrupted (exit 1, .diagnostic)
    codes.CODES: every diagnostic code with its meaning and what to do

The snapshot id is the sha256 (64 lowercase hex digits) of the canonical manifest
(``{"format": "cpc-snapshot/1", "header": <export.json>, "files": [{"path", "sha256",
"size"}, …]}`` as JSON with sorted keys and no whitespace); anything that identifies
the source (folder or zip, its name, mtimes) is left out, so the same export as a
folder or a zip gets the same id. A unique prefix (4+ digits) names a snapshot too.
"""

from compiler.snapshot.codes import CODES
from compiler.snapshot.limits import SnapshotLimits, limits_from_config
from compiler.snapshot.reader import ExportReader, FileRecord, SnapshotCorrupted
from compiler.snapshot.snapshot import Snapshot
from compiler.snapshot.store import SnapshotStore, canonical_json
from compiler.snapshot.take import (
    Check,
    SnapshotRefused,
    load_snapshot,
    resolve_source,
    take_snapshot,
)

__all__ = [
    "CODES",
    "Check",
    "ExportReader",
    "FileRecord",
    "Snapshot",
    "SnapshotCorrupted",
    "SnapshotLimits",
    "SnapshotRefused",
    "SnapshotStore",
    "canonical_json",
    "limits_from_config",
    "load_snapshot",
    "resolve_source",
    "take_snapshot",
]
