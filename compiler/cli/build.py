"""`cpc build [SOURCE]`: the whole pipeline; prints the archive, its sha256 and a summary."""

from __future__ import annotations

import re
from pathlib import Path

import click

from compiler.cli.common import (
    ProgressBars,
    echo_report,
    guarded,
    parse_date,
    progress_enabled,
    session,
    shared_options,
)
from compiler.errors import UsageProblem
from compiler.resources import sample_export, sample_exstream_data

VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@click.command(name="build")
@click.argument("source", required=False)
@click.option("--version", "version", metavar="V", help="Release version (default: the next "
              "calendar version YYYY.MM.N after those in the output folder).")
@click.option("--effective-date", metavar="D", help="Validity date YYYY-MM-DD (default: the "
              "date of the export's exported_at).")
@click.option("--exstream-data", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Exstream data folder (segments.json, template-usage.json).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
              show_default=True, help="Output folder: releases/, snapshots/ and cache/ go here.")
@click.option("--previous", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The previous release package (default: the latest in the ledger).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: cores).")
@click.option("--sign-key", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Ed25519 private key (PEM) to sign the archive with.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@shared_options
@guarded
def command(source: str | None, version: str | None, effective_date: str | None,
            exstream_data: Path | None, out: Path, previous: Path | None, jobs: int | None,
            sign_key: Path | None, strict: bool) -> None:
    """Build a release of SOURCE (an export folder, .zip or snapshot id).

    Without SOURCE, builds the sample export that ships with cpc (with its Exstream data).
    """
    # The pipeline imports every stage; load it only when a build runs.
    from compiler.pipeline import BuildRefused, BuildRequest, build

    if version is not None and not VERSION.fullmatch(version):
        raise UsageProblem(f"--version: expected letters, digits, '.', '_' or '-' starting "
                           f"with a letter or digit (e.g. 2026.12.1), got {version!r}")
    if sign_key is not None:
        # A wrong key is a usage error: say so before the snapshot and the renders run.
        from compiler.package.signing import load_private_key

        load_private_key(sign_key)
    config = session().load_config()
    if source is None:
        source = str(sample_export())
        exstream_data = exstream_data or sample_exstream_data()
    bars = ProgressBars()
    request = BuildRequest(source=source, config=config, out=out, version=version,
                           effective_date=parse_date(effective_date, "--effective-date"),
                           exstream_data=exstream_data, previous=previous, jobs=jobs,
                           sign_key=sign_key, strict=strict,
                           progress=bars.stage if progress_enabled() else None)
    try:
        with bars:
            outcome = build(request)
    except BuildRefused as refused:
        echo_report(refused.report)
        raise
    for exclusion in outcome.release.excluded:
        item = outcome.release.model.items[exclusion.id]
        click.echo(f"excluded {exclusion.reason} {item.location} ({item.label}): "
                   f"{exclusion.message}", err=True)
    echo_report(outcome.report)
    published = outcome.published
    if published.unchanged:
        click.echo(f"version {outcome.release.version} already exists with identical content; "
                   "nothing written", err=True)
    click.echo(str(published.archive))
    click.echo(f"sha256 {published.sha256}")
    click.echo(outcome.summary())
