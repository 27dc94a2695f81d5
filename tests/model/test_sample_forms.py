"""The sample export loads cleanly, and its JSON and XML forms yield equal models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree

from compiler.config import load_config
from compiler.model import load_model
from tests.conftest import MemoryExport
from tests.model.test_load import json_module_to_xml


def xml_module_to_json(data: bytes) -> bytes:
    """Write an XML-form module in the JSON form of export-format.md."""
    root = etree.fromstring(data)
    result: list[dict[str, Any]] = []
    for element in root.iterfind("object"):
        obj: dict[str, Any] = {k: element.get(k) for k in ("id", "module", "type", "mod_time")}
        obj["version"] = int(element.get("version"))
        for field in element.iterfind("field"):
            entries = []
            for value in field.iterfind("value"):
                children = list(value)
                v: Any = [c.text for c in children] if children else (value.text or "")
                dims = {k: value.get(k) for k in ("locale", "channel") if value.get(k)}
                entries.append({"value": v, "dimensions": dims})
            obj[field.get("name")] = entries
        result.append(obj)
    return json.dumps({"total_count": len(result), "result": result}).encode()


def _swap(export: MemoryExport, module: str, new_path: str, data: bytes) -> MemoryExport:
    files = dict(export.files)
    header = json.loads(files["export.json"])
    del files[header["modules"][module]]
    header["modules"][module] = new_path
    files[new_path] = data
    files["export.json"] = json.dumps(header).encode()
    return MemoryExport(files)


def test_the_sample_loads_without_a_problem(sample_path: Path) -> None:
    loaded = load_model(MemoryExport.from_folder(sample_path), load_config(cwd=sample_path))
    assert loaded.diagnostics == []
    counts = {k: len(loaded.model.of_kind(k)) for k in ("product", "file", "text_block", "offer")}
    assert counts["product"] >= 12 and counts["file"] >= 25
    assert counts["text_block"] >= 40 and counts["offer"] >= 6


def test_json_and_xml_forms_of_the_sample_give_equal_models(sample_path: Path) -> None:
    config = load_config(cwd=sample_path)
    original = MemoryExport.from_folder(sample_path)
    header = json.loads(original.files["export.json"])
    json_product = original.files[header["modules"]["product"]]
    xml_offer = original.files[header["modules"]["offer"]]
    assert header["modules"]["offer"].endswith(".xml")

    swapped = _swap(original, "product", "modules/product.xml",
                    json_module_to_xml(json.loads(json_product), "product"))
    swapped = _swap(swapped, "offer", "modules/offer.json", xml_module_to_json(xml_offer))

    before = load_model(original, config)
    after = load_model(swapped, config)
    assert after.diagnostics == []
    assert set(before.model.items) == set(after.model.items)
    for item_id, item in before.model.items.items():
        assert after.model.items[item_id].canonical() == item.canonical(), item.key
