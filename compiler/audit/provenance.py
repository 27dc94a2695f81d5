"""audit/provenance.json: an in-toto Statement v1 with a SLSA Provenance v1 predicate.

It binds the package's payload manifest and Exstream index (by sha256) to what built
them: the snapshot, the release parameters, the configuration and the compiler with its
libraries. Every timestamp is the release's own, so the statement is deterministic.
"""

from __future__ import annotations

import re
from typing import Any

from compiler import __version__
from compiler.audit.facts import dependency_versions, release_facts, utc_timestamp
from compiler.release import Release

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://slsa.dev/provenance/v1"
BUILD_TYPE = "urn:cpc:build-type:content-package:1"
PAYLOAD_MANIFEST = "manifest-sha256.txt"
INDEX = "data/index.xml"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def build_provenance(release: Release, payload_manifest_sha256: str,
                     index_sha256: str) -> dict[str, Any]:
    """The provenance statement for a release whose bag has these two digests."""
    facts = release_facts(release)
    snapshot = facts["snapshot"]
    snapshot_ref: dict[str, Any] = {"uri": f"urn:cpc:snapshot:{release.snapshot_id}",
                                    "name": "snapshot"}
    if _SHA256.fullmatch(release.snapshot_id):  # snapshot ids are content digests
        snapshot_ref["digest"] = {"sha256": release.snapshot_id}
    dependencies: list[dict[str, Any]] = [
        {**snapshot_ref,
         "annotations": {"exported_at": snapshot["exported_at"],
                         "system": snapshot["system"], "cursor": snapshot["cursor"]}},
        {"uri": f"urn:cpc:compiler:{__version__}", "name": "cpc",
         "annotations": {"version": __version__, "python": facts["python"]}},
    ]
    dependencies += [
        {"uri": f"pkg:pypi/{name}@{version}" if version else f"pkg:pypi/{name}",
         "name": name, "annotations": {"version": version}}
        for name, version in dependency_versions().items()
    ]
    created = facts["created"]
    return {
        "_type": STATEMENT_TYPE,
        "subject": [
            {"name": PAYLOAD_MANIFEST, "digest": {"sha256": payload_manifest_sha256}},
            {"name": INDEX, "digest": {"sha256": index_sha256}},
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {
                    "snapshot_id": release.snapshot_id,
                    "name": release.name,
                    "version": release.version,
                    "effective_date": facts["effective_date"],
                    "config_sha256": facts["config_sha256"],
                },
                "internalParameters": {
                    "previous": facts["previous"],
                },
                "resolvedDependencies": dependencies,
            },
            "runDetails": {
                "builder": {"id": f"urn:cpc:builder:{__version__}",
                            "version": {"cpc": __version__}},
                "metadata": {
                    "invocationId": f"urn:cpc:{release.name}:{release.version}",
                    "startedOn": created,
                    "finishedOn": utc_timestamp(release.created),
                },
            },
        },
    }
