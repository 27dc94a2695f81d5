"""Checks a merged configuration against schemas/config.schema.json.

Each problem names the option (``renditions.email.quality``), what was expected and
what was given, in words a release manager can act on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import jsonschema

from compiler.resources import schema_path

_TYPE_WORDS = {"string": "a string", "integer": "an integer", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a table"}


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path("config.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _option(path: Any) -> str:
    return ".".join(str(part) for part in path) or "(top level)"


def _given(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _expected(error: jsonschema.ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    kind = error.validator
    if kind == "type":
        types = schema.get("type")
        names = [types] if isinstance(types, str) else list(types or [])
        return " or ".join(_TYPE_WORDS.get(t, t) for t in names)
    if kind == "enum":
        return "one of " + ", ".join(json.dumps(v) for v in schema.get("enum", []))
    if kind == "pattern":
        if schema.get("pattern") == r"\S":
            return "a non-blank name"
        return f"text matching {schema.get('pattern')}"
    if kind in ("minimum", "maximum"):
        return f"a value {'>=' if kind == 'minimum' else '<='} {error.validator_value}"
    if kind == "minItems":
        return f"at least {error.validator_value} item(s)"
    if kind == "minLength":
        return "a non-empty string"
    if kind == "uniqueItems":
        return "no repeated items"
    return str(error.message)


def check_config(data: Mapping[str, Any]) -> list[str]:
    """Every problem of the configuration, one line each, sorted by option."""
    problems: list[str] = []
    for error in _validator().iter_errors(data):
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {})) if isinstance(
                error.schema, Mapping) else []
            extra = sorted(set(error.instance) - set(allowed)) if isinstance(
                error.instance, Mapping) else []
            for name in extra:
                option = _option([*error.absolute_path, name])
                hint = f"; known options here: {', '.join(allowed)}" if allowed else ""
                problems.append(f"{option}: unknown option{hint}")
            continue
        if error.validator == "required":
            problems.append(f"{_option(error.absolute_path)}: {error.message}")
            continue
        problems.append(f"{_option(error.absolute_path)}: expected {_expected(error)}, "
                        f"got {_given(error.instance)}")
    return sorted(problems)
