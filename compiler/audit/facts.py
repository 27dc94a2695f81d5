"""Release facts for the audit manifest and provenance: who built what, from what, with what.

Dependency versions come from the installed distributions (importlib.metadata), so a
manifest says exactly which libraries made its bytes.
"""

from __future__ import annotations

import datetime as dt
import platform
from importlib import metadata
from typing import Any

from compiler import __version__
from compiler.release import Release

# The libraries whose behaviour shapes a package's bytes (pyproject.toml dependencies).
DEPENDENCIES = ("click", "cryptography", "jinja2", "jsonschema", "lxml", "markdown-it-py",
                "pillow", "xmlschema")


def utc_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z``; a naive time is taken as UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def dependency_versions() -> dict[str, str | None]:
    """Installed version of each dependency, None when it is not installed."""
    found: dict[str, str | None] = {}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def _object_or_none(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) else None


def _string_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def snapshot_facts(release: Release) -> dict[str, Any]:
    """The snapshot the release was built from, with the export header's own facts."""
    header = release.model.header
    return {
        "id": release.snapshot_id,
        "exported_at": _string_or_none(header.get("exported_at")),
        "system": _object_or_none(header.get("system")),
        "cursor": _object_or_none(header.get("cursor")),
    }


def release_facts(release: Release) -> dict[str, Any]:
    """The ``release`` section of the audit manifest."""
    previous = release.previous
    return {
        "name": release.name,
        "version": release.version,
        "created": utc_timestamp(release.created),
        "effective_date": release.effective_date.isoformat(),
        "previous": None if previous is None else {
            "version": previous.version, "archive_sha256": previous.archive_sha256},
        "snapshot": snapshot_facts(release),
        "config_sha256": release.config.sha256,
        "compiler": {"name": "cpc", "version": __version__},
        "python": platform.python_version(),
        "dependencies": dependency_versions(),
    }
