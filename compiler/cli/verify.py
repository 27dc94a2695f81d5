"""`cpc verify PACKAGE [--public-key FILE] [--ledger]`: integrity and schema checks of a release."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from compiler.cli.common import guarded, shared_options
from compiler.diagnostics import Report
from compiler.errors import CpcError
from compiler.package.verify import CheckStatus, VerificationReport, verify_package

_MARK = {CheckStatus.PASSED: "ok", CheckStatus.FAILED: "FAILED", CheckStatus.SKIPPED: "skipped"}


def print_report(report: VerificationReport) -> None:
    """Each check and its outcome on stdout; each failing file's diagnostic on stderr."""
    click.echo(f"verifying {report.package}")
    width = max(len(check.name) for check in report.checks)
    for check in report.checks:
        line = f"  {_MARK[check.status]:<8}{check.name:<{width}}  {check.description}"
        if check.status is CheckStatus.SKIPPED:
            line += f" (skipped: {check.reason})"
        elif check.problems:
            count = len(check.problems)
            line += f" ({count} problem{'s' if count != 1 else ''})"
        click.echo(line)
        sys.stdout.flush()  # keep each check's line ahead of its diagnostics on stderr
        for problem in check.problems:
            click.echo(f"    {problem.format()}", err=True)
    failed = [c.name for c in report.checks if c.status is CheckStatus.FAILED]
    skipped = [c.name for c in report.checks if c.status is CheckStatus.SKIPPED]
    if failed:
        # Name what was altered when checksums say so; the records that disagree because
        # of it (index.xml, Payload-Oxum) are in the diagnostics above.
        differing = report.differing_files()
        if differing:
            click.echo(f"altered, missing or unlisted files: {', '.join(differing)}", err=True)
        else:
            click.echo(f"failing files: {', '.join(report.failing_files())}", err=True)
    passed = len(report.checks) - len(failed) - len(skipped)
    summary = f"checks: {passed} passed, {len(failed)} failed, {len(skipped)} skipped; " \
              f"{Report(report.problems).summary()}"
    click.echo(f"{report.archive_sha256}  {report.package.name}")
    click.echo(summary)


@click.command(name="verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public-key", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check the detached Ed25519 signature <package>.sig with this PEM key.")
@click.option("--ledger", "check_ledger", is_flag=True,
              help="Check the hash chain of ledger.jsonl in the package's folder.")
@shared_options
@guarded
def command(package: Path, public_key: Path | None, check_ledger: bool) -> None:
    """Integrity and schema checks of a release package (exit 1 when any check fails)."""
    report = verify_package(package, public_key=public_key, check_ledger=check_ledger)
    print_report(report)
    if not report.ok:
        failed = ", ".join(c.name for c in report.checks if c.status is CheckStatus.FAILED)
        raise CpcError(f"verification failed: {failed}")
