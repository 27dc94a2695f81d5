"""Template usage against the release: content an Exstream template pulls that does not go out.

template-usage.json says which content keys each Exstream template pulls. A key that is
not released (excluded, or not in the export at all) leaves a hole in that template's
output, so the build says so, naming the template, its channel and why the key is
missing, at the key's place in template-usage.json.
"""

from __future__ import annotations

from compiler.diagnostics import Diagnostic, Location, warning
from compiler.exstream.data import USAGE_FILE
from compiler.release import Release


def missing_template_content(release: Release) -> list[Diagnostic]:
    """One W-TEMPLATE-CONTENT-MISSING per (template, key) whose key this release lacks."""
    if release.exstream is None:
        return []
    released = {r.item.key for r in release.items.values()}
    excluded = {e.key: e for e in release.excluded}
    problems: list[Diagnostic] = []
    for n, usage in enumerate(release.exstream.template_usage):
        template, channel = str(usage["template"]), str(usage.get("channel", ""))
        for i, key in enumerate(usage.get("uses", [])):
            if key in released:
                continue
            exclusion = excluded.get(key)
            why = (f"which is excluded ({exclusion.reason}: {exclusion.message})"
                   if exclusion is not None else "which is not in the export")
            problems.append(warning(
                "W-TEMPLATE-CONTENT-MISSING",
                f"template {template} uses {key}, {why}; the template gets no content for it "
                "from this release",
                location=Location(file=USAGE_FILE, pointer=f"#/{n}/uses/{i}"), key=key,
                channel=channel))
    return problems
