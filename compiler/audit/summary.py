"""Plain-text views of manifests for the terminal: `cpc audit` and `cpc diff`.

Every string from a manifest came from the export, so it is neutralised before it is
printed: no control sequence or bidi override reaches the user's terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from compiler.audit.report import neutralise

#: How an output's change reads in text.
_OUTPUT_CHANGE = {"metadata": "changed (source version only, same content)"}


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))


def _templates(names: list[str]) -> str:
    return f"; templates: {', '.join(names)}" if names else ""


def _fields(fields: list[Mapping[str, Any]]) -> str:
    return ", ".join(f"{f['field']} [{', '.join(f['locales'])}]" for f in fields)


def change_lines(changes: Mapping[str, Any]) -> list[str]:
    """One line per added, changed and removed item, then the totals."""
    lines: list[str] = []
    added, changed, removed = changes["added"], changes["changed"], changes["removed"]
    if added:
        lines.append(f"added ({len(added)}):")
        lines += [f"  {c['kind']} {c['key']}{_templates(c['templates'])}" for c in added]
    if changed:
        lines.append(f"changed ({len(changed)}):")
        for c in changed:
            what = _fields(c["fields"])
            outputs = [f"{o['path']} {_OUTPUT_CHANGE.get(o['change'], o['change'])}"
                       for o in c["outputs"]]
            if outputs:
                what = "; ".join(filter(None, [what, "outputs: " + ", ".join(outputs)]))
            lines.append(f"  {c['kind']} {c['key']}: {what}{_templates(c['templates'])}")
    if removed:
        lines.append(f"removed ({len(removed)}):")
        for c in removed:
            why = c.get("excluded")
            because = f": excluded, {why['reason']}: {why['message']}" if why else ""
            gone = len(c.get("outputs", []))
            files = f"; {gone} file{'s' if gone != 1 else ''} no longer shipped" if gone else ""
            lines.append(f"  {c['kind']} {c['key']}{because}{files}"
                         f"{_templates(c['templates'])}")
    lines.append(f"{len(added)} added, {len(changed)} changed, {len(removed)} removed")
    return [neutralise(line) for line in lines]


def audit_lines(manifest: Mapping[str, Any]) -> list[str]:
    """The summary `cpc audit` prints: release, counts, exclusions, changes, checks."""
    release, summary = manifest["release"], manifest["summary"]
    previous = release["previous"]
    lines = [
        f"{release['name']} {release['version']} (effective {release['effective_date']}, "
        f"created {release['created']})",
        f"previous release: {previous['version'] if previous else 'none (first release)'}",
        f"snapshot: {release['snapshot']['id']}",
        f"released: {summary['released_total']} ({_counts(summary['released']) or 'nothing'})",
        f"excluded: {summary['excluded_total']} ({_counts(summary['excluded']) or 'nothing'})",
    ]
    lines += [f"  {e['kind']} {e['key'] or e['id']}: {e['reason']}: {e['message']}"
              for e in manifest["excluded"]]
    changes = summary["changes"]
    lines.append(f"changes: {changes['added']} added, {changes['changed']} changed, "
                 f"{changes['removed']} removed")
    lines.append(f"warnings: {summary['warnings']}")
    lines.append(f"checks: {_counts(summary['checks'])}")
    lines += [f"  {c['name']}: {c['outcome']}: {c['detail']}" for c in manifest["checks"]
              if c["outcome"] != "passed"]
    return [neutralise(line) for line in lines]
