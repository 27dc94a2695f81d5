"""Per-field fingerprints: enough to say, from two manifests alone, what changed where.

Each item's manifest entry carries ``meaning → locale → sha256`` of the field's
canonical value. ``"*"`` stands for entries without a locale (they apply to every
locale), and for fields that are not localised. Channel variants of a locale hash
together, so a print-only rewording shows as a change of that locale.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from compiler.model import Item, Localised

ALL_LOCALES = "*"
# The governance record is fingerprinted like a field: an approval renewed with the
# same text is a change a compliance officer wants to see.
GOVERNANCE_FIELD = "governance"


def canonical_sha256(value: Any) -> str:
    """sha256 of a JSON value as compact, sorted, UTF-8 JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _localised_fingerprints(entries: list[dict[str, Any]]) -> dict[str, str]:
    by_locale: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_locale.setdefault(entry["locale"] or ALL_LOCALES, []).append(
            {"channel": entry["channel"], "value": entry["value"]})
    return {
        locale: canonical_sha256(sorted(group, key=lambda e: e["channel"] or ""))
        for locale, group in sorted(by_locale.items())
    }


def field_fingerprints(item: Item) -> dict[str, dict[str, str]]:
    """``meaning → locale → sha256`` for every field the item has, plus its governance."""
    canonical = item.canonical()  # the same JSON forms the item's own sha256 is made of
    prints: dict[str, dict[str, str]] = {}
    for meaning, value in sorted(canonical["fields"].items()):
        if isinstance(item.values.get(meaning), Localised):
            prints[meaning] = _localised_fingerprints(value)
        else:
            prints[meaning] = {ALL_LOCALES: canonical_sha256(value)}
    prints[GOVERNANCE_FIELD] = {ALL_LOCALES: canonical_sha256(canonical["governance"])}
    return prints


def changed_fields(old: dict[str, dict[str, str]],
                   new: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Fields whose fingerprints differ, each with the locales that differ, sorted.

    A locale present on one side only counts as changed (added or dropped wording).
    """
    changes: list[dict[str, Any]] = []
    for meaning in sorted(set(old) | set(new)):
        before, after = old.get(meaning, {}), new.get(meaning, {})
        locales = sorted(loc for loc in set(before) | set(after)
                         if before.get(loc) != after.get(loc))
        if locales:
            changes.append({"field": meaning, "locales": locales})
    return changes
