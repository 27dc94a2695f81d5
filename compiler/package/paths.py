"""Bag paths: NFC, ASCII-safe (``[A-Za-z0-9._-]`` plus ``/``) and unique without regard to case.

The same rules serve the writer (refuse to build a bag with a bad path) and the
verifier (refuse a package whose entries break them), so they live in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SAFE = re.compile(r"[A-Za-z0-9._-]+")


def path_problems(path: str) -> list[str]:
    """Every reason ``path`` is not a safe bag path (empty when it is safe)."""
    problems: list[str] = []
    if not path:
        return ["the path is empty"]
    if unicodedata.normalize("NFC", path) != path:
        problems.append("the path is not in Unicode NFC")
    if "\\" in path:
        problems.append("the path contains a backslash")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        problems.append("the path is absolute")
    if "\x00" in path:
        problems.append("the path contains a NUL character")
    segments = path.split("/")
    if any(segment in ("..", ".") for segment in segments):
        problems.append("the path has a '.' or '..' segment")
    if "" in segments[1:]:  # '//' or a trailing '/': a leading one is already 'absolute'
        problems.append("the path has an empty segment")
    bad = sorted({ch for ch in path if ch != "/" and not _SAFE.fullmatch(ch)} - {"\\", "\x00"})
    if bad:
        shown = "".join(bad)
        problems.append(f"the path has characters outside [A-Za-z0-9._-] and '/': {shown!r}")
    return problems


def case_collisions(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of distinct paths that are equal without regard to case, or equal outright."""
    seen: dict[str, str] = {}
    collisions: list[tuple[str, str]] = []
    for path in paths:
        folded = path.casefold()
        if folded in seen:
            collisions.append((seen[folded], path))
        else:
            seen[folded] = path
    return collisions
