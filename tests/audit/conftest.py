"""A tiny real export, loaded through the model, and releases built from it.

The release helper stands in for the build pipeline only where the pipeline is not the
subject: it releases every approved object and excludes the rest (``not_approved``),
and gives each item hand-made outputs whose bytes follow its content.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from compiler.config import Config, load_config
from compiler.diagnostics import warning
from compiler.model import load_model
from compiler.release import (
    Exclusion,
    ExstreamData,
    OutputFile,
    PreviousRelease,
    Release,
    ReleasedItem,
)
from tests.conftest import MemoryExport

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>\u202eevil\u202c'

IDS = {
    "disc": "0a1b2c3d-0000-4000-8000-000000000001",
    "fee": "0a1b2c3d-0000-4000-8000-000000000002",
    "hostile": "0a1b2c3d-0000-4000-8000-000000000003",
    "image": "5b1e0000-0000-4000-8000-000000000004",
    "product": "0f8e3c1a-0000-4000-8000-000000000005",
    "faq": "0a1b2c3d-0000-4000-8000-000000000006",
}


def _v(value: Any, **dims: str) -> dict[str, Any]:
    return {"value": value, "dimensions": dims}


def _governance(version: int) -> dict[str, Any]:
    return {"approval_status": [_v("approved")], "approved_by": [_v("c.weber")],
            "approved_at": [_v(f"2026-11-{10 + version:02d}T08:00:00Z")],
            "valid_from": [_v("2026-01-01")]}


def _block(ident: str, key: str, block_type: str, title: dict[str, str],
           body: dict[str, str], regulated: bool) -> dict[str, Any]:
    return {"id": ident, "module": "text_block", "type": "text_block",
            "mod_time": "2026-11-20T14:02:11Z", "version": 3,
            "key": [_v(key)], "block_type": [_v(block_type)],
            "title": [_v(t, locale=loc) for loc, t in title.items()],
            "body": [_v(b, locale=loc) for loc, b in body.items()],
            "regulated": [_v(regulated)], **_governance(3)}


def base_objects() -> dict[str, list[dict[str, Any]]]:
    """The first export: two regulated blocks, a hostile block, an image, a product."""
    blocks = [
        _block(IDS["disc"], "DISC-HOME-EXCESS", "disclaimer",
               {"de_DE": "Selbstbeteiligung", "en_GB": "Excess"},
               {"de_DE": "<p>Es gilt eine Selbstbeteiligung von 150 EUR.</p>",
                "en_GB": "<p>An excess of EUR 150 applies.</p>"}, True),
        _block(IDS["fee"], "FEE-HOME-PLUS", "fee_table",
               {"de_DE": "Gebühren", "en_GB": "Fees"},
               {"de_DE": "<p>Monatlich 9,90 EUR</p>", "en_GB": "<p>Monthly EUR 9.90</p>"},
               True),
        _block(IDS["hostile"], "DESC-HOSTILE", "description",
               {"de_DE": HOSTILE, "en_GB": HOSTILE},
               {"de_DE": "<p>Text</p>", "en_GB": "<p>Text</p>"}, False),
    ]
    image = {"id": IDS["image"], "module": "file", "type": "image",
             "mod_time": "2026-11-19T10:00:00Z", "version": 2,
             "file_name": [_v("Tagesgeld Übersicht.jpg")], "mime_type": [_v("image/jpeg")],
             "sha256": [_v("a" * 64)], "title": [_v("Overview", locale="en_GB"),
                                                  _v("Übersicht", locale="de_DE")],
             "asset_role": [_v("product_image")], "rights_status": [_v("cleared")],
             "rights_valid_until": [_v("2027-12-31")], **_governance(2)}
    product = {"id": IDS["product"], "module": "product", "type": "product",
               "mod_time": "2026-11-20T14:02:11Z", "version": 7,
               "sku": [_v("HOME-PLUS")],
               "name": [_v("Hausrat Plus", locale="de_DE"),
                        _v("Home Contents Plus", locale="en_GB")],
               "images": [_v([IDS["image"]])],
               "disclaimers": [_v([IDS["disc"]])], **_governance(7)}
    return {"text_block": blocks, "file": [image], "product": [product]}


def find(objects: Mapping[str, list[dict[str, Any]]], ident: str) -> dict[str, Any]:
    """The export object with this id (to edit it for a later export)."""
    return next(o for group in objects.values() for o in group if o["id"] == ident)


def _outputs(item: Any) -> list[OutputFile]:
    """Hand-made outputs whose bytes follow the item's content (one per locale)."""
    if item.kind == "file":
        data = hashlib.sha256(json.dumps(item.canonical()["fields"]).encode()).digest()
        return [OutputFile.of_bytes(f"data/assets/email/{item.key}-600.jpg", data, "rendition",
                                    channel="email", preset="email")]
    if item.kind != "text_block":
        return []
    return [OutputFile.of_bytes(f"data/content/{item.key}/{loc}.exm.xml",
                                str(item.text("body", loc)).encode(), "exm", locale=loc)
            for loc in ("de_DE", "en_GB")]


TEMPLATE_USAGE = [
    {"template": "RENEWAL_LETTER_HOME", "channel": "print",
     "uses": ["DISC-HOME-EXCESS", "FEE-HOME-PLUS"]},
    {"template": "WELCOME_EMAIL", "channel": "email", "uses": ["FEE-HOME-PLUS", "FAQ-CLAIMS"]},
]


def make_release(objects: Mapping[str, list[dict[str, Any]]], *, version: str = "2026.12.1",
                 previous: PreviousRelease | None = None,
                 config: Config | None = None) -> Release:
    """Load the export through the model and release every approved object."""
    config = config or load_config(None, cwd=Path("/nonexistent"))
    loaded = load_model(MemoryExport.of_objects(copy.deepcopy(dict(objects))), config)
    assert not loaded.diagnostics, [d.format() for d in loaded.diagnostics]
    exstream = ExstreamData(template_usage=TEMPLATE_USAGE)
    release = Release(name="content", version=version, effective_date=dt.date(2026, 12, 1),
                      created=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
                      snapshot_id="f" * 64, config=config, model=loaded.model,
                      exstream=exstream, previous=previous)
    for item in loaded.model:
        if item.governance.status != "approved":
            release.excluded.append(Exclusion(
                id=item.id, kind=item.kind, key=item.key, module=item.module,
                reason="not_approved",
                message=f"approval_status is {item.governance.status!r}; only approved "
                        "content is released"))
            continue
        found = [warning("W-RENDER-UPSCALE", "image is smaller than the preset's width",
                         object_id=item.id, channel="email")] if item.kind == "file" else []
        release.items[item.id] = ReleasedItem(
            item=item, outputs=_outputs(item), transformations=found,
            used_by=exstream.templates_using(item.key))
    return release


def package_zip(path: Path, manifest_bytes: bytes, top: str = "content-2026.12.1") -> Path:
    """A release-shaped zip holding the audit manifest (and a payload file)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{top}/bagit.txt", "BagIt-Version: 1.0\n")
        archive.writestr(f"{top}/audit/audit-manifest.json", manifest_bytes)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def objects() -> dict[str, list[dict[str, Any]]]:
    """A fresh copy of the first export's objects."""
    return base_objects()
