"""`cpc verify`: every check of package-format.md's Verification section, on one read of the zip.

:func:`verify_package` returns a :class:`VerificationReport`: one :class:`CheckResult`
per named check (passed, failed with the diagnostics naming each failing file, or
skipped with the reason). It never stops at the first failure.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from compiler.diagnostics import Diagnostic, Location, error
from compiler.package.bag import BAG_INFO
from compiler.package.bag_checks import (
    BAG_CHECKS,
    KEPT,
    SkipCheck,
    make_view,
    parse_bag_info,
)
from compiler.package.index_xml import INDEX_PATH
from compiler.package.ledger import read_ledger
from compiler.package.signing import load_public_key, signature_valid
from compiler.package.zipscan import ZipScan, scan_zip

_SUM_LINE = re.compile(r"([0-9a-fA-F]{64}) [ *](.+)\n?")


class CheckStatus(enum.StrEnum):
    """The outcome of one check."""

    PASSED = "ok"
    FAILED = "FAILED"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    """One named check: what it checks, its outcome, why (when skipped) and its problems."""

    name: str
    description: str
    status: CheckStatus
    problems: tuple[Diagnostic, ...] = ()
    reason: str = ""


@dataclass
class VerificationReport:
    """Every check run on one package, in order."""

    package: Path
    archive_sha256: str = ""
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no check failed (skipped checks do not fail a package)."""
        return all(c.status is not CheckStatus.FAILED for c in self.checks)

    @property
    def problems(self) -> list[Diagnostic]:
        """Every diagnostic of every failed check."""
        return [p for c in self.checks for p in c.problems]

    def check(self, name: str) -> CheckResult:
        """The result of the check called ``name``."""
        return next(c for c in self.checks if c.name == name)

    def failing_files(self) -> list[str]:
        """The files named by failing checks, sorted, without repeats."""
        return sorted({p.location.file for p in self.problems if p.location.file})

    def differing_files(self) -> list[str]:
        """The files whose bytes differ from what the package records: altered, missing or
        unlisted. A record that merely disagrees because of them (index.xml's entry for an
        altered file, Payload-Oxum) is not one of them.
        """
        files = {p.location.file for p in self.problems if p.code in _FILE_DIFFERS}
        if INDEX_PATH not in files:
            # index.xml itself is intact, so where it disagrees, the file it names differs.
            files |= {p.key for p in self.problems if p.code in _RECORD_DISAGREES and p.key}
        return sorted(files)


#: Problems located at the file whose bytes differ from its manifest line.
_FILE_DIFFERS = frozenset({"E-VERIFY-CHECKSUM", "E-VERIFY-MISSING", "E-VERIFY-UNLISTED"})
#: Problems located at a record (an index.xml line) whose key is the differing file.
_RECORD_DISAGREES = frozenset({"E-VERIFY-INDEX-PATH"})


def _record(report: VerificationReport, name: str, description: str,
            run: Callable[[], list[Diagnostic]]) -> None:
    try:
        problems = run()
    except SkipCheck as skip:
        report.checks.append(CheckResult(name, description, CheckStatus.SKIPPED, reason=str(skip)))
        return
    status = CheckStatus.FAILED if problems else CheckStatus.PASSED
    report.checks.append(CheckResult(name, description, status, tuple(problems)))


def _check_archive_sha256(package: Path, actual: str) -> list[Diagnostic]:
    sidecar = package.with_name(package.name + ".sha256")
    where = Location(sidecar.name)
    if not sidecar.is_file():
        return [error("E-VERIFY-ARCHIVE-SHA256", f"{sidecar.name} is missing beside the archive",
                      location=where)]
    match = _SUM_LINE.fullmatch(sidecar.read_text("utf-8", errors="replace"))
    if not match:
        return [error("E-VERIFY-ARCHIVE-SHA256", "not a sha256sum line ('<sha256>  <file>')",
                      location=where)]
    problems = []
    if match.group(2) != package.name:
        problems.append(error("E-VERIFY-ARCHIVE-SHA256", f"names {match.group(2)!r}, not "
                              f"{package.name!r}", location=where))
    if match.group(1).lower() != actual:
        problems.append(error("E-VERIFY-ARCHIVE-SHA256", f"{package.name} has sha256 {actual}, "
                              f"{sidecar.name} says {match.group(1).lower()}",
                              location=Location(package.name)))
    return problems


def _check_signature(package: Path, key: Ed25519PublicKey, key_name: str) -> list[Diagnostic]:
    signature = package.with_name(package.name + ".sig")
    if not signature.is_file():
        return [error("E-VERIFY-SIGNATURE", f"{signature.name} is missing beside the archive",
                      location=Location(signature.name))]
    if not signature_valid(package, signature.read_bytes(), key):
        return [error("E-VERIFY-SIGNATURE", f"the signature does not match {package.name} and "
                      f"the key {key_name}: the archive or signature was altered, or "
                      "another key signed it", location=Location(signature.name))]
    return []


def _check_ledger(package: Path, actual: str, bag_info: bytes | None) -> list[Diagnostic]:
    ledger = read_ledger(package.parent)
    if not ledger.path.exists():
        return [error("E-VERIFY-LEDGER", "ledger.jsonl is missing beside the archive",
                      location=Location(ledger.path.name))]
    problems = list(ledger.problems)
    entry = next((e for e in ledger.entries if e.archive == package.name), None)
    where = Location(ledger.path.name)
    if entry is None:
        return [*problems, error("E-VERIFY-LEDGER", f"{package.name} is not recorded in the "
                                 "ledger", location=where)]
    if entry.archive_sha256 != actual:
        problems.append(error("E-VERIFY-LEDGER", f"the ledger records sha256 "
                              f"{entry.archive_sha256} for {package.name}, the archive has "
                              f"{actual}", location=where))
    fields = parse_bag_info(bag_info)[0] if bag_info is not None else {}
    claimed = fields.get("Cpc-Previous-Archive-Sha256", [""])[0] or None
    if bag_info is not None and claimed != entry.previous_archive_sha256:
        problems.append(error("E-VERIFY-LEDGER", f"bag-info.txt names the previous archive "
                              f"{claimed}, the ledger {entry.previous_archive_sha256}",
                              location=Location(BAG_INFO)))
    return problems


def verify_package(path: Path, public_key: Path | None = None,
                   check_ledger: bool = False) -> VerificationReport:
    """Run every verification check on the package zip at ``path``.

    The zip is read once, hashed in 1 MiB chunks (flat memory). With ``public_key``
    the detached signature ``<archive>.sig`` is checked; with ``check_ledger`` the
    hash chain of ``ledger.jsonl`` in the package's folder. Raises UsageProblem only
    for an unreadable public key file.
    """
    key = load_public_key(public_key) if public_key is not None else None  # usage error first
    report = VerificationReport(package=path)
    stem = path.name[:-4] if path.name.endswith(".zip") else path.name
    scan: ZipScan = scan_zip(path, keep=lambda name: name.partition("/")[2] in KEPT)
    report.archive_sha256 = scan.archive_sha256
    view, entry_problems = make_view(scan, stem)
    _record(report, "archive-sha256", "the archive matches its .sha256 file",
            lambda: _check_archive_sha256(path, scan.archive_sha256))
    _record(report, "zip-entries", "zip entries are regular files with safe, unique paths "
            "under one top folder", lambda: entry_problems)
    for name, description, check in BAG_CHECKS:
        _record(report, name, description, lambda check=check: check(view))  # type: ignore[misc]
    if key is not None and public_key is not None:
        _record(report, "signature", "the detached Ed25519 signature is valid",
                lambda: _check_signature(path, key, public_key.name))
    if check_ledger:
        _record(report, "ledger", "the ledger's hash chain holds and records this archive",
                lambda: _check_ledger(path, scan.archive_sha256, view.text(BAG_INFO)))
    return report
