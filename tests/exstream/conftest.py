"""Releases for the Exstream tests, built from real exports through the real model loader.

Which objects go out is decided here by the governance rules of export-format.md
(approved, valid on the effective date, rights cleared), and each released item gets
the outputs the pipeline would give it: block forms per locale, image renditions per
channel, PDFs as documents. The tests then exercise the writers on that release.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from compiler.build.content import RICH_TEXT
from compiler.config import Config, default_data
from compiler.exstream import load_exstream_data
from compiler.model import Item, load_model
from compiler.release import Exclusion, ExstreamData, OutputFile, Release, ReleasedItem
from compiler.resources import schema_path
from tests.conftest import MemoryExport

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "exports" / "nordlicht"
SAMPLE_EXSTREAM = ROOT / "fixtures" / "exstream" / "nordlicht"
EFFECTIVE = dt.date(2026, 12, 1)
CHANNELS = {"print": "jpg", "email": "jpg", "web": "jpg", "mobile": "webp"}


def read_folder(folder: Path) -> dict[str, bytes]:
    """Every file of an export folder by its relative path (binary files left out: unused)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).parts[0] != "files"}


def patch_module(files: dict[str, bytes], module_path: str, key: str,
                 change: Callable[[dict[str, Any]], None]) -> None:
    """Edit one object (found by its key, sku or id) of a JSON module in place."""
    doc = json.loads(files[module_path])
    for obj in doc["result"]:
        names = [e["value"] for f in ("key", "sku") for e in obj.get(f, [])]
        if key in names or obj.get("id") == key:
            change(obj)
            files[module_path] = json.dumps(doc).encode()
            return
    raise AssertionError(f"{key} not in {module_path}")


def _released(item: Item, config: Config) -> str | None:
    """None when the item goes out, else the exclusion reason."""
    gov = config.governance
    g = item.governance
    if g.status not in gov.approved_values:
        return "not_approved"
    if g.valid_from and g.valid_from > EFFECTIVE:
        return "not_yet_valid"
    if g.valid_until and g.valid_until < EFFECTIVE:
        return "expired"
    if item.kind == "file" and (g.rights_status not in gov.cleared_values or (
            g.rights_valid_until and g.rights_valid_until < EFFECTIVE)):
        return "rights_not_cleared"
    return None


def _outputs(item: Item, locales: tuple[str, ...]) -> list[OutputFile]:
    key = item.key
    if item.kind == "file":
        mime = str(item.value("mime_type"))
        if mime == "application/pdf":
            return [OutputFile.of_bytes(f"data/documents/{key}.pdf", key.encode(), "document")]
        return [OutputFile.of_bytes(f"data/assets/{channel}/{key}.{ext}",
                                    f"{key}/{channel}".encode(), "rendition",
                                    channel=channel, preset=channel)
                for channel, ext in CHANNELS.items()]
    if item.kind == "product":  # its own rich text, keyed and named like the content stage's
        meanings, key_of = RICH_TEXT["product"]
        return [OutputFile.of_bytes(f"data/content/{key_of(key, meaning)}/{locale}.{kind}",
                                    f"{key}/{meaning}/{locale}".encode(), kind.split(".")[0],
                                    locale=locale)
                for meaning in meanings if item.value(meaning) is not None
                for locale in locales for kind in ("exm.xml", "html", "txt")]
    return [OutputFile.of_bytes(f"data/content/{key}/{locale}.{kind}", f"{key}/{locale}".encode(),
                                kind.split(".")[0], locale=locale)
            for locale in locales for kind in ("exm.xml", "html", "txt")]


def make_release(files: dict[str, bytes], exstream: ExstreamData | None,
                 config: Config | None = None) -> Release:
    """A release of an in-memory export on the effective date, with every output in place."""
    config = config or Config(data=default_data())
    loaded = load_model(MemoryExport(files), config)
    assert not [d for d in loaded.diagnostics if d.severity == "error"], loaded.diagnostics
    model = loaded.model
    release = Release(name="nordlicht", version="2026.12.1", effective_date=EFFECTIVE,
                      created=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), snapshot_id="s1",
                      config=config, model=model, exstream=exstream)
    for item in model:
        reason = _released(item, config)
        if reason is None:
            release.items[item.id] = ReleasedItem(item, _outputs(item, model.locales))
        else:
            release.excluded.append(Exclusion(item.id, item.kind, item.key, item.module,
                                              reason, reason))
    return release


def config_with(**sections: dict[str, Any]) -> Config:
    """The defaults with extra or overridden sections (e.g. ``offers={"fallback": …}``)."""
    data = copy.deepcopy(default_data())
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    return Config(data=data)


@pytest.fixture(scope="session")
def sample_files() -> dict[str, bytes]:
    """The sample export's JSON and XML files."""
    return read_folder(SAMPLE)


@pytest.fixture(scope="session")
def sample_exstream() -> ExstreamData:
    """The sample's Exstream data, through the real loader."""
    return load_exstream_data(SAMPLE_EXSTREAM)


@pytest.fixture
def files(sample_files: dict[str, bytes]) -> dict[str, bytes]:
    """A copy of the sample a test may edit."""
    return dict(sample_files)


def validate(data: bytes, schema: str) -> None:
    """Validate XML against one of the shipped XSDs (raises on any violation)."""
    xmlschema.XMLSchema(str(schema_path(schema))).validate(data.decode("utf-8"))
