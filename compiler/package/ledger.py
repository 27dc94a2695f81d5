"""build/releases/ledger.jsonl: the release history as a hash chain.

Each line is one release as canonical JSON (sorted keys, no spaces). Its
``previous_line_sha256`` is the sha256 of the previous line's bytes (without the line
feed), so rewriting or dropping any earlier line breaks every later link.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic, Location, error
from compiler.package.durable import write_durably

LEDGER_NAME = "ledger.jsonl"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One release in the ledger."""

    name: str
    version: str
    created: str
    archive: str
    archive_sha256: str
    previous_archive_sha256: str | None
    previous_line_sha256: str | None

    def line(self) -> bytes:
        """The entry as its canonical ledger line, without the line feed."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False).encode("utf-8")


def line_sha256(line: bytes) -> str:
    """The hash the next entry's ``previous_line_sha256`` must carry."""
    return hashlib.sha256(line).hexdigest()


def _entry_from(data: Any) -> LedgerEntry:
    if not isinstance(data, dict) or set(data) != set(LedgerEntry.__slots__):
        raise ValueError(f"a ledger line must be an object with exactly the fields "
                         f"{', '.join(LedgerEntry.__slots__)}")
    for name in ("name", "version", "created", "archive", "archive_sha256"):
        if not isinstance(data[name], str) or not data[name]:
            raise ValueError(f"{name!r} must be a non-empty string")
    if not _SHA256.fullmatch(data["archive_sha256"]):
        raise ValueError("'archive_sha256' must be 64 lowercase hex characters")
    for name in ("previous_archive_sha256", "previous_line_sha256"):
        value = data[name]
        if value is not None and not (isinstance(value, str) and _SHA256.fullmatch(value)):
            raise ValueError(f"{name!r} must be null or 64 lowercase hex characters")
    return LedgerEntry(**data)


@dataclass(frozen=True)
class Ledger:
    """The lines of a ledger file, parsed, with every problem found in them."""

    path: Path
    lines: list[bytes]
    entries: list[LedgerEntry]
    problems: list[Diagnostic]

    def latest(self, name: str, before_version: str | None = None) -> LedgerEntry | None:
        """The last entry of release ``name``; with ``before_version``, the last one
        recorded before that version's own entry (or the last, if it has none)."""
        candidates: list[LedgerEntry] = []
        for entry in self.entries:
            if entry.name != name:
                continue
            if before_version is not None and entry.version == before_version:
                break
            candidates.append(entry)
        return candidates[-1] if candidates else None

    def find(self, name: str, version: str) -> LedgerEntry | None:
        """The entry of one release, if recorded."""
        return next((e for e in self.entries if e.name == name and e.version == version), None)

    def head_sha256(self) -> str | None:
        """The hash of the last line: the next entry's ``previous_line_sha256``."""
        return line_sha256(self.lines[-1]) if self.lines else None


def read_ledger(folder: Path) -> Ledger:
    """Parse ``folder``/ledger.jsonl (an absent file is an empty ledger) and check the chain."""
    path = folder / LEDGER_NAME
    raw = path.read_bytes() if path.exists() else b""
    problems: list[Diagnostic] = []
    if raw and not raw.endswith(b"\n"):
        problems.append(error("E-VERIFY-LEDGER", "the last line has no line feed: the file "
                              "was truncated or edited", location=Location(LEDGER_NAME)))
    lines = raw.split(b"\n")[:-1] if raw.endswith(b"\n") else raw.split(b"\n") if raw else []
    entries: list[LedgerEntry] = []
    previous_line: bytes | None = None
    last_of_name: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        where = Location(LEDGER_NAME, line=number)
        try:
            entry = _entry_from(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            problems.append(error("E-VERIFY-LEDGER", f"not a valid ledger entry: {exc}",
                                  location=where))
            previous_line = line
            continue
        expected = line_sha256(previous_line) if previous_line is not None else None
        if entry.previous_line_sha256 != expected:
            problems.append(error(
                "E-VERIFY-LEDGER", f"broken chain: previous_line_sha256 is "
                f"{entry.previous_line_sha256}, but the line before hashes to {expected}",
                location=where, key=f"{entry.name}-{entry.version}"))
        if entry.previous_archive_sha256 != last_of_name.get(entry.name):
            problems.append(error(
                "E-VERIFY-LEDGER", f"previous_archive_sha256 is {entry.previous_archive_sha256}, "
                f"but the previous release of {entry.name!r} has "
                f"{last_of_name.get(entry.name)}", location=where,
                key=f"{entry.name}-{entry.version}"))
        if any(e.name == entry.name and e.version == entry.version for e in entries):
            problems.append(error("E-VERIFY-LEDGER", f"{entry.name} {entry.version} is recorded "
                                  "twice: a version is released once", location=where))
        last_of_name[entry.name] = entry.archive_sha256
        entries.append(entry)
        previous_line = line
    return Ledger(path=path, lines=lines, entries=entries, problems=problems)


def append_entry(folder: Path, entry: LedgerEntry) -> None:
    """Add ``entry`` as the ledger's last line, atomically (the whole file is replaced).

    Replacing rather than appending means a crash leaves the old ledger or the new one,
    never half a line.
    """
    path = folder / LEDGER_NAME
    old = path.read_bytes() if path.exists() else b""
    write_durably(path, old + entry.line() + b"\n")
