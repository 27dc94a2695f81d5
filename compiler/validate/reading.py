"""Reading the module files once, for their schemas and for the model.

Each module file is parsed once (strict JSON, or XML with the safe parser), checked
against its schema (JSON Schema per object, or the XSD), and turned into export
objects by the model's readers. Where the schema and the model's reader find the same
problem (a wrong value type, an unknown channel), only the schema's diagnostic, with
its precise pointer, is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import xmlschema
from jsonschema import Draft202012Validator

from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, error, warning
from compiler.model.json_form import module_from_document, parse_json_document
from compiler.model.objects import ModuleFile
from compiler.model.xml_form import module_from_root, parse_xml_document
from compiler.resources import schema_path
from compiler.snapshot import ExportReader
from compiler.validate import codes
from compiler.validate.schemas import (
    field_types,
    module_document_problems,
    object_problems,
    object_validator,
)

# Reader problems a schema diagnostic at the same place supersedes.
SUPERSEDED = frozenset({codes.VALUE_TYPE, codes.CHANNEL_UNKNOWN, codes.FIELD_SHAPE,
                        codes.DIMENSION_UNKNOWN, codes.OBJECT_KEYS, codes.OBJECT_SHAPE,
                        codes.MODULE_SHAPE})


@dataclass
class ReadModules:
    """The module files as read, and every problem found reading and checking them."""

    modules: list[ModuleFile] = field(default_factory=list)
    schema_problems: list[Diagnostic] = field(default_factory=list)
    reader_problems: list[Diagnostic] = field(default_factory=list)

    def problems(self) -> list[Diagnostic]:
        """Schema problems, then the reader's that the schemas did not already report."""
        return self.schema_problems + without_superseded(self.reader_problems,
                                                         self.schema_problems)


class _Places:
    """Where schema diagnostics are: (file, pointer) with every prefix, and (file, line)."""

    def __init__(self, found: Iterable[Diagnostic]) -> None:
        self.exact: set[tuple[str, str]] = set()
        self.prefixes: set[tuple[str, str]] = set()
        self.lines: set[tuple[str, int]] = set()
        for d in found:
            loc = d.location
            if loc.line is not None:
                self.lines.add((loc.file, loc.line))
            if loc.pointer:
                self.exact.add((loc.file, loc.pointer))
                parts = loc.pointer.split("/")
                for end in range(1, len(parts) + 1):
                    self.prefixes.add((loc.file, "/".join(parts[:end])))

    def covers(self, d: Diagnostic) -> bool:
        loc = d.location
        if loc.line is not None and (loc.file, loc.line) in self.lines:
            return True
        if not loc.pointer:
            return False
        if (loc.file, loc.pointer) in self.prefixes:
            return True
        parts = loc.pointer.split("/")
        return any((loc.file, "/".join(parts[:end])) in self.exact
                   for end in range(1, len(parts)))


def without_superseded(problems: Iterable[Diagnostic],
                       schema_problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    """``problems`` minus those a schema diagnostic at the same place already reports."""
    places = _Places(schema_problems)
    return [d for d in problems if d.code not in SUPERSEDED or not places.covers(d)]


@cache
def module_xsd() -> xmlschema.XMLSchema10:
    """``schemas/module.xsd``, compiled once."""
    return xmlschema.XMLSchema10(str(schema_path("module.xsd")))


def _xsd_code(reason: str) -> str:
    if "attribute channel=" in reason:
        return codes.CHANNEL_UNKNOWN
    if "attribute locale=" in reason:
        return codes.LOCALE_UNKNOWN
    return codes.XSD


def xsd_problems(root: Any, file: str) -> list[Diagnostic]:
    """An XML module against ``schemas/module.xsd``, each problem with its line."""
    found: list[Diagnostic] = []
    for problem in module_xsd().iter_errors(root):
        elem: Any = problem.elem
        line = getattr(elem, "sourceline", None)
        object_id = ""
        node: Any = elem
        while node is not None and getattr(node, "tag", None) not in ("object", None):
            node = node.getparent()
        if node is not None and node.tag == "object":
            object_id = node.get("id", "")
        field_name = ""
        node = elem
        while node is not None and getattr(node, "tag", None) not in ("field", None):
            node = node.getparent()
        if node is not None and node.tag == "field":
            field_name = node.get("name", "")
        reason = problem.reason or problem.message
        found.append(error(_xsd_code(reason), f"{reason} (at {problem.path}); fix the export",
                           location=Location(file=file, line=line), object_id=object_id,
                           field=field_name))
    return found


def _read_json(data: bytes, path: str, module: str, validator: Draft202012Validator,
               extra: Draft202012Validator | None, types: Mapping[str, Any],
               read: ReadModules) -> None:
    document, problems = parse_json_document(data, path)
    read.reader_problems.extend(problems)
    if document is None:
        read.modules.append(ModuleFile(module, path, "json", []))
        return
    read.schema_problems.extend(module_document_problems(document, path))
    result = document.get("result") if isinstance(document, dict) else None
    if isinstance(result, list):
        for index, obj in enumerate(result):
            pointer = f"#/result/{index}"
            read.schema_problems.extend(object_problems(validator, obj, path, pointer, types))
            if extra is not None:
                read.schema_problems.extend(object_problems(extra, obj, path, pointer, types))
        count = document.get("total_count")
        if isinstance(count, int) and count != len(result):
            read.schema_problems.append(warning(
                codes.TOTAL_COUNT, f"total_count is {count} but 'result' holds {len(result)} "
                "objects; the export may be truncated: export the module again",
                location=Location(file=path, pointer="#/total_count")))
    module_file, found = module_from_document(document, path, module)
    read.modules.append(module_file)
    read.reader_problems.extend(found)


def _read_xml(data: bytes, path: str, module: str, read: ReadModules) -> None:
    root, problems = parse_xml_document(data, path)
    read.reader_problems.extend(problems)
    if root is None:
        read.modules.append(ModuleFile(module, path, "xml", []))
        return
    read.schema_problems.extend(xsd_problems(root, path))
    module_file, found = module_from_root(root, path, module)
    read.modules.append(module_file)
    read.reader_problems.extend(found)


def read_and_check_modules(reader: ExportReader, config: Config,
                           customer: Mapping[str, Draft202012Validator]) -> ReadModules:
    """Read every module file the header names, checking each against its schema."""
    read = ReadModules()
    named = reader.header.get("modules")
    if not isinstance(named, Mapping):
        return read
    governance = {k: str(v) for k, v in config.section("governance").items()
                  if isinstance(v, str)}
    for module, path in named.items():
        if not isinstance(path, str) or not reader.exists(path):
            continue  # reported by the layout check (module missing or badly named)
        form = path.rsplit(".", 1)[-1].lower()
        data = reader.read_bytes(path)
        kind = config.module_kind(module)
        if kind is None:
            read.schema_problems.append(warning(
                codes.MODULE_UNKNOWN, f"module {module!r} is not mapped to a kind in "
                "[modules]; only its shape is checked", location=Location(file=path)))
        if form == "json":
            types = field_types(kind, config.fields(kind), governance) if kind else {}
            _read_json(data, path, module, object_validator(config, module),
                       customer.get(module), types, read)
        elif form == "xml":
            _read_xml(data, path, module, read)
    return read
