"""Loads an export (from a snapshot or an export reader) into the model.

Reading goes module by module: the header names each module's file, the file's
extension picks the form (JSON or XML), the configuration's mapping turns field names
into meanings, and every value is coerced to its field type. Every problem found on
the way is collected, never raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from compiler.config import MODULE_KINDS, Config
from compiler.diagnostics import Diagnostic, Location, error
from compiler.model.fields import FIELD_TYPES, GOVERNANCE_TYPES, CoercionError, coerce
from compiler.model.items import Governance, Item, Localised, LocalisedValue, Model, asset_key
from compiler.model.json_form import read_json_module
from compiler.model.objects import ExportObject, ModuleFile
from compiler.model.xml_form import read_xml_module

READERS = {"json": read_json_module, "xml": read_xml_module}


class ExportFiles(Protocol):
    """What the loader needs of an export: its header and its files' bytes."""

    @property
    def header(self) -> Mapping[str, Any]: ...

    def read_bytes(self, path: str) -> bytes: ...

    def paths(self) -> list[str]: ...


@dataclass
class Loaded:
    """The model, the module files as read, and every problem met while loading."""

    model: Model
    modules: list[ModuleFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_modules(export: ExportFiles) -> tuple[list[ModuleFile], list[Diagnostic]]:
    """Read every module file the header names, in the header's order."""
    problems: list[Diagnostic] = []
    modules: list[ModuleFile] = []
    named = export.header.get("modules")
    if not isinstance(named, Mapping):
        return modules, problems
    available = set(export.paths())
    for module, path in named.items():
        if not isinstance(path, str):
            continue
        form = path.rsplit(".", 1)[-1].lower()
        reader = READERS.get(form)
        if reader is None:
            problems.append(error("E-MODULE-FORM",
                                  f"module {module!r}: {path} is neither .json nor .xml",
                                  location=Location(file="export.json",
                                                    pointer=f"#/modules/{module}")))
            continue
        if path not in available:
            problems.append(error("E-MODULE-MISSING",
                                  f"module {module!r} is named in export.json but {path} "
                                  "is not in the export",
                                  location=Location(file="export.json",
                                                    pointer=f"#/modules/{module}")))
            continue
        module_file, found = reader(export.read_bytes(path), path, module)
        modules.append(module_file)
        problems.extend(found)
    return modules, problems


def _field_values(obj: ExportObject, name: str, field_type: Any, meaning: str,
                  problems: list[Diagnostic]) -> Any:
    """Coerce one field; a localised field keeps every entry, others take the unscoped one."""
    typed: list[LocalisedValue] = []
    for entry in obj.entries(name):
        try:
            value = coerce(entry.value, field_type)
        except CoercionError as exc:
            problems.append(error("E-VALUE-TYPE", f"field {name!r}: {exc}",
                                  location=entry.location, object_id=obj.id, field=name,
                                  locale=entry.locale or ""))
            continue
        typed.append(LocalisedValue(value, entry.locale, entry.channel))
    if not typed:
        return None
    if field_type.localised:
        return Localised(tuple(typed))
    best = max(typed, key=lambda e: (2 if e.locale else 0) + (1 if e.channel else 0))
    unscoped = [e for e in typed if e.locale is None and e.channel is None]
    return (unscoped[0] if unscoped else best).value


def build_item(kind: str, obj: ExportObject, config: Config, path: str,
               problems: list[Diagnostic]) -> Item:
    """One export object as an item of ``kind``, through the field mapping."""
    values: dict[str, Any] = {}
    for meaning, name in config.fields(kind).items():
        if not name:
            continue
        value = _field_values(obj, name, FIELD_TYPES[kind][meaning], meaning, problems)
        if value is not None:
            values[meaning] = value
    gov_names = config.governance
    governance = Governance(**{
        meaning.replace("approval_status", "status"): _field_values(
            obj, getattr(gov_names, meaning), field_type, meaning, problems)
        for meaning, field_type in GOVERNANCE_TYPES.items()
    })
    if kind == "file":
        key = values.get("key") or asset_key(str(values.get("file_name") or obj.id), obj.id)
    elif kind == "product":
        key = str(values.get("sku") or "")
    else:
        key = str(values.get("key") or "")
    return Item(kind=kind, id=obj.id.lower(), module=obj.module, type=obj.type,
                version=obj.version, mod_time=obj.mod_time, key=key, values=values,
                governance=governance, source=obj, file=path)


def required_locales(header: Mapping[str, Any], config: Config) -> tuple[str, ...]:
    """The locales a release requires: the configured ones, else the export's."""
    if config.required_locales:
        return config.required_locales
    locales = header.get("locales")
    return tuple(x for x in locales if isinstance(x, str)) if isinstance(locales, list) else ()


def _described(item: Item) -> str:
    """``text_block DISC-GENERAL``, or ``text_block without a key`` (``product without a sku``)."""
    if item.key:
        return f"{item.kind} {item.key}"
    return f"{item.kind} without a {'sku' if item.kind == 'product' else 'key'}"


def _duplicate_id(item: Item, first: Item) -> Diagnostic:
    """E-ID-DUPLICATE at ``item``, a later object with the id of ``first``, naming ``first``.

    The diagnostic is at the duplicate's own location and carries its own key; the message
    says where the first occurrence is (file and pointer, or file:line for XML) and whose it
    is, so both can be found. The duplicate is left out of the model: references to the id
    resolve to the first occurrence.
    """
    spelled = f", spelled {first.source.id}" if first.source.id != item.source.id else ""
    return error("E-ID-DUPLICATE",
                 f"id {item.source.id} is also used by {_described(first)} "
                 f"({first.location}{spelled}); ids must be unique across the export: this "
                 f"{_described(item)} is ignored, references to the id resolve to that "
                 f"{first.kind}",
                 location=item.location, object_id=item.id, key=item.key)


def _of_duplicate(diagnostic: Diagnostic, item: Item) -> Diagnostic:
    """A diagnostic about a duplicate ``item``, labelled as that object and no other.

    Validation later labels a keyless diagnostic with the key of the model's item of that
    id, which for a duplicate is the *first* occurrence's key. So a duplicate's
    diagnostics carry its own key; a duplicate without a key carries no object id either
    (the message and location still name it), rather than another object's key.
    """
    if item.key:
        return replace(diagnostic, key=item.key)
    return replace(diagnostic, object_id="", key="")


def load_model(export: ExportFiles, config: Config,
               modules: list[ModuleFile] | None = None) -> Loaded:
    """Read the whole export into the model, collecting every problem.

    ``modules``, when given, are the module files already read (validation parses each
    file once, for its schema and for the model); else they are read here.
    """
    problems: list[Diagnostic] = []
    if modules is None:
        modules, problems = read_modules(export)
    header = dict(export.header)
    model = Model(header=header, locales=required_locales(header, config))
    for module_file in modules:
        kind = config.module_kind(module_file.module)
        if kind is None:
            model.unknown_modules[module_file.module] = module_file.objects
            continue
        for obj in module_file.objects:
            found: list[Diagnostic] = []
            item = build_item(kind, obj, config, module_file.path, found)
            first = model.items.get(item.id)
            if first is not None:
                problems.extend(_of_duplicate(d, item) for d in found)
                problems.append(_of_duplicate(_duplicate_id(item, first), item))
                continue
            problems.extend(found)
            model.items[item.id] = item
    return Loaded(model=model, modules=modules, diagnostics=problems)


__all__ = ["MODULE_KINDS", "ExportFiles", "Loaded", "load_model", "read_modules"]
