"""JSON Schemas of the export: the header, a module file, and each module's objects.

Field *names* come from the configuration, so an object schema is composed at run
time: the configured name of every meaning gets the entry definition of its value
type from ``schemas/field-types.schema.json``. ``schemas/objects/<kind>.schema.json``
are these schemas for the default mapping (a test keeps them equal). Validators are
compiled once per (kind, mapping) and cached. Customer modules can bring their own
schema (``[schemas] modules = {name = "path"}`` in cpc.toml).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, ValidationError

from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, error
from compiler.errors import ConfigError
from compiler.model.fields import FIELD_TYPES, GOVERNANCE_TYPES, FieldType
from compiler.resources import schema_path
from compiler.validate import codes

DIALECT = "https://json-schema.org/draft/2020-12/schema"
IDENTITY = ("id", "module", "type", "mod_time", "version")
MAX_MESSAGE = 240

# What a value of each type looks like, for messages people can act on.
EXPECTED: dict[str, str] = {
    "text": "text", "rich": "an HTML string", "integer": "an integer", "boolean": "true or false",
    "date": "a calendar date YYYY-MM-DD", "timestamp": "an ISO 8601 timestamp with a zone",
    "id": "a 4ALLPORTAL id (GUID)", "ids": "a list of 4ALLPORTAL ids (GUIDs)",
    "texts": "a list of text", "point": "{\"x\": 0..1, \"y\": 0..1}", "any": "any value",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One schema file of ``schemas/`` as a dict."""
    loaded: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return loaded


def _field_schema(kind: str) -> dict[str, Any]:
    return {"type": "array", "items": {
        "type": "object", "required": ["value"], "additionalProperties": False,
        "properties": {"value": {"$ref": f"#/$defs/value-{kind}"},
                       "dimensions": {"$ref": "#/$defs/dimensions"}}}}


def field_types(kind: str, mapping: Mapping[str, str],
                governance: Mapping[str, str]) -> dict[str, FieldType]:
    """Export field name -> value type for one module kind under a mapping."""
    types = {name: FIELD_TYPES[kind][meaning] for meaning, name in mapping.items()
             if name and meaning in FIELD_TYPES[kind]}
    for meaning, field_type in GOVERNANCE_TYPES.items():
        name = governance.get(meaning, "")
        if name:
            types.setdefault(name, field_type)
    return types


def object_schema(kind: str, mapping: Mapping[str, str], governance: Mapping[str, str],
                  module: str) -> dict[str, Any]:
    """The JSON Schema of one object of module kind ``kind`` under a field mapping."""
    defs = dict(load_schema("field-types.schema.json")["$defs"])
    used = {"any"}
    properties: dict[str, Any] = {
        "id": {"$ref": "#/$defs/guid"}, "module": {"const": module},
        "type": {"type": "string", "minLength": 1}, "mod_time": {"$ref": "#/$defs/timestamp"},
        "version": {"type": "integer", "minimum": 1},
    }
    for name, field_type in sorted(field_types(kind, mapping, governance).items()):
        properties[name] = {"$ref": f"#/$defs/field-{field_type.kind}"}
        used.add(field_type.kind)
    for value_kind in sorted(used):
        defs[f"field-{value_kind}"] = _field_schema(value_kind)
    return {"$schema": DIALECT, "title": f"an object of the {kind} module ({module!r})",
            "type": "object", "required": list(IDENTITY), "properties": properties,
            "additionalProperties": {"$ref": "#/$defs/field-any"}, "$defs": defs}


def generic_object_schema(module: str) -> dict[str, Any]:
    """The schema of an object of a module cpc has no kind for: identity and entry shape."""
    schema = object_schema("file", {}, {}, module)
    schema["title"] = f"an object of module {module!r}"
    return schema


def _compile(schema: Mapping[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FormatChecker())


@cache
def _compiled(key: str) -> Draft202012Validator:
    return _compile(json.loads(key))


def compiled(schema: Mapping[str, Any]) -> Draft202012Validator:
    """A validator for ``schema``, compiled once per distinct schema."""
    return _compiled(json.dumps(schema, sort_keys=True))


def object_validator(config: Config, module: str) -> Draft202012Validator:
    """The compiled validator for objects of ``module`` under the configuration."""
    kind = config.module_kind(module)
    if kind is None:
        return compiled(generic_object_schema(module))
    governance = config.section("governance")
    names = {k: str(v) for k, v in governance.items() if isinstance(v, str)}
    return compiled(object_schema(kind, config.fields(kind), names, module))


def customer_validators(config: Config) -> dict[str, Draft202012Validator]:
    """Validators of ``[schemas] modules`` (applied to each object of those modules in the
    JSON form; XML modules are checked by the XSD only); raises ConfigError naming each
    bad one."""
    named: Mapping[str, Any] = config.section("schemas").get("modules", {})
    base = config.source.parent if config.source else Path.cwd()
    found: dict[str, Draft202012Validator] = {}
    problems: list[str] = []
    for module, path in sorted(named.items()):
        option = f"schemas.modules.{module}"
        file = base / str(path)
        try:
            schema = json.loads(file.read_text(encoding="utf-8"))
            Draft202012Validator.check_schema(schema)
        except OSError as exc:
            problems.append(f"{option}: cannot read {file}: {exc.strerror}")
            continue
        except ValueError as exc:
            problems.append(f"{option}: {file} is not valid JSON: {exc}")
            continue
        except SchemaError as exc:
            problems.append(f"{option}: {file} is not a valid JSON Schema: {exc.message}")
            continue
        found[module] = compiled(schema)
    if problems:
        raise ConfigError("; ".join(problems))
    return found


def _escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _classify(path: tuple[Any, ...], validator: str) -> str:
    """The stable code of a schema error, from where in the object it is."""
    if "dimensions" in path:
        if path[-1] == "channel":
            return codes.CHANNEL_UNKNOWN
        if path[-1] == "locale":
            return codes.LOCALE_UNKNOWN
        if validator == "additionalProperties":
            return codes.DIMENSION_UNKNOWN
    if len(path) >= 3 and path[2] == "value":
        return codes.VALUE_TYPE
    if len(path) == 0 and validator == "required":
        return codes.OBJECT_KEYS
    if path and path[0] in IDENTITY:
        return codes.MODULE_MISMATCH if path[0] == "module" else codes.SCHEMA
    if len(path) <= 2:
        return codes.FIELD_SHAPE
    return codes.SCHEMA


def object_problems(validator: Draft202012Validator, obj: Any, file: str, pointer: str,
                    types: Mapping[str, FieldType]) -> list[Diagnostic]:
    """Schema errors of one object as diagnostics: file, JSON pointer, id, field, locale."""
    found: list[Diagnostic] = []
    for problem in validator.iter_errors(obj):
        found.append(_diagnostic(problem, obj, file, pointer, types))
    return found


def _diagnostic(problem: ValidationError, obj: Any, file: str, pointer: str,
                types: Mapping[str, FieldType]) -> Diagnostic:
    path = tuple(problem.absolute_path)
    name = str(path[0]) if path else ""
    locale = channel = ""
    if len(path) >= 2 and isinstance(obj, dict):
        try:
            dims = obj[name][path[1]].get("dimensions") or {}
            locale, channel = str(dims.get("locale", "")), str(dims.get("channel", ""))
        except (AttributeError, IndexError, KeyError, TypeError):
            pass
    code = _classify(path, str(problem.validator))
    message = problem.message
    if len(message) > MAX_MESSAGE:  # the message quotes the whole bad value
        message = message[:MAX_MESSAGE] + "…"
    if code == codes.VALUE_TYPE and name in types:
        message = f"field {name!r}: {message}; expected {EXPECTED[types[name].kind]}"
    elif code == codes.LOCALE_UNKNOWN and problem.validator == "pattern":
        # Say what a locale looks like instead of quoting the pattern alone.
        message = f"field {name!r}: {_locale_hint(str(problem.instance))}"
    elif name:
        message = f"field {name!r}: {message}"
    object_id = obj.get("id", "") if isinstance(obj, dict) else ""
    return error(code, message + "; fix it in 4ALLPORTAL and export again",
                 location=Location(file=file, pointer=pointer + "".join(
                     f"/{_escape(p)}" for p in path)),
                 object_id=str(object_id) if isinstance(object_id, str) else "",
                 field=name if name not in IDENTITY else "", locale=locale, channel=channel)


def header_problems(header: Mapping[str, Any]) -> Iterable[Diagnostic]:
    """export.json against ``schemas/export.schema.json``."""
    validator = compiled(load_schema("export.schema.json"))
    for problem in validator.iter_errors(dict(header)):
        pointer = "#" + "".join(f"/{_escape(p)}" for p in problem.absolute_path)
        message = problem.message
        path = tuple(problem.absolute_path)
        if path[:1] == ("locales",) and problem.validator == "pattern":
            message = _locale_hint(str(problem.instance))  # not the bare pattern
        yield error(codes.HEADER_SCHEMA, f"{message}; fix export.json",
                    location=Location(file="export.json", pointer=pointer))


def _locale_hint(given: str) -> str:
    """What a locale looks like, with the likely fix for ``de-DE``."""
    given = given[:40]
    hint = f"; did you mean {given.replace('-', '_')!r}?" if "-" in given else ""
    return f"locale {given!r} is not written language_COUNTRY (e.g. de_DE){hint}"


def module_document_problems(document: Any, file: str) -> list[Diagnostic]:
    """A JSON module file against ``schemas/module.schema.json`` (not its objects)."""
    validator = compiled(load_schema("module.schema.json"))
    return [error(codes.MODULE_SHAPE, f"{p.message}; export the module through the "
                  "4ALLPORTAL objects API",
                  location=Location(file=file, pointer="#" + "".join(
                      f"/{_escape(x)}" for x in p.absolute_path)))
            for p in validator.iter_errors(document)]


def default_object_schemas(config: Config) -> dict[str, dict[str, Any]]:
    """kind -> the object schema under ``config``'s mapping (schemas/objects/ holds the
    defaults' ones, for people and tools to read)."""
    governance = {k: str(v) for k, v in config.section("governance").items()
                  if isinstance(v, str)}
    found: dict[str, dict[str, Any]] = {}
    for kind in FIELD_TYPES:
        schema = object_schema(kind, config.fields(kind), governance, config.module_name(kind))
        found[kind] = {"$schema": schema.pop("$schema"),
                       "$id": f"https://cpc.example/schemas/objects/{kind}.schema.json",
                       **schema}
    return found


def render_schema(schema: Mapping[str, Any]) -> str:
    """A schema as the committed file's text (sorted keys are not used: order reads well)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    from compiler.config import load_config

    for kind, schema in default_object_schemas(load_config(None, cwd=Path("/nonexistent"))
                                               ).items():
        (schema_path("objects") / f"{kind}.schema.json").write_text(render_schema(schema),
                                                                   encoding="utf-8")
