"""The audit manifest (audit/audit-manifest.json): what went out, why, on whose approval.

Built from the in-memory :class:`~compiler.release.Release` and, when there is one, the
previous release's manifest; serialised as canonical JSON so the same release always
gives the same bytes. The shape is ``schemas/audit-manifest.schema.json``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from compiler.audit.changes import compare, identity, item_change
from compiler.audit.checks import run_checks
from compiler.audit.facts import release_facts
from compiler.audit.fingerprints import ALL_LOCALES, field_fingerprints
from compiler.diagnostics import Diagnostic, Severity
from compiler.exstream.affected import affected_templates
from compiler.model import Item, Localised
from compiler.release import Exclusion, OutputFile, Release, ReleasedItem

FORMAT = "cpc-audit-manifest/1"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

# How people name an item of each kind (a meaning of that kind), for the report.
TITLE_MEANINGS: dict[str, tuple[str, ...]] = {
    "product": ("name",),
    "text_block": ("title",),
    "offer": ("headline",),
    "file": ("title", "file_name"),
}


def _titles(item: Item) -> dict[str, str]:
    """locale → title (channel-independent entries; ``*`` for every locale)."""
    for meaning in TITLE_MEANINGS.get(item.kind, ()):
        value = item.value(meaning)
        if isinstance(value, Localised):
            titles = {e.locale or ALL_LOCALES: str(e.value)
                      for e in value.entries if e.channel is None}
            if titles:
                return dict(sorted(titles.items()))
        elif value is not None:
            return {ALL_LOCALES: str(value)}
    return {}


def _governance(item: Item) -> dict[str, Any]:
    gov = item.governance.to_json()
    regulated = item.value("regulated") if item.kind == "text_block" else None
    has_rights = item.kind == "file" or gov["rights_status"] is not None
    return {
        "status": gov["status"], "approved_by": gov["approved_by"],
        "approved_at": gov["approved_at"], "valid_from": gov["valid_from"],
        "valid_until": gov["valid_until"],
        "regulated": bool(regulated) if regulated is not None else None,
        "rights": {"status": gov["rights_status"], "valid_until": gov["rights_valid_until"]}
        if has_rights else None,
    }


def _output(output: OutputFile) -> dict[str, Any]:
    return {"path": output.path, "sha256": output.sha256, "size": output.size,
            "kind": output.kind, "locale": output.locale, "channel": output.channel,
            "preset": output.preset}


def _transformation(found: Diagnostic) -> dict[str, Any]:
    return {"code": found.code, "severity": found.severity.value, "message": found.message,
            "field": found.field or None, "locale": found.locale or None,
            "channel": found.channel or None}


def _finding(found: Diagnostic) -> dict[str, Any]:
    return {**_transformation(found), "key": found.key or None,
            "location": str(found.location) or None}


def release_findings(release: Release) -> list[dict[str, Any]]:
    """The build's warnings that no released item records (W-OFFER-UNCOVERED, say, or a
    template's content that did not go out), so the manifest accounts for every one."""
    recorded = {d for r in release.items.values() for d in r.transformations}
    found = [d for d in release.diagnostics
             if d.severity is not Severity.ERROR and d not in recorded]
    return sorted((_finding(d) for d in dict.fromkeys(found)), key=_sort_key)


def _sort_key(entry: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple("" if v is None else str(v) for v in entry.values())


def item_entry(released: ReleasedItem) -> dict[str, Any]:
    """One released item's manifest entry, without its ``change`` (that needs the past)."""
    item = released.item
    return {
        "key": item.key, "kind": item.kind, "title": _titles(item),
        "source": {"id": item.id, "module": item.module, "type": item.type,
                   "version": item.version, "mod_time": item.mod_time,
                   "sha256": item.sha256},
        "governance": _governance(item),
        "outputs": sorted((_output(o) for o in released.outputs), key=lambda o: o["path"]),
        "transformations": sorted((_transformation(d) for d in released.transformations),
                                  key=_sort_key),
        "used_by": sorted(set(released.used_by)),
        "fingerprints": field_fingerprints(item),
    }


def exclusion_entry(exclusion: Exclusion) -> dict[str, Any]:
    """One excluded object: who it is and the reason code and message."""
    return {"id": exclusion.id, "kind": exclusion.kind, "key": exclusion.key,
            "module": exclusion.module, "reason": exclusion.reason,
            "message": exclusion.message}


def summarise(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """Counts for people: released by kind, excluded by reason, changes, warnings, checks."""
    items, excluded = manifest["items"], manifest["excluded"]
    changes = manifest["changes"]
    return {
        "released": dict(sorted(Counter(i["kind"] for i in items).items())),
        "released_total": len(items),
        "excluded": dict(sorted(Counter(e["reason"] for e in excluded).items())),
        "excluded_total": len(excluded),
        "changes": {name: len(changes[name]) for name in ("added", "changed", "removed")},
        "warnings": sum(len(i["transformations"]) for i in items)
        + len(manifest.get("findings", [])),
        "checks": dict(sorted(Counter(c["outcome"] for c in manifest["checks"]).items())),
    }


def build_manifest(release: Release,
                   previous_manifest: Mapping[str, Any] | None) -> dict[str, Any]:
    """The audit manifest of a release, its changes computed against the previous one.

    ``previous_manifest`` is the previous release's manifest (read from its archive), or
    None for the first release, whose items are then all ``added``.
    """
    items = sorted((item_entry(r) for r in release.items.values()), key=identity)
    excluded = sorted((exclusion_entry(e) for e in release.excluded),
                      key=lambda e: (e["kind"], e["key"], e["id"]))
    previous_items = list(previous_manifest["items"]) if previous_manifest else []
    before = {identity(e): e for e in previous_items}
    for entry in items:
        entry["change"] = item_change(before.get(identity(entry)), entry)
    templates_for = affected_templates([r.item for r in release.items.values()],
                                       release.exstream) if release.exstream else None
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "release": release_facts(release),
        "items": items,
        "excluded": excluded,
        "changes": compare(previous_items, items, excluded, templates_for),
        "checks": run_checks(release),
        "findings": release_findings(release),
    }
    manifest["summary"] = summarise(manifest)
    return manifest


def dump_manifest(manifest: Mapping[str, Any]) -> bytes:
    """Canonical bytes: UTF-8 JSON, keys sorted, indent 2, one trailing newline.

    A lone surrogate (JSON from the export can spell one; UTF-8 cannot) is written as
    its ``\\uXXXX`` escape, so the bytes are valid UTF-8 and read back to the same value.
    """
    text = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False)
    text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return (text + "\n").encode("utf-8")
