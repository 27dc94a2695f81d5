"""What changed between two releases, computed from their manifests' item entries.

Items are matched by (kind, key): keys are stable across releases (package-format.md).
An item changed when a field's fingerprint (value or governance) or one of its
outputs differs; a new revision with identical content is unchanged. Both `cpc build`
(against the previous release) and `cpc diff` (any two packages) use this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from compiler.audit.fingerprints import ALL_LOCALES, GOVERNANCE_FIELD, changed_fields

ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"
METADATA = "metadata"  # an output whose bytes changed only in the source version it records

Identity = tuple[str, str]
TemplatesFor = Callable[[str], Iterable[str]]


def identity(entry: Mapping[str, Any]) -> Identity:
    """How an item is recognised across releases: its kind and its key."""
    return str(entry["kind"]), str(entry["key"])


def _by_identity(entries: Iterable[Mapping[str, Any]]) -> dict[Identity, Mapping[str, Any]]:
    return {identity(e): e for e in entries}


def output_changes(old: Mapping[str, Any], new: Mapping[str, Any],
                   fields: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, str]]:
    """Output paths added, changed (other bytes) or removed between two item entries.

    ``fields`` are the item's changed fields: a locale's form whose bytes differ while no
    field of that locale changed only records the object's new source version, and is
    marked ``metadata`` so nobody reads it as reworded content.
    """
    before = {o["path"]: o["sha256"] for o in old.get("outputs", [])}
    after = {o["path"]: o["sha256"] for o in new.get("outputs", [])}
    locale_of = {o["path"]: o.get("locale") for o in new.get("outputs", [])}
    # A renewed approval changes no wording: only content fields count here.
    reworded = {loc for f in fields if f["field"] != GOVERNANCE_FIELD for loc in f["locales"]}
    found = []
    for path in sorted(set(before) | set(after)):
        if path not in before:
            found.append({"path": path, "change": ADDED})
        elif path not in after:
            found.append({"path": path, "change": "removed"})
        elif before[path] != after[path]:
            locale = locale_of.get(path)
            same_content = locale and locale not in reworded and ALL_LOCALES not in reworded
            found.append({"path": path, "change": METADATA if same_content else CHANGED})
    return found


def _templates(key: str, entries: Iterable[Mapping[str, Any] | None],
               templates_for: TemplatesFor | None) -> list[str]:
    """Templates affected: used_by from either side, plus what Exstream says now."""
    names: set[str] = set(templates_for(key)) if templates_for else set()
    for entry in entries:
        if entry is not None:
            names.update(entry.get("used_by", []))
    return sorted(names)


def item_change(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str:
    """``added``, ``changed`` or ``unchanged`` for one item entry against its predecessor."""
    if old is None:
        return ADDED
    if changed_fields(old.get("fingerprints", {}), new.get("fingerprints", {})):
        return CHANGED
    return CHANGED if output_changes(old, new) else UNCHANGED


def compare(previous: Iterable[Mapping[str, Any]], current: Iterable[Mapping[str, Any]],
            excluded: Iterable[Mapping[str, Any]] = (),
            templates_for: TemplatesFor | None = None) -> dict[str, list[dict[str, Any]]]:
    """The ``changes`` section: added, changed (fields, locales, outputs) and removed.

    ``excluded`` are the current release's exclusions: a removed item that is excluded
    now says why (approval revoked, expired, …). ``templates_for`` gives the Exstream
    templates using a key according to the current Exstream data, when known.
    """
    old, new = _by_identity(previous), _by_identity(current)
    why = {(str(e["kind"]), str(e["key"])): e for e in excluded}
    added, changed, removed = [], [], []
    for ident in sorted(new):
        kind, key = ident
        before, after = old.get(ident), new[ident]
        status = item_change(before, after)
        templates = _templates(key, (before, after), templates_for)
        if status == ADDED:
            added.append({"kind": kind, "key": key, "templates": templates})
        elif status == CHANGED and before is not None:
            fields = changed_fields(before.get("fingerprints", {}),
                                    after.get("fingerprints", {}))
            changed.append({
                "kind": kind, "key": key, "fields": fields,
                "outputs": output_changes(before, after, fields),
                "templates": templates,
            })
    for ident in sorted(set(old) - set(new)):
        kind, key = ident
        exclusion = why.get(ident)
        removed.append({
            "kind": kind, "key": key,
            "outputs": [{"path": o["path"], "change": "removed"}
                        for o in sorted(old[ident].get("outputs", []), key=lambda o: o["path"])],
            "templates": _templates(key, (old[ident],), templates_for),
            "excluded": None if exclusion is None else {
                "reason": exclusion["reason"], "message": exclusion["message"]},
        })
    return {"added": added, "changed": changed, "removed": removed}
