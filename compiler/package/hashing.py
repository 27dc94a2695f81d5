"""Streaming sha256 in 1 MiB chunks, so hashing a large file keeps memory flat."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


def iter_chunks(path: Path, chunk: int = CHUNK) -> Iterator[bytes]:
    """The bytes of ``path`` in chunks of at most ``chunk`` bytes."""
    with path.open("rb") as stream:
        while block := stream.read(chunk):
            yield block


def sha256_file(path: Path) -> tuple[str, int]:
    """The hex sha256 and the size in bytes of a file, read once in chunks."""
    digest = hashlib.sha256()
    size = 0
    for block in iter_chunks(path):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def sha256_content(content: bytes | Path) -> tuple[str, int]:
    """The hex sha256 and size of in-memory bytes or of a file on disk."""
    if isinstance(content, Path):
        return sha256_file(content)
    return hashlib.sha256(content).hexdigest(), len(content)
