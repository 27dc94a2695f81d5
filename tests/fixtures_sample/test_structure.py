"""The sample export has the layout, header, object shapes and counts the brief asks for."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime

import pytest

from tests.fixtures_sample.sample import (
    ASSET_ROLES,
    BLOCK_TYPES,
    CHANNELS,
    EXPORT,
    LOCALES,
    LOCALISED,
    TRIGGERS,
    default_field_names,
    load,
    value,
)

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
KEY = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")
HEADER_KEYS = ("id", "module", "type", "mod_time", "version")
GOVERNANCE = ("approval_status", "approved_by", "approved_at")
DATE_FIELDS = ("valid_from", "valid_until", "rights_valid_until")
MODULE_KIND = {"product": "product", "file": "file", "text_block": "text_block",
               "offer": "offer"}


def test_header_matches_the_export_contract() -> None:
    header = json.loads((EXPORT / "export.json").read_text("utf-8"))
    assert header["format"] == "4allportal-export/1"
    assert header["exported_at"] == "2026-11-28T09:15:00Z"
    assert header["connector"] == "exstream"
    assert header["exported_by"] and header["system"]["name"] == "4ALLPORTAL"
    assert isinstance(header["cursor"]["last_event_id"], int)
    assert header["locales"] == list(LOCALES)
    assert header["modules"] == {
        "product": "modules/product.json", "file": "modules/file.json",
        "text_block": "modules/text_block.json", "offer": "modules/offer.xml",
    }


def test_export_holds_only_what_the_reader_reads() -> None:
    header = load().header
    expected = {"export.json", *header["modules"].values()}
    for path in EXPORT.rglob("*"):
        rel = path.relative_to(EXPORT).as_posix()
        assert not path.is_symlink(), rel
        if path.is_file():
            assert rel in expected or (rel.startswith("files/") and rel.count("/") == 2), rel


def test_json_modules_state_their_total_count() -> None:
    for module, rel in load().header["modules"].items():
        if rel.endswith(".json"):
            document = json.loads((EXPORT / rel).read_text("utf-8"))
            assert set(document) == {"total_count", "result"}
            assert document["total_count"] == len(document["result"]), module


def test_counts_hold() -> None:
    sample = load()
    products, blocks = sample.modules["product"], sample.modules["text_block"]
    files, offers = sample.modules["file"], sample.modules["offer"]
    assert len(products) >= 12
    assert len({value(p, "product_line") for p in products}) >= 3
    assert len(blocks) >= 40
    assert len(files) >= 25
    assert len(offers) >= 6
    assert len(sample.segments) >= 5
    assert len(sample.templates) >= 8


def test_every_block_type_in_both_locales() -> None:
    blocks = load().modules["text_block"]
    types = Counter(value(b, "block_type") for b in blocks)
    assert set(types) == BLOCK_TYPES
    for block in blocks:
        for locale in LOCALES:
            assert value(block, "body", locale), (value(block, "key"), locale)


def test_every_asset_role_is_present() -> None:
    roles = {value(f, "asset_role") for f in load().modules["file"]}
    assert roles == ASSET_ROLES


@pytest.mark.parametrize("module", ["product", "file", "text_block", "offer"])
def test_objects_have_header_keys_and_entry_shapes(module: str) -> None:
    allowed = default_field_names()[MODULE_KIND[module]]
    for obj in load().modules[module]:
        assert list(obj)[:5] == list(HEADER_KEYS), obj["id"]
        assert GUID.match(obj["id"]) and len(obj["id"]) == 36
        assert obj["module"] == module and obj["type"]
        assert datetime.strptime(obj["mod_time"], "%Y-%m-%dT%H:%M:%SZ")
        assert isinstance(obj["version"], int) and obj["version"] >= 1
        fields = {k: v for k, v in obj.items() if k not in HEADER_KEYS}
        assert set(fields) <= allowed, set(fields) - allowed
        for name, entries in fields.items():
            assert isinstance(entries, list), (obj["id"], name)
            seen = set()
            for entry in entries:
                assert set(entry) == {"value", "dimensions"}, (obj["id"], name)
                dims = entry["dimensions"]
                assert set(dims) <= {"locale", "channel"}, (obj["id"], name)
                assert dims.get("locale", LOCALES[0]) in LOCALES
                assert dims.get("channel", "print") in CHANNELS
                key = tuple(sorted(dims.items()))
                assert key not in seen, f"{obj['id']} {name}: two entries for {dims}"
                seen.add(key)
            if name not in LOCALISED[module]:
                assert all("locale" not in e["dimensions"] for e in entries), name


def test_governance_fields_on_every_object() -> None:
    for obj in load().objects():
        for name in GOVERNANCE:
            assert name in obj, (obj["id"], name)
        if value(obj, "approval_status") == "approved":
            by, at = value(obj, "approved_by"), value(obj, "approved_at")
            assert by and datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ"), obj["id"]
            assert at <= obj["mod_time"], obj["id"]
        for name in DATE_FIELDS:
            if name in obj:
                date.fromisoformat(value(obj, name))
        if obj["module"] == "file":
            assert value(obj, "rights_status") and value(obj, "copyright"), obj["id"]
            assert date.fromisoformat(value(obj, "rights_valid_until")), obj["id"]
            kind = "image" if value(obj, "mime_type").startswith("image/") else "document"
            assert obj["type"] == kind, obj["id"]


def test_keys_are_unique_and_well_formed() -> None:
    sample = load()
    keys = [value(o, "key") for m in ("text_block", "offer") for o in sample.modules[m]]
    assert all(KEY.match(k) for k in keys), keys
    assert len(set(keys)) == len(keys)
    skus = [value(p, "sku") for p in sample.modules["product"]]
    assert len(set(skus)) == len(skus) and all(KEY.match(s) for s in skus)
    ids = [o["id"] for o in sample.objects()]
    assert len(set(ids)) == len(ids)


def test_products_carry_all_default_fields() -> None:
    wanted = {"sku", "name", "short_description", "features", "images", "disclaimers",
              "fee_table", "onboarding", "segments", "product_line"}
    for product in load().modules["product"]:
        assert wanted <= set(product), value(product, "sku")
        for locale in LOCALES:
            assert value(product, "features", locale).startswith("<ul>")


def test_offers_carry_all_default_fields() -> None:
    for offer in load().modules["offer"]:
        assert value(offer, "cta_url").startswith("https://")
        assert set(value(offer, "triggers")) <= TRIGGERS
        assert isinstance(int(value(offer, "priority")), int)
        for name in ("headline", "body", "cta_label", "banner", "segments", "products"):
            assert name in offer, (value(offer, "key"), name)


def test_exstream_data_shapes() -> None:
    sample = load()
    for segment in sample.segments:
        assert set(segment) == {"key", "name", "description"}
    assert len({s["key"] for s in sample.segments}) == len(sample.segments)
    for template in sample.templates:
        assert set(template) == {"template", "channel", "uses"}
        assert template["channel"] in CHANNELS and template["uses"]
