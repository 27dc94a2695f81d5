"""Small real exports for the snapshot tests: folders and zips built in tmp_path."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic
from compiler.snapshot import SnapshotLimits

FILE_ID = "5b1e2f3a-0c4d-4e5f-8a9b-1c2d3e4f5a6b"
def _logo() -> bytes:
    """A real 64x48 PNG (the master check decodes its header)."""
    from PIL import Image

    image = Image.new("RGB", (64, 48))
    image.putdata([(x * 4, y * 5, (x + y) % 256) for y in range(48) for x in range(64)])
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


LOGO = _logo()
MASTER = f"files/{FILE_ID}/logo.png"


def header(**changes: Any) -> dict[str, Any]:
    """A valid export.json, with keys changed or (value None) removed."""
    data: dict[str, Any] = {
        "format": "4allportal-export/1",
        "system": {"name": "4ALLPORTAL", "version": "3.12.4"},
        "exported_at": "2026-11-28T09:15:00Z",
        "locales": ["de_DE", "en_GB"],
        "modules": {"product": "modules/product.json", "file": "modules/file.json"},
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def export_files(**header_changes: Any) -> dict[str, bytes]:
    """path -> bytes of a small, valid export."""
    file_object = {
        "id": FILE_ID, "module": "file", "type": "file", "mod_time": "2026-11-20T14:02:11Z",
        "version": 3, "file_name": [{"value": "logo.png", "dimensions": {}}],
        "sha256": [{"value": hashlib.sha256(LOGO).hexdigest(), "dimensions": {}}],
    }
    product = {
        "id": "0f8e3c1a-6b7d-4e2f-9a51-3c2d1e0f9b77", "module": "product", "type": "product",
        "mod_time": "2026-11-20T14:02:11Z", "version": 7,
        "name": [{"value": "Hausrat Plus", "dimensions": {"locale": "de_DE"}}],
        "images": [{"value": [FILE_ID], "dimensions": {}}],
    }
    return {
        "export.json": json.dumps(header(**header_changes), indent=2).encode(),
        "modules/product.json": json.dumps({"total_count": 1, "result": [product]}).encode(),
        "modules/file.json": json.dumps({"total_count": 1, "result": [file_object]}).encode(),
        MASTER: LOGO,
    }


def write_folder(root: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` under ``root``; the folder."""
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def write_zip(path: Path, files: dict[str, bytes], top: str = "",
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Zip ``files`` (under the folder ``top`` when given, with folder entries)."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        if top:
            archive.writestr(zipfile.ZipInfo(top + "/"), b"")
        for name, data in files.items():
            archive.writestr(f"{top}/{name}" if top else name, data)
    return path


def add_raw_entry(path: Path, name: str, data: bytes = b"x", mode: int | None = None) -> None:
    """Append an entry with a raw name (no normalisation) and optional st_mode."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # unix: external_attr carries st_mode
    if mode is not None:
        info.external_attr = mode << 16
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(info, data)


SYMLINK_MODE = stat.S_IFLNK | 0o777
CHAR_DEVICE_MODE = stat.S_IFCHR | 0o644


def limits(**changes: Any) -> SnapshotLimits:
    """Default limits with some changed."""
    values = {"max_total_bytes": 1 << 30, "max_entries": 1000, "max_compression_ratio": 200}
    values.update(changes)
    return SnapshotLimits(**values)


def codes_at(diagnostics: list[Diagnostic]) -> set[tuple[str, str]]:
    """(code, file) of every diagnostic."""
    return {(d.code, d.location.file) for d in diagnostics}


def tree(store: Path) -> list[str]:
    """Every path under ``store`` (folders too), or ['<absent>'] when it does not exist."""
    if not store.exists():
        return ["<absent>"]
    return sorted(p.relative_to(store).as_posix() for p in store.rglob("*"))
