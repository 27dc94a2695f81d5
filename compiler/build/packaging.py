"""The package stage: index, Exstream files, audit files, then the bag, published.

Order matters because of the checksums: the payload (content, assets, documents, the
Exstream files and index.xml) is fixed first; the payload manifest's sha256 and the
index's sha256 go into the provenance; the audit files are tag files of the bag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler import __version__
from compiler.audit import build_manifest, build_provenance, dump_manifest, render_report
from compiler.audit.read import read_manifest_from_package
from compiler.build.index import build_index
from compiler.diagnostics import Diagnostic
from compiler.errors import UsageProblem
from compiler.exstream import write_catalog, write_kits, write_offers
from compiler.exstream.usage import missing_template_content
from compiler.package import (
    BagSpec,
    PayloadFile,
    PublishedRelease,
    ReleaseFacts,
    previous_release,
    publish_release,
    render_index,
)
from compiler.package import PreviousRelease as BagPrevious
from compiler.package.bag import manifest_text
from compiler.package.hashing import sha256_content
from compiler.release import PreviousRelease as ReleasePrevious
from compiler.release import Release

# payload file -> (role in index.xml, writer)
EXSTREAM_FILES = {
    "data/offers.xml": "offers",
    "data/catalog.xml": "catalog",
    "data/kits.xml": "kits",
}


def exstream_files(release: Release) -> tuple[dict[str, bytes], list[Diagnostic]]:
    """offers.xml, catalog.xml and kits.xml, and what their writers found."""
    offers, offer_findings = write_offers(release)
    kits, kit_findings = write_kits(release)
    files = {"data/offers.xml": offers, "data/catalog.xml": write_catalog(release),
             "data/kits.xml": kits}
    return files, [*offer_findings, *kit_findings, *missing_template_content(release)]


def payload_of(release: Release, extra: dict[str, bytes]) -> tuple[dict[str, bytes | Path],
                                                                  dict[str, str]]:
    """Every payload file (the outputs of each released item, then the extra files) and
    its sha256; outputs carry theirs, so only the extra files are hashed here."""
    payload: dict[str, bytes | Path] = {}
    sums: dict[str, str] = {}
    for released in release.items.values():
        for output in released.outputs:
            payload[output.path] = output.data
            sums[output.path] = output.sha256
    for path, data in extra.items():
        payload[path] = data
        sums[path] = hashlib.sha256(data).hexdigest()
    return payload, sums


def previous_manifest(release: Release) -> dict[str, Any] | None:
    """The audit manifest of the release this one follows, read from its archive."""
    previous = release.previous
    if previous is None or previous.archive is None or not previous.archive.is_file():
        return None
    return read_manifest_from_package(previous.archive)


@dataclass(frozen=True)
class PackagePlan:
    """The bag to publish, the audit manifest in it, and what the Exstream writers found."""

    spec: BagSpec
    manifest: dict[str, Any]
    findings: list[Diagnostic]


def plan_package(release: Release) -> PackagePlan:
    """Everything the bag holds, in the order the checksums require."""
    extra, findings = exstream_files(release)
    release.diagnostics.extend(findings)  # the manifest's checks count them
    files = [PayloadFile(role=role, path=path, sha256=hashlib.sha256(extra[path]).hexdigest(),
                         size=len(extra[path])) for path, role in EXSTREAM_FILES.items()]
    index = render_index(build_index(release, files=files))
    payload, sums = payload_of(release, {**extra, "data/index.xml": index})
    payload_manifest = manifest_text(sums)
    manifest = build_manifest(release, previous_manifest(release))
    provenance = build_provenance(release, hashlib.sha256(payload_manifest).hexdigest(),
                                  sums["data/index.xml"])
    tags: dict[str, bytes | Path] = {
        "audit/audit-manifest.json": dump_manifest(manifest),
        "audit/audit-report.html": render_report(manifest),
        "audit/provenance.json": dump_manifest(provenance),
    }
    previous = release.previous
    facts = ReleaseFacts(
        name=release.name, version=release.version,
        source_organization=str(release.config.data["release"]["source_organization"]),
        compiler_version=__version__, effective_time=release.created,
        snapshot_id=release.snapshot_id, effective_day=release.effective_date,
        previous=BagPrevious(previous.version, previous.archive_sha256) if previous else None)
    return PackagePlan(BagSpec(release=facts, payload=payload, tag_files=tags), manifest,
                       findings)


def find_previous(releases: Path, name: str, version: str,
                  given: Path | None) -> ReleasePrevious | None:
    """The previous release: ``--previous PACKAGE`` when given, else the ledger's."""
    found = previous_release(releases, name, version)
    if given is not None:
        digest = sha256_content(given)[0]
        version_of = read_manifest_from_package(given)["release"]["version"]
        if found is not None and found.archive_sha256 != digest:
            raise UsageProblem(
                f"--previous {given} (version {version_of}) is not the release the ledger of "
                f"{releases} names as previous ({found.version}); leave --previous out, or "
                "build into another --out folder")
        return ReleasePrevious(version=str(version_of), archive_sha256=digest, archive=given)
    if found is None:
        return None
    return ReleasePrevious(version=found.version, archive_sha256=found.archive_sha256,
                           archive=releases / f"{name}-{found.version}.zip")


def publish(release: Release, spec: BagSpec, releases: Path,
            sign_key: Path | None) -> PublishedRelease:
    """Write the archive, its checksum (and signature) and the ledger line."""
    return publish_release(releases, spec, sign_key, created=release.created)
