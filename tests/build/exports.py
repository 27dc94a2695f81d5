"""Editing a copy of the sample export the way 4ALLPORTAL would change it between exports."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from lxml import etree
from PIL import Image

from compiler.resources import sample_export


class EditableExport:
    """A copy of the sample export in a folder, with small, realistic edits."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(sample_export(), folder)

    # --- JSON modules -------------------------------------------------------------------
    def _module(self, module: str) -> tuple[Path, dict[str, Any]]:
        path = self.folder / "modules" / f"{module}.json"
        return path, json.loads(path.read_text(encoding="utf-8"))

    def edit(self, module: str, key_field: str, key: str) -> dict[str, Any]:
        """The JSON object whose ``key_field`` is ``key`` (edit it, then :meth:`save`)."""
        path, document = self._module(module)
        self._open = (path, document)
        for obj in document["result"]:
            if any(e["value"] == key for e in obj.get(key_field, [])):
                return obj  # type: ignore[no-any-return]
        raise KeyError(key)

    def save(self) -> None:
        """Write back the module opened by the last :meth:`edit` or :meth:`remove`."""
        path, document = self._open
        document["total_count"] = len(document["result"])
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")

    def set_field(self, module: str, key_field: str, key: str, field: str, value: Any,
                  locale: str | None = None) -> None:
        """Set one entry of a field (the entry of ``locale``, or the unscoped one)."""
        obj = self.edit(module, key_field, key)
        dims = {"locale": locale} if locale else {}
        entries = [e for e in obj.get(field, []) if e["dimensions"] != dims]
        obj[field] = [*entries, {"value": value, "dimensions": dims}]
        self.save()

    def text_of(self, module: str, key_field: str, key: str, field: str, locale: str) -> str:
        """The current value of a localised field."""
        obj = self.edit(module, key_field, key)
        return next(str(e["value"]) for e in obj[field]
                    if e["dimensions"].get("locale") == locale and "channel" not in
                    e["dimensions"])

    def remove(self, module: str, key_field: str, key: str) -> None:
        """Withdraw an object from the export."""
        obj = self.edit(module, key_field, key)
        self._open[1]["result"].remove(obj)
        self.save()

    def replace_master(self, file_key_prefix: str) -> str:
        """Replace an image's master with another picture of the same size; its new sha256."""
        path, document = self._module("file")
        self._open = (path, document)
        obj = next(o for o in document["result"]
                   if o["id"].startswith(file_key_prefix.rsplit("-", 1)[1]))
        name = obj["file_name"][0]["value"]
        master = self.folder / "files" / obj["id"] / name
        with Image.open(master) as old:
            size = old.size
        picture = Image.new("RGB", size, (40, 90, 160))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=85)
        master.write_bytes(buffer.getvalue())
        digest = hashlib.sha256(buffer.getvalue()).hexdigest()
        obj["sha256"] = [{"value": digest, "dimensions": {}}]
        obj["size"] = [{"value": len(buffer.getvalue()), "dimensions": {}}]
        self.save()
        return digest

    # --- the XML module (offers) ----------------------------------------------------------
    def set_offer_field(self, key: str, field: str, value: str) -> None:
        """Set an unscoped field of an offer in modules/offer.xml."""
        path = self.folder / "modules" / "offer.xml"
        tree = etree.parse(str(path))
        for obj in tree.getroot().iterfind("object"):
            keys = obj.xpath("field[@name='key']/value/text()")
            if keys == [key]:
                for old in obj.xpath(f"field[@name='{field}']"):
                    obj.remove(old)
                new = etree.SubElement(obj, "field", name=field)
                etree.SubElement(new, "value").text = value
                tree.write(str(path), xml_declaration=True, encoding="UTF-8")
                return
        raise KeyError(key)

    def set_exported_at(self, stamp: str) -> None:
        """Move the export's timestamp."""
        path = self.folder / "export.json"
        header = json.loads(path.read_text(encoding="utf-8"))
        header["exported_at"] = stamp
        path.write_text(json.dumps(header, indent=2), encoding="utf-8")


def rename_field(export: EditableExport, module: str, old: str, new: str,
                 values: dict[str, str] | None = None) -> None:
    """Rename a field on every object of a JSON module (and map some of its values)."""
    path = export.folder / "modules" / f"{module}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    for obj in document["result"]:
        if old in obj:
            entries = obj.pop(old)
            for entry in entries:
                entry["value"] = (values or {}).get(entry["value"], entry["value"]) \
                    if isinstance(entry["value"], str) else entry["value"]
            obj[new] = entries
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")


def rename_module(export: EditableExport, old: str, new: str) -> None:
    """Give a JSON module another name, as a customer's 4ALLPORTAL would."""
    header_path = export.folder / "export.json"
    header = json.loads(header_path.read_text(encoding="utf-8"))
    source = export.folder / "modules" / f"{old}.json"
    document = json.loads(source.read_text(encoding="utf-8"))
    for obj in document["result"]:
        obj["module"] = new
    source.unlink()
    (export.folder / "modules" / f"{new}.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    header["modules"] = {(new if k == old else k): (f"modules/{new}.json" if k == old else v)
                         for k, v in header["modules"].items()}
    header_path.write_text(json.dumps(header, indent=2), encoding="utf-8")
