"""Reads a module in the JSON form: ``{"total_count": N, "result": [object, …]}``.

Parsing is strict and precise about where things are: malformed JSON reports line and
column, text that is not UTF-8 the byte offset, duplicate keys their JSON pointer. A
UTF-8 byte order mark is accepted.
"""

from __future__ import annotations

import json
from typing import Any

from compiler.diagnostics import Diagnostic, Location, error
from compiler.model.objects import CHANNELS, Entry, ExportObject, ModuleFile

OBJECT_KEYS = ("id", "module", "type", "mod_time", "version")
_DIMENSIONS = frozenset({"locale", "channel"})


class _Pairs(dict[str, Any]):
    """A JSON object that remembers which keys it saw twice."""

    duplicates: list[str]


def _marked(pairs: list[tuple[str, Any]], obj: dict[str, Any]) -> _Pairs:
    """An object with a repeated key, remembering which keys repeated."""
    marked = _Pairs(obj)
    seen: set[str] = set()
    marked.duplicates = []
    for key, _value in pairs:
        if key in seen:
            marked.duplicates.append(key)
        seen.add(key)
    return marked


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _find_duplicates(node: Any, pointer: str, found: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        if isinstance(node, _Pairs):
            found.extend((f"{pointer}/{_escape(k)}", k) for k in node.duplicates)
        for key, value in node.items():
            _find_duplicates(value, f"{pointer}/{_escape(key)}", found)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _find_duplicates(value, f"{pointer}/{index}", found)


def parse_json_document(data: bytes, path: str) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON bytes strictly; returns (document or None, problems)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [error("E-JSON-ENCODING",
                            f"not UTF-8 text at byte offset {exc.start}: save the file as UTF-8",
                            location=Location(file=path))]
    repeated: list[bool] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        # dict() is C-fast; only an object with a repeated key pays for remembering it
        obj = dict(pairs)
        if len(obj) == len(pairs):
            return obj
        repeated.append(True)
        return _marked(pairs, obj)

    try:
        document = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        return None, [error("E-JSON-SYNTAX", f"malformed JSON: {exc.msg}",
                            location=Location(file=path, line=exc.lineno, column=exc.colno))]
    duplicates: list[tuple[str, str]] = []
    if repeated:  # the walk for their pointers only when some object repeated a key
        _find_duplicates(document, "#", duplicates)
    problems = [
        error("E-JSON-DUPLICATE-KEY",
              f"key {key!r} appears more than once in one object; keep one",
              location=Location(file=path, pointer=pointer.rsplit("/", 1)[0] or "#"))
        for pointer, key in duplicates
    ]
    return document, problems


def _entries(raw: Any, pointer: str, path: str,
             problems: list[Diagnostic], object_id: str, name: str) -> list[Entry]:
    if not isinstance(raw, list):
        problems.append(error("E-FIELD-SHAPE",
                              "a field must be a list of {\"value\", \"dimensions\"} entries",
                              location=Location(file=path, pointer=pointer),
                              object_id=object_id, field=name))
        return []
    entries: list[Entry] = []
    for index, item in enumerate(raw):
        where = Location(file=path, pointer=f"{pointer}/{index}")
        if not isinstance(item, dict) or "value" not in item:
            problems.append(error("E-FIELD-SHAPE", "an entry must be an object with a 'value'",
                                  location=where, object_id=object_id, field=name))
            continue
        dims = item.get("dimensions") or {}
        if not isinstance(dims, dict):
            problems.append(error("E-FIELD-SHAPE", "'dimensions' must be an object",
                                  location=where, object_id=object_id, field=name))
            continue
        if not _DIMENSIONS.issuperset(dims):  # no set built per entry in the common case
            unknown = sorted(set(dims) - _DIMENSIONS)
            problems.append(error("E-DIMENSION-UNKNOWN",
                                  f"unknown dimension(s) {', '.join(unknown)}; "
                                  "only 'locale' and 'channel' are known",
                                  location=where, object_id=object_id, field=name))
        channel = dims.get("channel")
        if channel is not None and channel not in CHANNELS:
            problems.append(error("E-CHANNEL-UNKNOWN",
                                  f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}",
                                  location=where, object_id=object_id, field=name))
            continue
        locale = dims.get("locale")
        entries.append(Entry(value=item["value"],
                             locale=locale if isinstance(locale, str) else None,
                             channel=channel, location=where))
    return entries


def read_json_module(data: bytes, path: str, module: str) -> tuple[ModuleFile, list[Diagnostic]]:
    """Read one JSON module file into export objects, collecting every problem."""
    document, problems = parse_json_document(data, path)
    if document is None:
        return ModuleFile(module, path, "json", []), problems
    module_file, found = module_from_document(document, path, module)
    return module_file, problems + found


def module_from_document(document: Any, path: str,
                         module: str) -> tuple[ModuleFile, list[Diagnostic]]:
    """Export objects from an already parsed JSON module document (validation parses once)."""
    problems: list[Diagnostic] = []
    objects: list[ExportObject] = []
    result = document.get("result") if isinstance(document, dict) else None
    if not isinstance(result, list):
        problems.append(error("E-MODULE-SHAPE",
                              "a module file must be an object with a 'result' list",
                              location=Location(file=path, pointer="#")))
        return ModuleFile(module, path, "json", objects), problems
    for index, raw in enumerate(result):
        pointer = f"#/result/{index}"
        where = Location(file=path, pointer=pointer)
        if not isinstance(raw, dict):
            problems.append(error("E-OBJECT-SHAPE", "an object must be a JSON object",
                                  location=where))
            continue
        missing = [k for k in OBJECT_KEYS if k not in raw]
        object_id = str(raw.get("id", ""))
        if missing:
            problems.append(error("E-OBJECT-KEYS",
                                  f"object lacks {', '.join(missing)}; every object needs "
                                  "id, module, type, mod_time and version",
                                  location=where, object_id=object_id))
            continue
        fields = {
            name: _entries(value, f"{pointer}/{_escape(name)}", path, problems, object_id, name)
            for name, value in raw.items() if name not in OBJECT_KEYS
        }
        version = raw["version"]
        objects.append(ExportObject(
            id=object_id, module=str(raw["module"]), type=str(raw["type"]),
            mod_time=str(raw["mod_time"]),
            version=version if isinstance(version, int) and not isinstance(version, bool) else -1,
            fields=fields, location=where,
        ))
    return ModuleFile(module, path, "json", objects), problems
