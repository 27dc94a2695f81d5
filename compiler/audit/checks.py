"""The checks section: each rule the release ran, with its outcome, from what it knows.

Rules are a table of name → function; each returns ``(outcome, detail)``. Exclusion
rules say how many objects they left out; the structural ones (every object accounted
for, unique checksummed outputs) are checked here, on the release itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from compiler.diagnostics import Severity
from compiler.release import Release

PASSED, EXCLUDED, WARNING, FAILED = "passed", "excluded", "warning", "failed"
OUTCOMES = (PASSED, EXCLUDED, WARNING, FAILED)
_SHA256 = re.compile(r"[0-9a-f]{64}")

Check = Callable[[Release], tuple[str, str]]


def _validation(release: Release) -> tuple[str, str]:
    counts = Counter(d.severity for d in release.diagnostics)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    outcome = FAILED if errors else WARNING if warnings else PASSED
    return outcome, f"{errors} errors, {warnings} warnings"


def _exclusion_rule(*reasons: str) -> Check:
    """A governance rule: passed when it left nothing out, else how many it excluded."""

    def run(release: Release) -> tuple[str, str]:
        count = sum(1 for e in release.excluded if e.reason in reasons)
        label = " or ".join(reasons)
        return (EXCLUDED, f"{count} objects left out ({label})") if count else (
            PASSED, f"no object left out ({label})")

    return run


def _accounted_for(release: Release) -> tuple[str, str]:
    excluded = {e.id.lower() for e in release.excluded}
    released = {i.lower() for i in release.items}
    missing = sorted(i for i in release.model.items
                     if i.lower() not in released and i.lower() not in excluded)
    both = sorted(released & excluded)
    if missing or both:
        parts = []
        if missing:
            parts.append(f"neither released nor excluded: {', '.join(missing)}")
        if both:
            parts.append(f"both released and excluded: {', '.join(both)}")
        return FAILED, "; ".join(parts)
    return PASSED, (f"{len(release.model.items)} objects: {len(released)} released, "
                    f"{len(excluded)} excluded")


def _outputs(release: Release) -> tuple[str, str]:
    paths = Counter(o.path for r in release.items.values() for o in r.outputs)
    bad = sorted(o.path for r in release.items.values() for o in r.outputs
                 if not _SHA256.fullmatch(o.sha256) or o.size < 0)
    duplicated = sorted(p for p, n in paths.items() if n > 1)
    problems = ([f"bad checksum or size: {', '.join(bad)}"] if bad else []) + (
        [f"shipped twice: {', '.join(duplicated)}"] if duplicated else [])
    if problems:
        return FAILED, "; ".join(problems)
    return PASSED, f"{sum(paths.values())} outputs, each with its sha256 and size"


def _transformations(release: Release) -> tuple[str, str]:
    count = sum(len(r.transformations) for r in release.items.values())
    return (WARNING if count else PASSED), f"{count} transformation warnings recorded"


CHECKS: dict[str, Check] = {
    "validation": _validation,
    "approval": _exclusion_rule("not_approved"),
    "validity": _exclusion_rule("expired", "not_yet_valid"),
    "rights": _exclusion_rule("rights_not_cleared"),
    "locales": _exclusion_rule("missing_locale"),
    "integrity": _exclusion_rule("invalid"),
    "dependants": _exclusion_rule("dependency_excluded"),
    "accounted_for": _accounted_for,
    "outputs": _outputs,
    "transformations": _transformations,
}


def run_checks(release: Release) -> list[dict[str, Any]]:
    """Every rule's outcome, in the table's order."""
    results = []
    for name, check in CHECKS.items():
        outcome, detail = check(release)
        results.append({"name": name, "outcome": outcome, "detail": detail})
    return results
