"""Reading the Exstream data folder: segments.json and template-usage.json.

Exstream owns the customer segments and the templates; a build given ``--exstream-data``
resolves offers per segment and names the templates each changed item affects. Both
files are checked whole, and every problem is listed with its file and JSON pointer.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic, Location, error
from compiler.errors import CpcError
from compiler.release import ExstreamData

SEGMENTS_FILE = "segments.json"
USAGE_FILE = "template-usage.json"
MAX_BYTES = 32 * 1024 * 1024  # a segment list or usage table is small; refuse anything huge
CHANNELS = ("print", "email", "web", "mobile")
_SEGMENT_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def load_exstream_data(folder: Path) -> ExstreamData:
    """Read and check an Exstream data folder; raises :class:`CpcError` listing every problem."""
    problems: list[Diagnostic] = []
    if not folder.is_dir():
        raise CpcError(f"{folder}: the Exstream data folder does not exist or is not a folder")
    segments_doc = _read_json(folder / SEGMENTS_FILE, problems)
    usage_doc = _read_json(folder / USAGE_FILE, problems)
    segments = _check_segments(segments_doc, problems) if segments_doc is not None else []
    usage = _check_usage(usage_doc, problems) if usage_doc is not None else []
    if problems:
        listing = "\n".join(f"  {p.format()}" for p in problems)
        raise CpcError(f"{folder}: the Exstream data has {len(problems)} problem(s):\n{listing}")
    return ExstreamData(segments=segments, template_usage=usage)


def _read_json(path: Path, problems: list[Diagnostic]) -> Any:
    where = Location(file=path.name)
    if not path.is_file():
        problems.append(error("E-EXSTREAM-MISSING", f"{path.name} is missing from the Exstream "
                              "data folder", location=where))
        return None
    if path.stat().st_size > MAX_BYTES:
        problems.append(error("E-EXSTREAM-TOO-LARGE", f"{path.name} is larger than "
                              f"{MAX_BYTES} bytes", location=where))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(error("E-EXSTREAM-ENCODING", f"not UTF-8 at byte {exc.start}; save the "
                              "file as UTF-8", location=where))
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(error("E-EXSTREAM-JSON", f"not valid JSON: {exc.msg}",
                              location=Location(file=path.name, line=exc.lineno,
                                                column=exc.colno)))
        return None


def _problem(file: str, pointer: str, message: str) -> Diagnostic:
    return error("E-EXSTREAM-CONTENT", message, location=Location(file=file, pointer=pointer))


def _check_segments(doc: Any, problems: list[Diagnostic]) -> list[dict[str, str]]:
    if not isinstance(doc, list):
        problems.append(_problem(SEGMENTS_FILE, "#", "expected a list of segments "
                                 '[{"key": …, "name": …, "description": …}]'))
        return []
    segments: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, entry in enumerate(doc):
        pointer = f"#/{n}"
        if not isinstance(entry, dict):
            problems.append(_problem(SEGMENTS_FILE, pointer, "expected an object with a key"))
            continue
        key = entry.get("key")
        if not isinstance(key, str) or not _SEGMENT_KEY.match(key):
            problems.append(_problem(SEGMENTS_FILE, f"{pointer}/key", "expected a segment key "
                                     f"(letters, digits, '.', '_', '-'), got {json.dumps(key)}"))
            continue
        if key in seen:
            problems.append(_problem(SEGMENTS_FILE, f"{pointer}/key",
                                     f"segment {key!r} is listed more than once"))
            continue
        seen.add(key)
        segment = {"key": key}
        for name in ("name", "description"):
            value = entry.get(name, "")
            if not isinstance(value, str):
                problems.append(_problem(SEGMENTS_FILE, f"{pointer}/{name}",
                                         f"expected text, got {json.dumps(value)}"))
            elif value:
                segment[name] = value
        segments.append(segment)
    return segments


def _check_usage(doc: Any, problems: list[Diagnostic]) -> list[dict[str, Any]]:
    if not isinstance(doc, list):
        problems.append(_problem(USAGE_FILE, "#", "expected a list "
                                 '[{"template": …, "channel": …, "uses": [keys]}]'))
        return []
    usage: list[dict[str, Any]] = []
    for n, entry in enumerate(doc):
        pointer = f"#/{n}"
        if not isinstance(entry, dict):
            problems.append(_problem(USAGE_FILE, pointer, "expected an object with a template"))
            continue
        before = len(problems)
        template, channel, uses = entry.get("template"), entry.get("channel"), entry.get("uses")
        if not isinstance(template, str) or not template.strip():
            problems.append(_problem(USAGE_FILE, f"{pointer}/template",
                                     f"expected a template name, got {json.dumps(template)}"))
        if channel is not None and channel not in CHANNELS:
            problems.append(_problem(USAGE_FILE, f"{pointer}/channel",
                                     f"expected one of {', '.join(CHANNELS)}, got "
                                     f"{json.dumps(channel)}"))
        if not isinstance(uses, list):
            problems.append(_problem(USAGE_FILE, f"{pointer}/uses",
                                     f"expected a list of content keys, got {json.dumps(uses)}"))
        else:
            for m, key in enumerate(uses):
                if not isinstance(key, str) or not key:
                    problems.append(_problem(USAGE_FILE, f"{pointer}/uses/{m}",
                                             f"expected a content key, got {json.dumps(key)}"))
        if len(problems) == before:
            record: dict[str, Any] = {"template": template, "uses": list(uses or [])}
            if channel is not None:
                record["channel"] = channel
            usage.append(record)
    return usage
