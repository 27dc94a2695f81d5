"""`cpc feedback FINDINGS --package PKG [--out FILE]`: review findings → 4ALLPORTAL CSV import."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.common import guarded, session, shared_options
from compiler.errors import CpcError
from compiler.exstream import (
    FeedbackSettings,
    check_findings,
    import_csv,
    package_items,
    read_findings,
)


def default_out(package: Path) -> Path:
    """``build/feedback/<package-stem>-findings.csv``."""
    return Path("build") / "feedback" / f"{package.stem}-findings.csv"


@click.command(name="feedback")
@click.argument("findings", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--package", "package", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The release zip the findings are about.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV import to write (default: build/feedback/<package>-findings.csv).")
@shared_options
@guarded
def command(findings: Path, package: Path, out: Path | None) -> None:
    """Turn review findings against a package into a 4ALLPORTAL CSV import."""
    settings = FeedbackSettings.from_config(session().load_config())
    read, problems = read_findings(findings)
    items = package_items(package)
    problems += check_findings(read, items)
    if problems:
        for problem in problems:
            click.echo(problem.format(), err=True)
        raise CpcError(f"{len(problems)} problem(s) in {findings.name}; nothing was written, "
                       "fix the findings and run again")
    target = out or default_out(package)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".part")
    temporary.write_bytes(import_csv(read, items, settings))
    temporary.replace(target)  # never leave a half-written import behind
    if not session().quiet:
        objects = len({items[f.key].id for f in read})
        click.echo(f"{target}: {len(read)} finding(s) on {objects} object(s)")
