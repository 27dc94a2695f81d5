"""Taking a snapshot: list, classify, stage, check, then commit or refuse.

Every check runs before anything reaches the store, and every problem is collected
before a refusal, so one run reports all of them and a refused export leaves the
store as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic, Report, Severity
from compiler.errors import CpcError, UsageProblem
from compiler.snapshot import codes
from compiler.snapshot.layout import classify, module_problems, parse_header
from compiler.snapshot.limits import SnapshotLimits
from compiler.snapshot.reader import ExportReader, ObjectReader
from compiler.snapshot.snapshot import Snapshot
from compiler.snapshot.source import HEADER_NAME, open_source
from compiler.snapshot.staging import Progress, stage_entries
from compiler.snapshot.store import SnapshotStore, manifest_document

Check = Callable[[ExportReader], list[Diagnostic]]
"""An extra integrity check run on the staged export (e.g. file-object masters)."""

_ID_PREFIX = re.compile(r"^(sha256:)?[0-9a-fA-F]{4,64}$")


class SnapshotRefused(CpcError):
    """The export failed the snapshot's checks; ``report`` holds every problem."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"snapshot refused: {report.summary()}")
        self.report = report


def take_snapshot(source: str | Path, store: str | Path, limits: SnapshotLimits,
                  checks: Sequence[Check] = (), *, report: Report | None = None,
                  progress: Progress | None = None) -> Snapshot:
    """Freeze the export folder or .zip ``source`` into ``store``; the committed snapshot.

    ``checks`` run on the staged export (an :class:`ExportReader`) when the header is
    valid and every named module file is present, even if other entries were refused;
    their diagnostics join the snapshot's own. Warnings go to ``report``. Raises
    :class:`SnapshotRefused` (with every diagnostic) when any error was found, and
    :class:`UsageProblem` when ``source`` is neither a folder nor a file.
    """
    report = report if report is not None else Report()
    snapshot_store = SnapshotStore(Path(store))
    with open_source(Path(source), limits) as export, snapshot_store.staging() as staging:
        report.extend(export.problems)
        if not export.listed:
            raise SnapshotRefused(report)
        layout = classify(export.entries, export.outside)
        report.extend(layout.problems)
        staged = stage_entries(list(layout.stored.values()), staging, limits, export.name,
                               progress)
        report.extend(staged.problems)
        if not staged.complete:
            raise SnapshotRefused(report)
        reader = ObjectReader({}, staged.records, staging.locate, "(being taken)")
        header_bytes = reader.read_bytes(HEADER_NAME) if HEADER_NAME in staged.records \
            else None
        header, header_problems = parse_header(header_bytes)
        # an unknown format may have another layout: its module files are not judged
        if header is not None and not any(d.code == codes.FORMAT for d in header_problems):
            header_problems += module_problems(header, layout)
        report.extend(header_problems)
        if header is not None and not any(d.severity is Severity.ERROR
                                          for d in header_problems):
            reader = ObjectReader(header, staged.records, staging.locate, "(being taken)")
            for check in checks:
                report.extend(check(reader))
        if header is None or report.has_errors:
            raise SnapshotRefused(report)
        ident = staging.commit(manifest_document(header, list(staged.records.values())))
    return Snapshot.load(snapshot_store, ident)


def load_snapshot(store: str | Path, ident: str) -> Snapshot:
    """The snapshot with id (or unique id prefix, ``sha256:`` allowed) ``ident``."""
    snapshot_store = SnapshotStore(Path(store))
    found = snapshot_store.find(ident)
    if len(found) == 1:
        return Snapshot.load(snapshot_store, found[0])
    if not found:
        raise UsageProblem(f"{ident}: no such export folder or .zip, and no snapshot with "
                           f"this id in {store}")
    raise UsageProblem(f"{ident}: ambiguous snapshot id prefix in {store} (matches "
                       f"{', '.join(i[:16] for i in found)}); give more digits")


def resolve_source(source: str, store: str | Path, limits: SnapshotLimits,
                   checks: Sequence[Check] = (), **options: Any) -> Snapshot:
    """SOURCE of cli.md as a snapshot: an export folder or .zip (snapshotted now, same
    keyword options as :func:`take_snapshot`), or a snapshot id / unique id prefix."""
    path = Path(source)
    if path.exists() or not _ID_PREFIX.match(source):
        return take_snapshot(path, store, limits, checks, **options)
    return load_snapshot(store, source)
