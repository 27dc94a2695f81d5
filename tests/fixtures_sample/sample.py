"""Reading the Nordlicht sample for its own tests, independently of the compiler.

The tests of the sample must not depend on the code they will later check, so this
module reads the export with the standard library and Pillow only, and states the
release rules of export-format.md (approval, validity, rights, locales) in a few lines.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parents[2]
EXPORT = REPO / "fixtures" / "exports" / "nordlicht"
EXSTREAM = REPO / "fixtures" / "exstream" / "nordlicht"
GENERATOR = REPO / "fixtures" / "tools" / "make_sample.py"
DEFAULTS = REPO / "compiler" / "config" / "defaults.toml"
EFFECTIVE = date(2026, 11, 28)
LOCALES = ("de_DE", "en_GB")
CHANNELS = {"print", "email", "web", "mobile"}
TRIGGERS = {"policy_renewal", "claim_completed", "billing_milestone", "policy_activated"}
BLOCK_TYPES = {"disclaimer", "terms", "fee_table", "factsheet", "description", "faq", "cta",
               "feature_summary"}
ASSET_ROLES = {"logo", "icon", "illustration", "product_image", "banner", "layout_component",
               "guide"}
LOCALISED = {
    "product": {"name", "short_description", "features"},
    "file": {"title", "alt_text"},
    "text_block": {"title", "body"},
    "offer": {"headline", "body", "cta_label"},
}
ID_LIST_FIELDS = {"images", "disclaimers", "onboarding", "products"}

Obj = dict[str, Any]


def parse_xml_module(path: Path) -> tuple[ElementTree.Element, list[Obj]]:
    """The XML form read into the JSON form's shape (lists from ``<id>``/``<item>``)."""
    root = ElementTree.parse(path).getroot()
    objects = []
    for element in root.findall("object"):
        obj: Obj = dict(element.attrib)
        obj["version"] = int(obj["version"])
        for field_element in element.findall("field"):
            entries = []
            for value in field_element.findall("value"):
                children = list(value)
                parsed: Any = [c.text or "" for c in children] if children else (value.text or "")
                if field_element.get("name") in ID_LIST_FIELDS and not children:
                    parsed = []
                entries.append({"value": parsed, "dimensions": dict(value.attrib)})
            obj[field_element.attrib["name"]] = entries
        objects.append(obj)
    return root, objects


@dataclass
class Sample:
    """The export, its modules by name, and the Exstream data."""

    header: dict[str, Any]
    modules: dict[str, list[Obj]]
    segments: list[dict[str, str]]
    templates: list[dict[str, Any]]
    by_id: dict[str, Obj] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {o["id"]: o for objects in self.modules.values() for o in objects}

    def objects(self) -> list[Obj]:
        return [o for objects in self.modules.values() for o in objects]


@cache
def load() -> Sample:
    """Read the committed sample (cached: the tests only read it)."""
    header = json.loads((EXPORT / "export.json").read_text("utf-8"))
    modules = {}
    for module, rel in header["modules"].items():
        path = EXPORT / rel
        if rel.endswith(".json"):
            modules[module] = json.loads(path.read_text("utf-8"))["result"]
        else:
            modules[module] = parse_xml_module(path)[1]
    return Sample(
        header=header,
        modules=modules,
        segments=json.loads((EXSTREAM / "segments.json").read_text("utf-8")),
        templates=json.loads((EXSTREAM / "template-usage.json").read_text("utf-8")),
    )


def default_field_names() -> dict[str, set[str]]:
    """Field names per module kind from defaults.toml, governance included."""
    config = tomllib.loads(DEFAULTS.read_text("utf-8"))
    governance = {v for k, v in config["governance"].items() if isinstance(v, str)}
    return {kind: {v for v in fields.values() if v} | governance
            for kind, fields in config["fields"].items()}


def value(obj: Obj, name: str, locale: str | None = None, channel: str | None = None) -> Any:
    """The most specific value of a field (locale+channel, locale, channel, none)."""
    entries = obj.get(name, [])
    wanted = [{"locale": locale, "channel": channel}, {"locale": locale}, {"channel": channel},
              {}]
    for dims in wanted:
        if None in dims.values():
            continue
        for entry in entries:
            if entry["dimensions"] == dims:
                return entry["value"]
    return None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def exclusion_reason(obj: Obj) -> str | None:
    """Why the default release leaves ``obj`` out, or None when it is released."""
    if value(obj, "approval_status") != "approved":
        return "not_approved"
    if not value(obj, "approved_by") or not value(obj, "approved_at"):
        return "not_approved"
    start, end = _day(value(obj, "valid_from")), _day(value(obj, "valid_until"))
    if end is not None and end < EFFECTIVE:
        return "expired"
    if start is not None and start > EFFECTIVE:
        return "not_yet_valid"
    if obj["module"] == "file":
        rights_end = _day(value(obj, "rights_valid_until"))
        if value(obj, "rights_status") != "cleared":
            return "rights_not_cleared"
        if rights_end is not None and rights_end < EFFECTIVE:
            return "rights_not_cleared"
    for name in LOCALISED[obj["module"]]:
        for locale in LOCALES:
            if value(obj, name, locale) is None:
                return "missing_locale"
    return None


def references(obj: Obj) -> list[tuple[str, str]]:
    """(field, id) for every relation of an object."""
    out = []
    for name in ("images", "disclaimers", "onboarding", "products", "fee_table", "banner"):
        for entry in obj.get(name, []):
            ids = entry["value"] if isinstance(entry["value"], list) else [entry["value"]]
            out += [(name, i) for i in ids]
    return out


def asset_key(file_name: str, oid: str) -> str:
    """The asset key rule of package-format.md, written independently of the generator."""
    stem = file_name.rsplit(".", 1)[0]
    decomposed = unicodedata.normalize("NFKD", stem)
    ascii_ = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") + "-" + oid[:8]
