"""The model: mapping, the dimension rule, typed values, and JSON/XML equivalence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree

from compiler.config import load_config
from compiler.model import asset_key, load_model
from tests.conftest import MemoryExport, entry

PRODUCT_ID = "0f8e3c1a-6b7d-4e2f-9a51-3c2d1e0f9b77"
IMAGE_ID = "5b1e0000-1111-4222-8333-444455556666"


def _export(objects: dict[str, list[dict[str, Any]]], forms: dict[str, str] | None = None,
            extra: dict[str, bytes] | None = None) -> MemoryExport:
    forms = forms or {}
    files: dict[str, bytes] = {}
    modules = {}
    for module, objs in objects.items():
        form = forms.get(module, "json")
        path = f"modules/{module}.{form}"
        modules[module] = path
        doc = {"total_count": len(objs), "result": objs}
        files[path] = (json.dumps(doc).encode() if form == "json"
                       else json_module_to_xml(doc, module))
    header = {"format": "4allportal-export/1", "exported_at": "2026-11-28T09:15:00Z",
              "locales": ["de_DE", "en_GB"], "modules": modules}
    files["export.json"] = json.dumps(header).encode()
    files.update(extra or {})
    return MemoryExport(files)


def json_module_to_xml(document: dict[str, Any], module: str) -> bytes:
    """Write a JSON-form module in the XML form of export-format.md."""
    root = etree.Element("objects", module=module, total_count=str(document["total_count"]))
    for obj in document["result"]:
        element = etree.SubElement(root, "object", id=obj["id"], module=obj["module"],
                                   type=obj["type"], mod_time=obj["mod_time"],
                                   version=str(obj["version"]))
        for name, entries in obj.items():
            if name in ("id", "module", "type", "mod_time", "version"):
                continue
            field = etree.SubElement(element, "field", name=name)
            for item in entries:
                value = etree.SubElement(field, "value", **item["dimensions"])
                v = item["value"]
                if isinstance(v, list):
                    for part in v:
                        child = etree.SubElement(value, "id" if _is_guid(part) else "item")
                        child.text = part
                elif isinstance(v, bool):
                    value.text = "true" if v else "false"
                elif isinstance(v, dict):
                    value.text = json.dumps(v)
                else:
                    value.text = str(v)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _is_guid(text: str) -> bool:
    return len(text) == 36 and text.count("-") == 4


def _product(**fields: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": PRODUCT_ID, "module": "product", "type": "product",
            "mod_time": "2026-11-20T14:02:11Z", "version": 7, **fields}


def test_most_specific_entry_wins() -> None:
    export = _export({"product": [_product(
        sku=[entry("HOME-PLUS")],
        name=[entry("Home"), entry("Hausrat Plus", "de_DE"), entry("Home Contents Plus", "en_GB"),
              entry("HAUSRAT PLUS (print)", "de_DE", "print"), entry("Any print", None, "print")],
    )]})
    loaded = load_model(export, load_config(cwd=Path("/nonexistent")))
    assert loaded.diagnostics == []
    product = loaded.model.products[0]
    assert product.key == "HOME-PLUS"
    assert product.text("name", "de_DE") == "Hausrat Plus"
    assert product.text("name", "de_DE", "print") == "HAUSRAT PLUS (print)"
    assert product.text("name", "en_GB", "print") == "Home Contents Plus"  # locale beats channel
    assert product.text("name", "fr_FR", "print") == "Any print"
    assert product.text("name", "en_GB", "email") == "Home Contents Plus"
    assert product.text("name", "fr_FR") == "Home"


def test_field_names_come_from_the_mapping(tmp_path: Path) -> None:
    (tmp_path / "cpc.toml").write_text('[fields.product]\nsku = "artikelnummer"\n')
    export = _export({"product": [_product(artikelnummer=[entry("KFZ-1")])]})
    product = load_model(export, load_config(cwd=tmp_path)).model.products[0]
    assert product.key == "KFZ-1"


def test_wrong_value_types_are_reported_where_they_are() -> None:
    export = _export({"product": [_product(sku=[entry(5)], images=[entry(["not-a-guid"])],
                                           valid_until=[entry("2026-02-30")])]})
    loaded = load_model(export, load_config(cwd=Path("/nonexistent")))
    found = {(d.code, d.field, str(d.location)) for d in loaded.diagnostics}
    assert ("E-VALUE-TYPE", "sku", "modules/product.json#/result/0/sku/0") in found
    assert ("E-VALUE-TYPE", "images", "modules/product.json#/result/0/images/0") in found
    assert any(d.field == "valid_until" and "not a calendar date" in d.message
               for d in loaded.diagnostics)


def test_json_and_xml_forms_yield_equal_models() -> None:
    objects = {
        "product": [_product(sku=[entry("HOME-PLUS")], name=[entry("Hausrat", "de_DE")],
                             images=[entry([IMAGE_ID])], segments=[entry(["young-families"])],
                             approval_status=[entry("approved")],
                             approved_at=[entry("2026-11-01T10:00:00Z")],
                             valid_from=[entry("2026-01-01")])],
        "file": [{"id": IMAGE_ID, "module": "file", "type": "image",
                  "mod_time": "2026-11-20T14:02:11Z", "version": 2,
                  "file_name": [entry("Tagesgeld Übersicht.jpg")], "width": [entry(2400)],
                  "focal_point": [entry({"x": 0.5, "y": 0.25})]}],
    }
    config = load_config(cwd=Path("/nonexistent"))
    as_json = load_model(_export(objects), config)
    as_xml = load_model(_export(objects, forms={"product": "xml", "file": "xml"}), config)
    assert as_json.diagnostics == [] and as_xml.diagnostics == []
    for item_id, item in as_json.model.items.items():
        other = as_xml.model.items[item_id]
        assert other.canonical() == item.canonical()
        assert other.sha256 == item.sha256
    assert as_json.model.assets[0].key == "tagesgeld-ubersicht-5b1e0000"


def test_asset_key_rule_from_the_contract() -> None:
    assert asset_key("Tagesgeld Übersicht.jpg", "432b7c5d-0000-4000-8000-000000000000") == (
        "tagesgeld-ubersicht-432b7c5d")
    assert asset_key("logo.png", "ABCDEF12-0000-4000-8000-000000000000") == "logo-abcdef12"


BLOCK_IDS = ("d1500000-0000-4000-8000-000000000001", "d1500000-0000-4000-8000-000000000002",
             "d1500000-0000-4000-8000-000000000003")


def _block(object_id: str, key: str | None) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": object_id, "module": "text_block", "type": "text_block",
                           "mod_time": "2026-11-20T14:02:11Z", "version": 2,
                           "block_type": [entry("disclaimer")]}
    if key is not None:
        obj["key"] = [entry(key)]
    return obj


def _duplicates(loaded: Any) -> list[Any]:
    return [d for d in loaded.diagnostics if d.code == "E-ID-DUPLICATE"]


def test_duplicate_id_is_reported_at_the_duplicate_with_its_own_key() -> None:
    blocks = [_block(BLOCK_IDS[0], "DISC-GENERAL"), _block(BLOCK_IDS[0], "DISC-HOME-EXCESS")]
    loaded = load_model(_export({"text_block": blocks}), load_config(cwd=Path("/nonexistent")))
    (found,) = _duplicates(loaded)
    assert str(found.location) == "modules/text_block.json#/result/1"
    assert found.key == "DISC-HOME-EXCESS" and found.object_id == BLOCK_IDS[0]
    assert found.format().startswith(
        "error E-ID-DUPLICATE modules/text_block.json#/result/1 (DISC-HOME-EXCESS): ")
    assert ("also used by text_block DISC-GENERAL (modules/text_block.json#/result/0)"
            in found.message)
    assert loaded.model.items[BLOCK_IDS[0]].key == "DISC-GENERAL"  # the first one is kept


def test_each_later_duplicate_names_the_first() -> None:
    blocks = [_block(BLOCK_IDS[0], "A"), _block(BLOCK_IDS[0], "B"), _block(BLOCK_IDS[0], "C")]
    loaded = load_model(_export({"text_block": blocks}), load_config(cwd=Path("/nonexistent")))
    found = _duplicates(loaded)
    assert [(str(d.location), d.key) for d in found] == [
        ("modules/text_block.json#/result/1", "B"), ("modules/text_block.json#/result/2", "C")]
    assert all("also used by text_block A (modules/text_block.json#/result/0)" in d.message
               for d in found)


def test_duplicate_id_across_modules_names_the_other_kind_and_file() -> None:
    export = _export({"product": [_product(sku=[entry("HOME-BASIC")])],
                      "text_block": [_block(PRODUCT_ID, "DISC-GENERAL")]})
    loaded = load_model(export, load_config(cwd=Path("/nonexistent")))
    (found,) = _duplicates(loaded)
    assert str(found.location) == "modules/text_block.json#/result/0"
    assert found.key == "DISC-GENERAL"
    assert "also used by product HOME-BASIC (modules/product.json#/result/0)" in found.message
    assert "this text_block DISC-GENERAL is ignored" in found.message


def test_duplicate_id_in_the_xml_form_gives_lines_and_ignores_case() -> None:
    offers = [_offer(BLOCK_IDS[0], "OFF-A"), _offer(BLOCK_IDS[1], "OFF-B"),
              _offer(BLOCK_IDS[0].upper(), "OFF-C", priority="high")]
    export = _export({"offer": offers}, forms={"offer": "xml"})
    root = etree.fromstring(export.files["modules/offer.xml"])
    export.files["modules/offer.xml"] = etree.tostring(root, pretty_print=True)
    lines = [element.sourceline for element in etree.fromstring(
        export.files["modules/offer.xml"]).iter("object")]
    loaded = load_model(export, load_config(cwd=Path("/nonexistent")))
    (found,) = _duplicates(loaded)
    assert str(found.location) == f"modules/offer.xml:{lines[2]}" and found.key == "OFF-C"
    assert found.format().startswith(
        f"error E-ID-DUPLICATE modules/offer.xml:{lines[2]} (OFF-C): ")
    assert (f"also used by offer OFF-A (modules/offer.xml:{lines[0]}, spelled {BLOCK_IDS[0]})"
            in found.message)
    # the duplicate's own problems are labelled with its key, not with the first's
    (bad,) = [d for d in loaded.diagnostics if d.code == "E-VALUE-TYPE"]
    assert bad.field == "priority" and bad.key == "OFF-C"


def test_duplicate_without_a_key_is_not_labelled_as_the_first() -> None:
    blocks = [_block(BLOCK_IDS[0], "DISC-GENERAL"), _block(BLOCK_IDS[0], None)]
    loaded = load_model(_export({"text_block": blocks}), load_config(cwd=Path("/nonexistent")))
    (found,) = _duplicates(loaded)
    assert str(found.location) == "modules/text_block.json#/result/1"
    assert found.key == "" and found.object_id == ""
    assert BLOCK_IDS[0] in found.message and "this text_block without a key" in found.message
    assert "(DISC-GENERAL)" not in found.format().split(":")[0]


def _offer(object_id: str, key: str, priority: Any = 5) -> dict[str, Any]:
    return {"id": object_id, "module": "offer", "type": "offer",
            "mod_time": "2026-11-20T14:02:11Z", "version": 1, "key": [entry(key)],
            "priority": [entry(priority)]}
