"""Review findings → a 4ALLPORTAL CSV import that sends each object back to review.

Every finding must name an item of the package, and a locale and channel that item is
delivered in; any that does not is an error, and then nothing is written, so no finding
is ever dropped silently. Findings against one object are joined into one row: the import
sets the approval field to the review value and the comment field to every finding.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from compiler.config import Config
from compiler.diagnostics import Diagnostic, error
from compiler.errors import ConfigError
from compiler.exstream.findings import Finding
from compiler.exstream.package_items import PackageItem

DELIMITER = ";"


@dataclass(frozen=True)
class FeedbackSettings:
    """Field names and values of the import: ``[governance]`` and ``[feedback]``."""

    approval_field: str
    review_value: str
    comment_field: str

    @classmethod
    def from_config(cls, config: Config) -> FeedbackSettings:
        """Read the settings; each must be non-empty text."""
        section = config.data.get("feedback", {})
        values = {"approval_field": ("governance.approval_status",
                                     config.governance.approval_status),
                  "review_value": ("feedback.review_value", section.get("review_value")),
                  "comment_field": ("feedback.comment_field", section.get("comment_field"))}
        bad = [f"{option}: expected a non-empty field name or value, got {value!r}"
               for option, value in values.values()
               if not isinstance(value, str) or not value.strip()]
        if bad:
            raise ConfigError("; ".join(bad))
        return cls(**{name: str(value) for name, (_, value) in values.items()})


def check_findings(findings: list[Finding], items: dict[str, PackageItem]) -> list[Diagnostic]:
    """Every finding that does not name a key, locale or channel of the package."""
    problems: list[Diagnostic] = []
    for finding in findings:
        item = items.get(finding.key)
        where = {"location": finding.location, "key": finding.key}
        if item is None or item.excluded:
            why = (f"it was left out of this package ({item.excluded}); correct it in "
                   "4ALLPORTAL directly" if item is not None and item.excluded else
                   "check the key against data/index.xml")
            problems.append(error("E-FINDING-KEY-UNKNOWN", f"{finding.key!r} is not an item of "
                                  f"this package: {why}", field="key", **where))
            continue
        if finding.locale and finding.locale not in item.locales:
            problems.append(error("E-FINDING-LOCALE-UNKNOWN",
                                  f"{finding.key!r} has no {finding.locale!r} form in this "
                                  f"package (it has {', '.join(sorted(item.locales)) or 'none'})",
                                  field="locale", locale=finding.locale, **where))
        if finding.channel and finding.channel not in item.channels:
            problems.append(error("E-FINDING-CHANNEL-UNKNOWN",
                                  f"{finding.key!r} is not delivered for channel "
                                  f"{finding.channel!r} (it is for "
                                  f"{', '.join(sorted(item.channels)) or 'none'})",
                                  field="channel", channel=finding.channel, **where))
    return problems


def comment_line(finding: Finding) -> str:
    """One finding as a line of the comment field: severity, scope, text, who and when."""
    scope = "/".join(p for p in (finding.locale, finding.channel) if p) or "all"
    who = ", ".join(p for p in (finding.reported_by, finding.reported_at) if p)
    text = " ".join(finding.comment.split())
    return f"[{finding.severity}] {finding.key} ({scope}): {text}" + (f" ({who})" if who else "")


def import_csv(findings: list[Finding], items: dict[str, PackageItem],
               settings: FeedbackSettings) -> bytes:
    """The import file: ``id`` first, one row per object, sorted by id (findings checked)."""
    comments: dict[str, list[str]] = {}
    for finding in findings:
        comments.setdefault(items[finding.key].id, []).append(comment_line(finding))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["id", settings.approval_field, settings.comment_field])
    for object_id in sorted(comments):
        writer.writerow([object_id, settings.review_value, "\n".join(comments[object_id])])
    return buffer.getvalue().encode("utf-8")
