"""AFP resource names: 8 characters of [A-Z0-9], unique in a release, stable across releases.

A name is derived from a hash of the asset id and the rendition (preset, plus width
when the preset has several), so the same image keeps its name from release to
release regardless of what else is in it. The first character is a letter (AFP
resource names conventionally start with one). On the rare collision, pairs are
taken in sorted order and a later pair moves to its next candidate, so the outcome
depends only on the set of pairs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALPHABET = _LETTERS + "0123456789"
NAME_LENGTH = 8


def candidate_name(asset_id: str, rendition: str, attempt: int = 0) -> str:
    """The ``attempt``-th name candidate for one rendition of one asset."""
    seed = f"cpc-afp\x00{asset_id}\x00{rendition}\x00{attempt}".encode()
    number = int.from_bytes(hashlib.sha256(seed).digest()[:16], "big")
    number, first = divmod(number, len(_LETTERS))
    chars = [_LETTERS[first]]
    for _ in range(NAME_LENGTH - 1):
        number, index = divmod(number, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "".join(chars)


def assign_afp_names(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Names for (asset id, rendition) pairs: unique, ≤ 8 characters [A-Z0-9], stable."""
    names: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    for pair in sorted(set(pairs)):
        attempt = 0
        name = candidate_name(*pair, attempt)
        while name in taken:
            attempt += 1
            name = candidate_name(*pair, attempt)
        taken.add(name)
        names[pair] = name
    return names
