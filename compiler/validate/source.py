"""SOURCE for validation: an export folder, an export .zip, or a snapshot id.

A folder or zip is read in place (nothing is written) through the snapshot stage's
safe listing (:func:`compiler.snapshot.source.open_source`) and layout rules, so the
same path, link, zip-bomb and stray-file problems are found; unlike a snapshot,
validation goes on after them and reports them together with every other problem.
:class:`SourceReader` implements the snapshot's :class:`ExportReader` protocol, so the
same checks run on a source, a snapshot being taken and a committed snapshot.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from compiler.diagnostics import Diagnostic
from compiler.snapshot import ExportReader, codes, limits_from_config, load_snapshot
from compiler.snapshot.layout import classify, module_problems, parse_header
from compiler.snapshot.source import HEADER_NAME, Entry, open_source
from compiler.snapshot.staging import declared_problems

_SNAPSHOT_ID = re.compile(r"^(sha256:)?[0-9a-fA-F]{4,64}$")
_CHUNK = 1 << 20


class SourceReader:
    """An :class:`ExportReader` over the listed entries of a folder or zip, read in place.

    ``size`` is the declared size (stat or zip header; zipfile never reads past it);
    ``sha256`` hashes the file on first use and remembers it.
    """

    def __init__(self, header: Mapping[str, Any], entries: Mapping[str, Entry]) -> None:
        self._header = header
        self._entries = dict(entries)
        self._digests: dict[str, str] = {}

    @property
    def header(self) -> Mapping[str, Any]:
        """The parsed export.json (empty when it is unusable)."""
        return self._header

    def paths(self) -> list[str]:
        """Every path of the export layout, sorted."""
        return sorted(self._entries)

    def exists(self, path: str) -> bool:
        """Whether the export has a file at ``path``."""
        return path in self._entries

    def size(self, path: str) -> int:
        """The file's size in bytes."""
        return self._entries[path].size

    def open(self, path: str) -> BinaryIO:
        """A binary stream of the file."""
        return self._entries[path].open()

    def read_bytes(self, path: str) -> bytes:
        """The whole file."""
        with self.open(path) as stream:
            return stream.read()

    def sha256(self, path: str) -> str:
        """The file's sha256 (lowercase hex), streamed."""
        if path not in self._digests:
            digest = hashlib.sha256()
            with self.open(path) as stream:
                while chunk := stream.read(_CHUNK):
                    digest.update(chunk)
            self._digests[path] = digest.hexdigest()
        return self._digests[path]


@dataclass
class OpenedSource:
    """The reader for one SOURCE and the problems found listing it."""

    reader: ExportReader
    problems: list[Diagnostic] = field(default_factory=list)
    usable: bool = True  # False: no usable export.json, nothing more can be read


@contextmanager
def open_export(source: str | Path, config: Any,
                store: str | Path | None = None) -> Iterator[OpenedSource]:
    """Open SOURCE for reading; a folder or zip in place, a snapshot id from ``store``.

    Raises :class:`~compiler.errors.UsageProblem` when SOURCE is none of these.
    """
    path = Path(source)
    if not path.exists() and store is not None and _SNAPSHOT_ID.match(str(source)):
        yield OpenedSource(load_snapshot(store, str(source)))
        return
    limits = limits_from_config(config.data if hasattr(config, "data") else config)
    with open_source(path, limits) as export:
        problems = list(export.problems)
        layout = classify(export.entries, export.outside)
        problems.extend(layout.problems)
        declared = declared_problems(list(layout.stored.values()), limits, export.name)
        problems.extend(declared)
        if any(d.code == codes.TOO_LARGE for d in declared):
            yield OpenedSource(SourceReader({}, {}), problems, usable=False)
            return
        # a zip entry refused as a bomb is never opened
        refused = {d.location.file for d in declared}
        stored = {p: e for p, e in layout.stored.items() if e.label not in refused}
        header_entry = stored.get(HEADER_NAME)
        header_bytes = None
        if header_entry is not None:
            with header_entry.open() as stream:
                header_bytes = stream.read()
        header, header_problems = parse_header(header_bytes)
        problems.extend(header_problems)
        if header is not None:
            problems.extend(module_problems(header, layout))
        reader = SourceReader(header or {}, stored)
        # An unknown major format version: how to read the rest is unknown, so its
        # content is not checked (as `cpc build` refuses it at the snapshot).
        unknown_format = any(d.code == codes.FORMAT for d in header_problems)
        yield OpenedSource(reader, problems, usable=header is not None and not unknown_format)
