"""Shared test helpers: a tiny in-memory export reader and a small export builder."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from compiler.resources import sample_export


def require_tool(path: str | Path, why: str) -> None:
    """Skip a test whose outside tool (Chromium, openssl) is missing on this machine, but
    fail it where CI promises the tool (``CPC_REQUIRE_TOOLS=1``, set by .ci/run, which
    installs them): there a skip would hide a missing install step."""
    import os
    import shutil

    present = Path(path).exists() if os.sep in str(path) else shutil.which(str(path))
    if present:
        return
    message = f"{path} is missing: {why}"
    if os.environ.get("CPC_REQUIRE_TOOLS") == "1":
        pytest.fail(message + " (CPC_REQUIRE_TOOLS=1: .ci/run should have installed it)")
    pytest.skip(message)


class MemoryExport:
    """An export held in memory: the loader's ExportFiles protocol, nothing more."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = dict(files)
        self.header: dict[str, Any] = json.loads(self.files["export.json"])

    def read_bytes(self, path: str) -> bytes:
        return self.files[path]

    def paths(self) -> list[str]:
        return sorted(self.files)

    @classmethod
    def of_objects(cls, objects: Mapping[str, list[dict[str, Any]]]) -> MemoryExport:
        """An export of JSON modules holding these objects (module name -> objects)."""
        files = {f"modules/{m}.json": json.dumps({"total_count": len(objs), "result": objs}
                                                 ).encode() for m, objs in objects.items()}
        header = {"format": "4allportal-export/1",
                  "system": {"name": "4ALLPORTAL", "version": "3.12.4"},
                  "exported_at": "2026-11-28T09:15:00Z", "cursor": {"last_event_id": 81234},
                  "locales": ["de_DE", "en_GB"],
                  "modules": {m: f"modules/{m}.json" for m in objects}}
        return cls({**files, "export.json": json.dumps(header).encode()})

    @classmethod
    def from_folder(cls, folder: Path) -> MemoryExport:
        return cls({p.relative_to(folder).as_posix(): p.read_bytes()
                    for p in folder.rglob("*") if p.is_file()})


def entry(value: Any, locale: str | None = None, channel: str | None = None) -> dict[str, Any]:
    """One field entry in the JSON form."""
    dims = {k: v for k, v in (("locale", locale), ("channel", channel)) if v}
    return {"value": value, "dimensions": dims}


@pytest.fixture
def sample_path() -> Path:
    path = sample_export()
    if not (path / "export.json").is_file():
        pytest.fail(f"the sample export is missing at {path}")
    return path
