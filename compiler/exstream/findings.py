"""Reading review findings: what Exstream users found wrong with a package's content.

A findings file is ``.csv`` (UTF-8, ``;``-separated, header row) or ``.json`` (a list of
objects, or ``{"findings": [...]}``), with the columns of export-format.md. Every
problem in the file is collected and reported at once, each naming the line (CSV) or
JSON pointer and what to do. The findings that could be read (every row with a key)
come back with the problems, so their key, locale and channel are checked too; a
caller writes nothing while there are problems.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic, Location, error

COLUMNS = ("key", "locale", "channel", "severity", "comment", "reported_by", "reported_at")
REQUIRED_VALUES = ("key", "severity", "comment")
DELIMITER = ";"
OTHER_DELIMITERS = {",": "comma", "\t": "tab", "|": "pipe"}
MAX_BYTES = 16 * 1024 * 1024  # findings are hand-written; anything larger is not a findings file


@dataclass(frozen=True)
class Finding:
    """One review finding against a content key (locale and channel may be empty)."""

    key: str
    locale: str
    channel: str
    severity: str
    comment: str
    reported_by: str
    reported_at: str
    location: Location


def read_findings(path: Path) -> tuple[list[Finding], list[Diagnostic]]:
    """The findings in a ``.csv`` or ``.json`` file, or every problem that stops reading it."""
    where = Location(file=path.name)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        return [], [error("E-FINDINGS-FORMAT", f"{path.name}: expected a .csv or .json findings "
                          "file", location=where)]
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return [], [error("E-FINDINGS-TOO-LARGE", f"larger than {MAX_BYTES} bytes",
                          location=where)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        return [], [error("E-FINDINGS-ENCODING",
                          f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte offset {exc.start} "
                          f"(line {line}) cannot be decoded; save the file as UTF-8",
                          location=Location(file=path.name, line=line))]
    return reader(text, path.name)


def _finding(record: dict[str, str], location: Location, problems: list[Diagnostic],
             not_text: frozenset[str] = frozenset()) -> Finding | None:
    """The finding of one row (None without a key); its problems go to ``problems``.

    ``not_text``: JSON columns already reported as not text (not reported as empty too).
    """
    for column in REQUIRED_VALUES:
        if column not in not_text and not record.get(column, "").strip():
            problems.append(error("E-FINDINGS-VALUE", f"column {column!r} is empty; every "
                                  f"finding needs a {column}", location=location,
                                  field=column))
    reported_at = record.get("reported_at", "").strip()
    if reported_at and not _is_iso_time(reported_at):
        problems.append(error("E-FINDINGS-VALUE", f"reported_at {reported_at[:40]!r} is not an "
                              "ISO 8601 date or date-time; write e.g. 2026-12-02 or "
                              "2026-12-02T10:00:00Z", location=location, field="reported_at"))
    if not record.get("key", "").strip():
        return None
    values = {c: record.get(c, "").strip() for c in COLUMNS}
    values["comment"] = record.get("comment", "").strip()
    return Finding(**values, location=location)


def _is_iso_time(text: str) -> bool:
    """True for an ISO 8601 date (``2026-12-02``) or date-time (with ``Z`` or an offset)."""
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _read_csv(text: str, name: str) -> tuple[list[Finding], list[Diagnostic]]:
    lines = text.splitlines()
    header_line = lines[0] if lines else ""
    if not header_line.strip():
        return [], [error("E-FINDINGS-EMPTY", "the file is empty; expected a header row "
                          f"{DELIMITER.join(COLUMNS)}", location=Location(file=name, line=1))]
    header = next(csv.reader([header_line], delimiter=DELIMITER))
    missing = [c for c in COLUMNS if c not in [h.strip() for h in header]]
    if missing:
        return [], [_header_problem(header_line, header, missing, name)]
    problems: list[Diagnostic] = []
    findings: list[Finding] = []
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=DELIMITER, strict=True)
    columns = [h.strip() for h in next(rows)]
    while True:
        try:
            row = next(rows, None)
        except csv.Error as exc:  # a NUL byte, an unclosed quote, a field over the size limit
            problems.append(error("E-FINDINGS-CSV", f"not readable as CSV: {exc}",
                                  location=Location(file=name, line=rows.line_num)))
            break
        if row is None:
            break
        location = Location(file=name, line=rows.line_num)
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            problems.append(error("E-FINDINGS-ROW", f"{len(row)} values where the header has "
                                  f"{len(columns)}; quote values that contain '{DELIMITER}'",
                                  location=location))
            continue
        finding = _finding(dict(zip(columns, row, strict=True)), location, problems)
        if finding is not None:
            findings.append(finding)
    return findings, problems


def _header_problem(line: str, header: list[str], missing: list[str], name: str) -> Diagnostic:
    """Say which delimiter the header uses when it is not ';', else which columns are missing."""
    where = Location(file=name, line=1)
    for delimiter, label in OTHER_DELIMITERS.items():
        cells = [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]
        if len(cells) > len(header) and set(COLUMNS) & set(cells):
            return error("E-FINDINGS-DELIMITER",
                         f"the header is separated by {label} ({delimiter!r}), but findings "
                         f"files are separated by {DELIMITER!r}; save the CSV with "
                         f"{DELIMITER!r} as the delimiter", location=where)
    return error("E-FINDINGS-COLUMNS",
                 f"missing column(s) {', '.join(missing)}; the header must name "
                 f"{DELIMITER.join(COLUMNS)}", location=where)


def _read_json(text: str, name: str) -> tuple[list[Finding], list[Diagnostic]]:
    try:
        doc: Any = json.loads(text)
    except RecursionError:
        return [], [error("E-FINDINGS-JSON", "nested too deeply to be a findings file",
                          location=Location(file=name))]
    except json.JSONDecodeError as exc:
        return [], [error("E-FINDINGS-JSON", f"not valid JSON: {exc.msg}",
                          location=Location(file=name, line=exc.lineno, column=exc.colno))]
    prefix = "#"
    if isinstance(doc, dict) and "findings" in doc:
        doc, prefix = doc["findings"], "#/findings"
    if not isinstance(doc, list):
        return [], [error("E-FINDINGS-JSON", "expected a list of findings (or "
                          '{"findings": [...]})', location=Location(file=name, pointer=prefix))]
    problems: list[Diagnostic] = []
    findings: list[Finding] = []
    for n, entry in enumerate(doc):
        location = Location(file=name, pointer=f"{prefix}/{n}")
        if not isinstance(entry, dict):
            problems.append(error("E-FINDINGS-JSON", "expected an object with "
                                  f"{', '.join(COLUMNS)}", location=location))
            continue
        record: dict[str, str] = {}
        not_text: set[str] = set()
        for column in COLUMNS:
            value = entry.get(column)
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems.append(error("E-FINDINGS-VALUE", f"{column!r} must be text, got "
                                      f"{json.dumps(value)[:40]}", location=location,
                                      field=column))
                not_text.add(column)
                value = ""
            record[column] = value
        finding = _finding(record, location, problems, frozenset(not_text))
        if finding is not None:
            findings.append(finding)
    return findings, problems


READERS = {".csv": _read_csv, ".json": _read_json}
