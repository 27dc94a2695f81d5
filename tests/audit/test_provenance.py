"""audit/provenance.json: an in-toto Statement v1 with a SLSA Provenance v1 predicate."""

from __future__ import annotations

import json

from compiler import __version__
from compiler.audit import build_provenance
from compiler.release import PreviousRelease
from tests.audit.conftest import base_objects, make_release


def test_statement_binds_payload_manifest_and_index_to_the_build() -> None:
    release = make_release(base_objects(), previous=PreviousRelease("2026.12.0", "c" * 64))
    statement = build_provenance(release, "1" * 64, "2" * 64)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://slsa.dev/provenance/v1"
    assert statement["subject"] == [
        {"name": "manifest-sha256.txt", "digest": {"sha256": "1" * 64}},
        {"name": "data/index.xml", "digest": {"sha256": "2" * 64}}]
    definition = statement["predicate"]["buildDefinition"]
    assert definition["externalParameters"] == {
        "snapshot_id": "f" * 64, "name": "content", "version": "2026.12.1",
        "effective_date": "2026-12-01", "config_sha256": release.config.sha256}
    names = [d["name"] for d in definition["resolvedDependencies"]]
    assert names[:2] == ["snapshot", "cpc"] and "lxml" in names and "jinja2" in names
    assert definition["resolvedDependencies"][0]["digest"] == {"sha256": "f" * 64}
    assert definition["internalParameters"]["previous"]["version"] == "2026.12.0"
    run = statement["predicate"]["runDetails"]
    assert run["builder"]["id"] == f"urn:cpc:builder:{__version__}"
    assert run["metadata"]["startedOn"] == "2026-12-01T00:00:00Z"


def test_provenance_is_deterministic() -> None:
    one = build_provenance(make_release(base_objects()), "1" * 64, "2" * 64)
    two = build_provenance(make_release(base_objects()), "1" * 64, "2" * 64)
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
