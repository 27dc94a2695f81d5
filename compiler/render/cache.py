"""The content-addressed rendition cache.

Layout under the folder the caller gives (the pipeline uses ``build/cache/renditions``)::

    entries/<k0k1>/<key>.json   one entry per (asset master, preset): facts + warnings,
                                wrapped with the sha256 of its own canonical payload
    blobs/<s0s1>/<sha256>       the rendition bytes, named by their sha256

The key covers everything the output depends on (see :func:`entry_key`). Every read
is verified: an entry whose checksum or any blob's sha256 does not match is reported
as corrupt, re-rendered by the caller, and overwritten. Writes go to a temporary file
in the same folder and are renamed into place, so readers never see half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def entry_key(parts: dict[str, Any]) -> str:
    """The sha256 of the canonical JSON of every input the entry depends on."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class CacheCorrupt(Exception):
    """An entry or blob failed verification."""


class RenditionCache:
    """Entries and blobs under one folder; safe for several processes at once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _entry_path(self, key: str) -> Path:
        return self.root / "entries" / key[:2] / f"{key}.json"

    def blob_path(self, sha256: str) -> Path:
        """Where the bytes with this sha256 live."""
        return self.root / "blobs" / sha256[:2] / sha256

    def put_blob(self, data: bytes) -> str:
        """Store bytes (overwriting any damaged copy) and return their sha256."""
        sha256 = hashlib.sha256(data).hexdigest()
        _write_atomically(self.blob_path(sha256), data)
        return sha256

    def put_entry(self, key: str, payload: dict[str, Any]) -> None:
        """Store an entry; its blobs must already be stored."""
        body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        wrapped = {"sha256": hashlib.sha256(body.encode()).hexdigest(), "payload": payload}
        _write_atomically(self._entry_path(key),
                          json.dumps(wrapped, sort_keys=True, indent=1).encode())

    def get_entry(self, key: str, blob_shas: str = "blobs") -> dict[str, Any] | None:
        """The verified payload, None when absent; CacheCorrupt when damaged.

        ``blob_shas`` names the payload list whose items carry a ``sha256`` of a blob;
        each of those blobs is read and hashed.
        """
        path = self._entry_path(key)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            wrapped = json.loads(raw)
            payload = wrapped["payload"]
            body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
            valid = hashlib.sha256(body.encode()).hexdigest() == wrapped["sha256"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CacheCorrupt(f"entry {key} is unreadable: {exc}") from None
        if not valid or not isinstance(payload, dict):
            raise CacheCorrupt(f"entry {key} fails its checksum")
        for item in payload.get(blob_shas, []):
            sha256 = item["sha256"]
            try:
                data = self.blob_path(sha256).read_bytes()
            except FileNotFoundError:
                raise CacheCorrupt(f"blob {sha256} of entry {key} is missing") from None
            if hashlib.sha256(data).hexdigest() != sha256:
                raise CacheCorrupt(f"blob {sha256} of entry {key} fails its sha256")
        return payload
