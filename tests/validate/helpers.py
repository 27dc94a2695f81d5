"""A tiny real export (real JSON, real images) that tests copy and break one way each."""

from __future__ import annotations

import copy
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from compiler.config import Config, load_config

PRODUCT = "0f8e3c1a-6b7d-4e2f-9a51-3c2d1e0f9b77"
IMAGE = "5b1e0000-0000-4000-8000-000000000001"
BANNER = "77aa0000-0000-4000-8000-000000000002"
DISCLAIMER = "d1500000-0000-4000-8000-000000000003"
FEE_TABLE = "fee00000-0000-4000-8000-000000000004"
OFFER = "0ffe0000-0000-4000-8000-000000000005"
PRODUCT_2 = "0f8e3c1a-6b7d-4e2f-9a51-3c2d1e0f9b78"

#: A fee table with a row: an empty table is no content (missing_locale).
FEE_ROWS = "<table><tr><td>Jahresbeitrag</td><td>89,00 €</td></tr></table>"

APPROVED = {"approval_status": "approved", "approved_by": "anna.berg",
            "approved_at": "2026-11-01T10:00:00Z", "valid_from": "2026-01-01",
            "valid_until": "2026-12-31"}


def entries(value: Any, locale: str | None = None, channel: str | None = None) -> list[Any]:
    """One field: a single entry with the given dimensions."""
    dims = {k: v for k, v in (("locale", locale), ("channel", channel)) if v}
    return [{"value": value, "dimensions": dims}]


def localised(de: str, en: str) -> list[Any]:
    """A field with a German and an English entry."""
    return entries(de, "de_DE") + entries(en, "en_GB")


def make_object(module: str, object_id: str, **fields: Any) -> dict[str, Any]:
    """An approved object with identity and the given fields (plain values are wrapped)."""
    obj: dict[str, Any] = {"id": object_id, "module": module, "type": module,
                           "mod_time": "2026-11-20T14:02:11Z", "version": 3}
    for name, value in {**APPROVED, **fields}.items():
        obj[name] = value if isinstance(value, list) and value and \
            isinstance(value[0], dict) and "value" in value[0] else entries(value)
    return obj


def png(width: int, height: int) -> bytes:
    """A real PNG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A real JPEG, optionally with an EXIF orientation."""
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (30, 30, 200))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def file_object(object_id: str, name: str, data: bytes, mime: str, width: int, height: int,
                role: str) -> dict[str, Any]:
    """A file object describing ``data`` truthfully."""
    return make_object("file", object_id, file_name=name, mime_type=mime, size=len(data),
                       width=width, height=height, sha256=hashlib.sha256(data).hexdigest(),
                       title=localised("Bild", "Picture"), alt_text=localised("Bild", "Picture"),
                       asset_role=role, rights_status="cleared",
                       rights_valid_until="2027-12-31")


@dataclass
class TinyExport:
    """An export as data: header, module objects, master files. Edit, then write."""

    header: dict[str, Any]
    modules: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes] = field(default_factory=dict)

    def obj(self, object_id: str) -> dict[str, Any]:
        """The object with this id (to edit it)."""
        return next(o for objs in self.modules.values() for o in objs if o["id"] == object_id)

    def write(self, root: Path) -> Path:
        """Write the export folder; returns it."""
        root.mkdir(parents=True, exist_ok=True)
        (root / "export.json").write_text(json.dumps(self.header, indent=2), encoding="utf-8")
        (root / "modules").mkdir(exist_ok=True)
        for module, objects in self.modules.items():
            path = self.header["modules"][module]
            document = {"total_count": len(objects), "result": objects}
            (root / path).write_text(json.dumps(document, indent=1, ensure_ascii=False),
                                     encoding="utf-8")
        for path, data in self.files.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return root


def tiny_export() -> TinyExport:
    """A small, valid export: a product with image, disclaimer and fee table; an offer."""
    image, banner = png(2400, 1600), jpeg(30, 20, orientation=6)
    header = {"format": "4allportal-export/1",
              "system": {"name": "4ALLPORTAL", "version": "3.12.4"},
              "exported_at": "2026-11-28T09:15:00Z", "exported_by": "svc-exstream",
              "locales": ["de_DE", "en_GB"],
              "modules": {"product": "modules/product.json", "file": "modules/file.json",
                          "text_block": "modules/text_block.json",
                          "offer": "modules/offer.json"}}
    modules = {
        "file": [
            file_object(IMAGE, "home plus.png", image, "image/png", 2400, 1600,
                        "product_image"),
            file_object(BANNER, "banner.jpg", banner, "image/jpeg", 20, 30, "banner"),
        ],
        "text_block": [
            make_object("text_block", DISCLAIMER, key="DISC-HOME-EXCESS",
                        block_type="disclaimer", title=localised("Hinweis", "Note"),
                        body=localised("<p>Selbstbehalt</p>", "<p>Excess</p>"),
                        regulated=True),
            make_object("text_block", FEE_TABLE, key="FEE-HOME-PLUS", block_type="fee_table",
                        body=localised(FEE_ROWS, FEE_ROWS)),
        ],
        "product": [
            make_object("product", PRODUCT, sku="HOME-PLUS",
                        name=localised("Hausrat Plus", "Home Contents Plus"),
                        images=[IMAGE], disclaimers=[DISCLAIMER], fee_table=FEE_TABLE,
                        segments=["young-families"]),
        ],
        "offer": [
            make_object("offer", OFFER, key="OFFER-HOME", headline=localised("Neu", "New"),
                        banner=BANNER, products=[PRODUCT], triggers=["policy_renewal"],
                        priority=5),
        ],
    }
    files = {f"files/{IMAGE}/home plus.png": image, f"files/{BANNER}/banner.jpg": banner}
    return TinyExport(header, modules, files)


def fresh() -> TinyExport:
    """A deep copy of the tiny export, safe to edit."""
    return copy.deepcopy(tiny_export())


def config_with(tmp: Path, toml: str = "") -> Config:
    """The defaults, or the defaults plus a cpc.toml fragment."""
    if not toml:
        return load_config(None, cwd=tmp / "no-config-here")
    path = tmp / "cpc.toml"
    path.write_text(toml, encoding="utf-8")
    return load_config(path)


def to_xml(module: str, objects: list[dict[str, Any]]) -> bytes:
    """The XML form of a module's objects (export-format.md)."""
    from xml.sax.saxutils import escape, quoteattr

    identity = ("id", "module", "type", "mod_time", "version")
    lines = [f'<objects module={quoteattr(module)} total_count="{len(objects)}">']
    for obj in objects:
        attrs = " ".join(f"{k}={quoteattr(str(obj[k]))}" for k in identity)
        lines.append(f"  <object {attrs}>")
        for name, value_entries in obj.items():
            if name in identity:
                continue
            lines.append(f"    <field name={quoteattr(name)}>")
            for entry in value_entries:
                dims = "".join(f" {k}={quoteattr(v)}" for k, v in entry["dimensions"].items())
                value = entry["value"]
                if isinstance(value, list):
                    tag = "id" if name in ("images", "disclaimers", "onboarding", "products") \
                        else "item"
                    inner = "".join(f"<{tag}>{escape(str(v))}</{tag}>" for v in value)
                elif isinstance(value, bool):
                    inner = "true" if value else "false"
                else:
                    inner = escape(str(value))
                lines.append(f"      <value{dims}>{inner}</value>")
            lines.append("    </field>")
        lines.append("  </object>")
    lines.append("</objects>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_as_xml(export: TinyExport, root: Path, module: str) -> Path:
    """Write the export with one module in the XML form instead of JSON."""
    export.header["modules"][module] = f"modules/{module}.xml"
    objects = export.modules.pop(module)
    export.write(root)
    (root / "modules" / f"{module}.xml").write_bytes(to_xml(module, objects))
    return root / "modules" / f"{module}.xml"
