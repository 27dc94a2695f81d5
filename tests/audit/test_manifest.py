"""The audit manifest: schema, release facts, items, exclusions, checks, determinism."""

from __future__ import annotations

import json
from typing import Any

from compiler import __version__
from compiler.audit import build_manifest, dump_manifest, manifest_problems, render_report
from compiler.diagnostics import Location, warning
from compiler.release import Exclusion
from tests.audit.conftest import IDS, base_objects, find, make_release


def _item(manifest: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for i in manifest["items"] if i["key"] == key)


def test_first_release_validates_and_says_it_has_no_predecessor() -> None:
    manifest = build_manifest(make_release(base_objects()), None)
    assert manifest_problems(manifest) == []
    release = manifest["release"]
    assert release["previous"] is None
    assert release["version"] == "2026.12.1"
    assert release["created"] == "2026-12-01T00:00:00Z"
    assert release["effective_date"] == "2026-12-01"
    assert release["snapshot"] == {"id": "f" * 64, "exported_at": "2026-11-28T09:15:00Z",
                                   "system": {"name": "4ALLPORTAL", "version": "3.12.4"},
                                   "cursor": {"last_event_id": 81234}}
    assert release["compiler"] == {"name": "cpc", "version": __version__}
    assert release["dependencies"]["jinja2"]
    assert {i["change"] for i in manifest["items"]} == {"added"}
    assert len(manifest["changes"]["added"]) == 5


def test_item_entry_records_source_governance_outputs_and_warnings() -> None:
    release = make_release(base_objects())
    manifest = build_manifest(release, None)
    disc = _item(manifest, "DISC-HOME-EXCESS")
    assert disc["source"]["sha256"] == release.items[IDS["disc"]].item.sha256
    assert disc["source"]["version"] == 3
    assert disc["governance"]["regulated"] is True
    assert disc["governance"]["approved_by"] == "c.weber"
    assert disc["governance"]["rights"] is None
    assert [o["path"] for o in disc["outputs"]] == [
        "data/content/DISC-HOME-EXCESS/de_DE.exm.xml",
        "data/content/DISC-HOME-EXCESS/en_GB.exm.xml"]
    assert disc["used_by"] == ["RENEWAL_LETTER_HOME"]
    assert set(disc["fingerprints"]["body"]) == {"de_DE", "en_GB"}
    assert disc["title"] == {"de_DE": "Selbstbeteiligung", "en_GB": "Excess"}
    image = _item(manifest, "tagesgeld-ubersicht-5b1e0000")
    assert image["governance"]["rights"] == {"status": "cleared", "valid_until": "2027-12-31"}
    assert image["transformations"] == [{
        "code": "W-RENDER-UPSCALE", "severity": "warning", "channel": "email",
        "field": None, "locale": None, "message": "image is smaller than the preset's width"}]
    assert manifest["summary"]["warnings"] == 1


def test_warnings_no_item_records_are_release_findings_and_counted() -> None:
    release = make_release(base_objects())
    release.diagnostics = [
        warning("W-OFFER-UNCOVERED", "2 segment × trigger pair(s) have no offer of their own"),
        warning("W-TEMPLATE-CONTENT-MISSING", "template X uses GONE, which is not in the export",
                location=Location(file="template-usage.json", pointer="#/0/uses/1"), key="GONE",
                channel="email"),
        *release.items[IDS["image"]].transformations,  # recorded with the image already
    ]
    manifest = build_manifest(release, None)
    assert manifest_problems(manifest) == []
    assert [(f["code"], f["key"], f["location"]) for f in manifest["findings"]] == [
        ("W-OFFER-UNCOVERED", None, None),
        ("W-TEMPLATE-CONTENT-MISSING", "GONE", "template-usage.json#/0/uses/1")]
    assert manifest["summary"]["warnings"] == 3  # the image's one and the two findings
    assert b"W-TEMPLATE-CONTENT-MISSING" in render_report(manifest)


def test_unapproved_object_is_excluded_with_reason_and_counted() -> None:
    objects = base_objects()
    find(objects, IDS["fee"])["approval_status"] = [{"value": "draft", "dimensions": {}}]
    manifest = build_manifest(make_release(objects), None)
    assert [(e["key"], e["reason"]) for e in manifest["excluded"]] == [
        ("FEE-HOME-PLUS", "not_approved")]
    assert manifest["summary"]["excluded"] == {"not_approved": 1}
    checks = {c["name"]: c for c in manifest["checks"]}
    assert checks["approval"]["outcome"] == "excluded"
    assert checks["accounted_for"]["outcome"] == "passed"


def test_object_neither_released_nor_excluded_fails_the_accounting_check() -> None:
    release = make_release(base_objects())
    del release.items[IDS["fee"]]
    checks = {c["name"]: c for c in build_manifest(release, None)["checks"]}
    assert checks["accounted_for"]["outcome"] == "failed"
    assert IDS["fee"] in checks["accounted_for"]["detail"]


def test_object_both_released_and_excluded_fails_the_accounting_check() -> None:
    release = make_release(base_objects())
    release.excluded.append(Exclusion(IDS["fee"], "text_block", "FEE-HOME-PLUS",
                                      "text_block", "expired", "valid_until passed"))
    checks = {c["name"]: c for c in build_manifest(release, None)["checks"]}
    assert checks["accounted_for"]["outcome"] == "failed"
    assert checks["validity"]["outcome"] == "excluded"


def test_schema_refuses_unknown_keys_and_bad_values() -> None:
    manifest = build_manifest(make_release(base_objects()), None)
    manifest["items"][0]["surprise"] = 1
    manifest["items"][1]["change"] = "modified"
    manifest["release"]["config_sha256"] = "not-a-hash"
    problems = manifest_problems(manifest)
    assert len(problems) == 3
    assert any("surprise" in p for p in problems)
    assert any(p.startswith("/items/1/change") for p in problems)
    assert any(p.startswith("/release/config_sha256") for p in problems)


def test_same_release_gives_the_same_bytes() -> None:
    first = dump_manifest(build_manifest(make_release(base_objects()), None))
    again = dump_manifest(build_manifest(make_release(base_objects()), None))
    assert first == again
    assert first.endswith(b"}\n") and not first.endswith(b"\n\n")
    parsed = json.loads(first)
    assert list(parsed) == sorted(parsed)
    assert first == dump_manifest(parsed)


def test_export_order_does_not_change_the_bytes() -> None:
    objects = base_objects()
    reordered = {m: list(reversed(objs)) for m, objs in reversed(objects.items())}
    assert dump_manifest(build_manifest(make_release(objects), None)) == dump_manifest(
        build_manifest(make_release(reordered), None))


def test_lone_surrogates_from_json_survive_as_escapes() -> None:
    manifest = build_manifest(make_release(base_objects()), None)
    manifest["items"][0]["title"] = {"*": "a\ud800b"}
    data = dump_manifest(manifest)
    data.decode("utf-8")  # valid UTF-8
    assert b'"a\\ud800b"' in data
    assert json.loads(data)["items"][0]["title"] == {"*": "a\ud800b"}
