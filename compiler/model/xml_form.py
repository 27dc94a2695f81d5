"""Reads a module in the XML form (``<objects><object><field><value>…``).

The parser never fetches, never loads a DTD and never expands entities; a document
with a DOCTYPE is refused outright, since an export has no use for one and entity
tricks (XXE, billion laughs) all start there.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from compiler.diagnostics import Diagnostic, Location, error
from compiler.model.objects import CHANNELS, Entry, ExportObject, ModuleFile

_LIST_CHILDREN = ("id", "item")


def safe_parser() -> etree.XMLParser:
    """An lxml parser that cannot be made to fetch or expand anything."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def parse_xml_document(data: bytes, path: str) -> tuple[Any, list[Diagnostic]]:
    """Parse XML bytes safely; returns (root element or None, problems)."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        return None, [error("E-XML-DOCTYPE",
                            "XML with a DOCTYPE or entity declarations is refused "
                            "(nothing is fetched or expanded); export without a DOCTYPE",
                            location=Location(file=path, line=1))]
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        line, column = (exc.position if exc.position else (None, None))
        return None, [error("E-XML-SYNTAX", f"malformed XML: {exc.msg}",
                            location=Location(file=path, line=line, column=column))]
    return root, []


def _value(element: Any) -> Any:
    children = [c for c in element if isinstance(c.tag, str)]
    if children and all(c.tag in _LIST_CHILDREN for c in children):
        return [(c.text or "").strip() for c in children]
    return element.text or ""


def read_xml_module(data: bytes, path: str, module: str) -> tuple[ModuleFile, list[Diagnostic]]:
    """Read one XML module file into export objects, collecting every problem."""
    root, problems = parse_xml_document(data, path)
    if root is None:
        return ModuleFile(module, path, "xml", []), problems
    module_file, found = module_from_root(root, path, module)
    return module_file, problems + found


def module_from_root(root: Any, path: str, module: str) -> tuple[ModuleFile, list[Diagnostic]]:
    """Export objects from an already parsed XML module (validation parses once)."""
    problems: list[Diagnostic] = []
    objects: list[ExportObject] = []
    if root.tag != "objects":
        problems.append(error("E-MODULE-SHAPE", f"root element is <{root.tag}>, expected <objects>",
                              location=Location(file=path, line=root.sourceline)))
        return ModuleFile(module, path, "xml", objects), problems
    for element in root.iterfind("object"):
        where = Location(file=path, line=element.sourceline)
        attrs = element.attrib
        missing = [k for k in ("id", "module", "type", "mod_time", "version") if k not in attrs]
        if missing:
            problems.append(error("E-OBJECT-KEYS",
                                  f"<object> lacks attribute(s) {', '.join(missing)}",
                                  location=where, object_id=attrs.get("id", "")))
            continue
        fields: dict[str, list[Entry]] = {}
        for field in element.iterfind("field"):
            name = field.get("name", "")
            for value in field.iterfind("value"):
                value_where = Location(file=path, line=value.sourceline)
                channel = value.get("channel")
                if channel is not None and channel not in CHANNELS:
                    problems.append(error(
                        "E-CHANNEL-UNKNOWN",
                        f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}",
                        location=value_where, object_id=attrs["id"], field=name))
                    continue
                fields.setdefault(name, []).append(
                    Entry(value=_value(value), locale=value.get("locale"), channel=channel,
                          location=value_where))
            fields.setdefault(name, [])
        version = attrs["version"]
        objects.append(ExportObject(
            id=attrs["id"], module=attrs["module"], type=attrs["type"],
            mod_time=attrs["mod_time"],
            version=int(version) if version.isdigit() else -1,
            fields=fields, location=where,
        ))
    return ModuleFile(module, path, "xml", objects), problems
