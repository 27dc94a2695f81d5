"""The export layout of export-format.md, and the checks of its header.

``export.json`` (header), ``modules/<module>.json|xml`` and
``files/<object-id>/<file-name>`` are read; anything else is reported as "not read"
and neither opened nor stored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic, Location, error, warning
from compiler.snapshot import codes
from compiler.snapshot.source import HEADER_NAME, Entry

MODULE_FILE = re.compile(r"^modules/(?P<module>[^/]+)\.(?P<form>json|xml)$")
MASTER_FILE = re.compile(r"^files/[^/]+/[^/]+$")
FORMAT = re.compile(r"^4allportal-export/(?P<major>\d+)(?:\.\d+)*$")
KNOWN_MAJORS = frozenset({1})
REQUIRED_KEYS = ("format", "exported_at", "locales", "modules")


@dataclass
class Layout:
    """The entries a snapshot stores (by path) and what the layout check found."""

    stored: dict[str, Entry] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


def _in_layout(path: str) -> bool:
    return path == HEADER_NAME or bool(MODULE_FILE.match(path) or MASTER_FILE.match(path))


def classify(entries: list[Entry], outside: list[str]) -> Layout:
    """Keep the layout's entries; warn about every other file; refuse a module in two forms."""
    layout = Layout()
    for label in outside:
        layout.problems.append(_not_read(label))
    forms: dict[str, str] = {}
    for entry in entries:
        if not _in_layout(entry.path):
            layout.problems.append(_not_read(entry.label))
            continue
        layout.stored.setdefault(entry.path, entry)  # a duplicate is already refused
        match = MODULE_FILE.match(entry.path)
        if match:
            module = match["module"]
            if module in forms and forms[module] != entry.path:
                layout.problems.append(error(
                    codes.MODULE_TWO_FORMS,
                    f"module {module!r} is present as {forms[module]} and {entry.path}; "
                    "export each module in one form only", location=Location(file=entry.label)))
            forms.setdefault(module, entry.path)
    return layout


def _not_read(label: str) -> Diagnostic:
    return warning(codes.NOT_READ,
                   "not part of the export layout (export.json, modules/<module>.json|xml, "
                   "files/<object-id>/<file-name>); not read, not stored",
                   location=Location(file=label))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_header(data: bytes | None) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The parsed export.json (None when it is not a JSON object) and its problems."""
    where = Location(file=HEADER_NAME)
    if data is None:
        return None, [error(codes.HEADER_MISSING, "export.json is missing: this is not a "
                            "4ALLPORTAL export (or the zip has more than one top folder)",
                            location=where)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [error(codes.HEADER_JSON, f"not UTF-8 at byte {exc.start}: {exc.reason}",
                            location=where)]
    try:
        header = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        return None, [error(codes.HEADER_JSON, f"malformed JSON: {exc.msg}",
                            location=Location(file=HEADER_NAME, line=exc.lineno,
                                              column=exc.colno))]
    except ValueError as exc:
        return None, [error(codes.HEADER_JSON, f"malformed JSON: {exc}", location=where)]
    if not isinstance(header, dict):
        return None, [error(codes.HEADER_TYPE, f"expected a JSON object, got "
                            f"{type(header).__name__}", location=where)]
    return header, _header_problems(header)


def _is_str(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(_is_str(v) for v in value)


def _is_str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(_is_str(v) for v in value.values())


# key -> (well-formed?, what is expected)
_KEY_SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "format": (_is_str, "a string like '4allportal-export/1'"),
    "exported_at": (_is_str, "an ISO 8601 timestamp string"),
    "locales": (_is_str_list, "a list of locale strings"),
    "modules": (_is_str_map, "an object mapping module names to module file paths"),
}


def _header_problems(header: Mapping[str, Any]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for key in REQUIRED_KEYS:
        where = Location(file=HEADER_NAME, pointer=f"#/{key}")
        if key not in header:
            problems.append(error(codes.HEADER_KEY, f"required key {key!r} is missing",
                                  location=where))
            continue
        shape_ok, expected = _KEY_SHAPES[key]
        if not shape_ok(header[key]):
            problems.append(error(codes.HEADER_TYPE, f"{key!r}: expected {expected}, got "
                                  f"{header[key]!r}", location=where))
    fmt = header.get("format")
    if isinstance(fmt, str):
        match = FORMAT.match(fmt)
        where = Location(file=HEADER_NAME, pointer="#/format")
        if match is None:
            problems.append(error(codes.FORMAT, f"format {fmt!r} is not a 4ALLPORTAL export "
                                  "format (expected '4allportal-export/1')", location=where))
        elif int(match["major"]) not in KNOWN_MAJORS:
            problems.append(error(codes.FORMAT, f"format {fmt!r} has major version "
                                  f"{match['major']}; this cpc reads 4allportal-export/1 only: "
                                  "export with the version-1 connector or upgrade cpc",
                                  location=where))
    return problems


def module_problems(header: Mapping[str, Any], layout: Layout) -> list[Diagnostic]:
    """Module files named in the header must be in the layout and present; others warn.

    Nothing is checked when the header's ``modules`` is malformed (already reported).
    """
    problems: list[Diagnostic] = []
    if not _is_str_map(header.get("modules")):
        return problems
    named: set[str] = set()
    for module, path in sorted(header["modules"].items()):
        where = Location(file=HEADER_NAME, pointer=f"#/modules/{module}")
        if not MODULE_FILE.match(path):
            problems.append(error(codes.MODULE_PATH, f"module {module!r} names {path!r}; module "
                                  "files live at modules/<module>.json or .xml", location=where))
            continue
        named.add(path)
        if path not in layout.stored:
            problems.append(error(codes.MODULE_MISSING, f"module {module!r} names {path!r}, "
                                  "which is not in the export", location=where))
    for path in sorted(layout.stored):
        if MODULE_FILE.match(path) and path not in named:
            problems.append(warning(codes.MODULE_UNNAMED, "module file not named in "
                                    "export.json 'modules'; stored, but no stage loads it",
                                    location=Location(file=path)))
    return problems
