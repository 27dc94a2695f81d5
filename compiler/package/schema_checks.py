"""Schema validation of the index (XSD) and the audit manifest (JSON Schema), shared by
the writer and `cpc verify`. Schemas are read once per process."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from lxml import etree

from compiler.resources import schema_path

INDEX_SCHEMA = "index.xsd"
AUDIT_SCHEMA = "audit-manifest.schema.json"


@cache
def _index_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path(INDEX_SCHEMA))))


def index_schema_errors(xml: bytes) -> list[tuple[int | None, str]]:
    """(line, message) for every way ``xml`` breaks schemas/index.xsd; empty when valid."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        document = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        return [(exc.lineno, f"not well-formed XML: {exc.msg}")]
    schema = _index_schema()
    if schema.validate(document):
        return []
    return [(entry.line, entry.message) for entry in schema.error_log]


def audit_schema_file() -> Path | None:
    """schemas/audit-manifest.schema.json, or None while it does not exist yet."""
    path = schema_path(AUDIT_SCHEMA)
    return path if path.is_file() else None


def audit_schema_errors(document: bytes, schema_file: Path) -> list[tuple[str, str]]:
    """(JSON pointer, message) for every way ``document`` breaks the audit manifest schema."""
    try:
        data: Any = json.loads(document)
    except ValueError as exc:
        return [("", f"not valid JSON: {exc}")]
    schema = json.loads(schema_file.read_bytes())
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    problems = []
    for issue in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        pointer = "#/" + "/".join(str(part) for part in issue.absolute_path)
        problems.append((pointer, issue.message))
    return problems
