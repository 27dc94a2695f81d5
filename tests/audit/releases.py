"""Two releases of the tiny export that differ the way real releases do."""

from __future__ import annotations

from typing import Any

from compiler.audit import build_manifest
from compiler.release import PreviousRelease
from tests.audit.conftest import IDS, _block, base_objects, find, make_release


def second_objects() -> dict[str, list[dict[str, Any]]]:
    """The next export: disclaimer reworded (de_DE) and re-approved, fee changed (en_GB),
    image replaced, product withdrawn, a FAQ block added, the hostile block revoked."""
    objects = base_objects()
    disc = find(objects, IDS["disc"])
    disc["body"][0]["value"] = "<p>Es gilt eine Selbstbeteiligung von 250 EUR.</p>"
    disc["approved_at"] = [{"value": "2026-11-25T08:00:00Z", "dimensions": {}}]
    disc["version"] = 4
    fee = find(objects, IDS["fee"])
    fee["body"][1]["value"] = "<p>Monthly EUR 10.90</p>"
    image = find(objects, IDS["image"])
    image["sha256"] = [{"value": "b" * 64, "dimensions": {}}]
    find(objects, IDS["hostile"])["approval_status"] = [{"value": "draft", "dimensions": {}}]
    objects["product"] = []
    objects["text_block"].append(_block(
        IDS["faq"], "FAQ-CLAIMS", "faq", {"de_DE": "Schadenfall", "en_GB": "Claims"},
        {"de_DE": "<p>Rufen Sie uns an.</p>", "en_GB": "<p>Call us.</p>"}, False))
    return objects


def two_manifests() -> tuple[dict[str, Any], dict[str, Any]]:
    """The first release's manifest and the second's, built against the first."""
    first = build_manifest(make_release(base_objects()), None)
    second_release = make_release(second_objects(), version="2026.12.2",
                                  previous=PreviousRelease("2026.12.1", "c" * 64))
    return first, build_manifest(second_release, first)
