"""A BagIt 1.0 bag (RFC 8493), written by our own code, as the entries of a zip.

The pipeline hands over a :class:`BagSpec`: the release facts, the payload (paths
under ``data/``) and the tag files (``audit/...``). This module checks every path,
hashes every file once, and lays out ``bagit.txt``, ``bag-info.txt`` and the payload
and tag manifests under the top folder ``<name>-<version>/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from compiler.diagnostics import Diagnostic, Location, error
from compiler.package.hashing import sha256_content
from compiler.package.paths import case_collisions, path_problems

BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
PAYLOAD_MANIFEST = "manifest-sha256.txt"
TAG_MANIFEST = "tagmanifest-sha256.txt"
BAG_INFO = "bag-info.txt"
BAGIT = "bagit.txt"
RESERVED_TAG_FILES = frozenset({BAGIT, BAG_INFO, PAYLOAD_MANIFEST, TAG_MANIFEST})
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True, slots=True)
class PreviousRelease:
    """The release this one follows: its version and its archive's sha256."""

    version: str
    archive_sha256: str


@dataclass(frozen=True, slots=True)
class ReleaseFacts:
    """What bag-info.txt says about the release.

    ``effective_time`` is every timestamp of the release (the caller applies
    ``SOURCE_DATE_EPOCH``); its date is the Bagging-Date. ``effective_day`` is the date
    that decided validity (Cpc-Effective-Date); without it, the date of ``effective_time``.
    """

    name: str
    version: str
    source_organization: str
    compiler_version: str
    effective_time: datetime
    snapshot_id: str
    previous: PreviousRelease | None = None
    effective_day: date | None = None

    @property
    def bag_name(self) -> str:
        """``<name>-<version>``: the top folder of the zip and the archive's stem."""
        return f"{self.name}-{self.version}"

    @property
    def bagging_date(self) -> str:
        """The release's date in ISO form (UTC): the date of ``effective_time``."""
        moment = self.effective_time
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC).date().isoformat()

    @property
    def effective_date(self) -> str:
        """The date that decided validity, in ISO form."""
        return self.effective_day.isoformat() if self.effective_day else self.bagging_date


@dataclass(frozen=True)
class BagSpec:
    """Everything a release bag holds.

    ``payload`` maps bag paths under ``data/`` (e.g. ``data/index.xml``) to bytes or a
    file on disk; ``tag_files`` maps other bag paths (e.g. ``audit/provenance.json``)
    likewise. bagit.txt, bag-info.txt and the manifests are made here.
    """

    release: ReleaseFacts
    payload: Mapping[str, bytes | Path]
    tag_files: Mapping[str, bytes | Path] = field(default_factory=dict)


@dataclass(frozen=True)
class BagLayout:
    """A checked bag ready to archive: zip entry name -> content, plus what was hashed."""

    top: str
    entries: dict[str, bytes | Path]
    hashed: dict[str, str]  # zip entry name of each payload/tag file given -> sha256


def spec_problems(spec: BagSpec) -> list[Diagnostic]:
    """Every problem with the names and paths of ``spec``; empty when it can be bagged."""
    problems: list[Diagnostic] = []
    facts = spec.release
    for label, value in (("release name", facts.name), ("release version", facts.version)):
        if not _NAME.fullmatch(value):
            problems.append(error("E-PACKAGE-PATH", f"the {label} {value!r} must match "
                                  "[A-Za-z0-9][A-Za-z0-9._-]* to name the archive"))
    if not spec.payload:
        problems.append(error("E-PACKAGE-PATH", "the payload is empty: a bag needs data/ files"))
    for path in sorted(spec.payload):
        if not path.startswith("data/"):
            problems.append(error("E-PACKAGE-PATH", "a payload path must start with 'data/'",
                                  location=_where(path)))
    for path in sorted(spec.tag_files):
        if path.startswith("data/") or path in RESERVED_TAG_FILES or re.fullmatch(
                r"(tag)?manifest-[a-z0-9]+\.txt", path):
            problems.append(error("E-PACKAGE-PATH", "a tag file may not be under data/ nor "
                                  "take the name of a file cpc writes itself",
                                  location=_where(path)))
    every = [*spec.payload, *spec.tag_files]
    for path in sorted(every):
        problems.extend(error("E-PACKAGE-PATH", reason + "; rename it", location=_where(path))
                        for reason in path_problems(path))
    for first, second in case_collisions([*every, *RESERVED_TAG_FILES]):
        problems.append(error("E-PACKAGE-PATH", f"{second!r} collides with {first!r} without "
                              "regard to case; names must differ in more than case",
                              location=_where(second)))
    return problems


def _where(path: str) -> Location:
    return Location(file=path)


def manifest_text(sums: Mapping[str, str]) -> bytes:
    """A BagIt manifest: ``<sha256>  <path>`` lines, sorted by path, LF line ends."""
    return "".join(f"{sums[path]}  {path}\n" for path in sorted(sums)).encode("utf-8")


def bag_info_text(facts: ReleaseFacts, octets: int, streams: int) -> bytes:
    """bag-info.txt with every field package-format.md lists, in a fixed order."""
    previous = facts.previous
    fields = [
        ("Source-Organization", facts.source_organization),
        ("External-Identifier", f"urn:cpc:{facts.name}:{facts.version}"),
        ("Bagging-Date", facts.bagging_date),
        ("Payload-Oxum", f"{octets}.{streams}"),
        ("Bag-Software-Agent", f"cpc {facts.compiler_version}"),
        ("Bag-Group-Identifier", facts.name),
        ("Cpc-Version", facts.version),
        ("Cpc-Effective-Date", facts.effective_date),
        ("Cpc-Snapshot-Id", facts.snapshot_id),
        ("Cpc-Previous-Version", previous.version if previous else ""),
        ("Cpc-Previous-Archive-Sha256", previous.archive_sha256 if previous else ""),
    ]
    lines = []
    for label, value in fields:
        flat = " ".join(value.split())  # a value never spans lines: no folding to get wrong
        lines.append(f"{label}: {flat}".rstrip() + "\n")
    return "".join(lines).encode("utf-8")


def lay_out(spec: BagSpec) -> tuple[BagLayout, dict[str, tuple[str, int]]]:
    """Hash every file of ``spec`` and lay out the bag's zip entries.

    Returns the layout and, per bag path of the payload and tag files given, its
    (sha256, size). The caller must have checked :func:`spec_problems` first.
    """
    top = spec.release.bag_name
    facts_by_path = {path: sha256_content(content) for path, content in
                     [*spec.payload.items(), *spec.tag_files.items()]}
    payload_sums = {path: facts_by_path[path][0] for path in spec.payload}
    octets = sum(facts_by_path[path][1] for path in spec.payload)
    generated: dict[str, bytes] = {
        BAGIT: BAGIT_TXT,
        BAG_INFO: bag_info_text(spec.release, octets, len(spec.payload)),
        PAYLOAD_MANIFEST: manifest_text(payload_sums),
    }
    tag_sums = {path: facts_by_path[path][0] for path in spec.tag_files}
    for path, text in generated.items():
        tag_sums[path] = sha256_content(text)[0]
    generated[TAG_MANIFEST] = manifest_text(tag_sums)
    entries: dict[str, bytes | Path] = {}
    for path, text in generated.items():
        entries[f"{top}/{path}"] = text
    for path, given in [*spec.payload.items(), *spec.tag_files.items()]:
        entries[f"{top}/{path}"] = given
    hashed = {f"{top}/{path}": facts_by_path[path][0] for path in facts_by_path}
    return BagLayout(top=top, entries=entries, hashed=hashed), facts_by_path
