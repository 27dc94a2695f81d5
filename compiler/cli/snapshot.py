"""`cpc snapshot SOURCE [--store DIR]`: freeze an export into the snapshot store."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.cli.common import (
    ProgressBars,
    echo_report,
    guarded,
    progress_enabled,
    session,
    shared_options,
)
from compiler.diagnostics import Diagnostic, Report
from compiler.snapshot import ExportReader, SnapshotRefused, limits_from_config, resolve_source
from compiler.validate import check_file_masters

DEFAULT_STORE = Path("build") / "snapshots"


@click.command(name="snapshot")
@click.argument("source")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_STORE, show_default=True,
              help="The snapshot store folder.")
@shared_options
@guarded
def command(source: str, store: Path) -> None:
    """Freeze the export SOURCE (folder, .zip or snapshot id) into the store; print its id."""
    config = session().load_config()
    limits = limits_from_config(config)
    report = Report()

    def masters(reader: ExportReader) -> list[Diagnostic]:
        return check_file_masters(reader, config)

    try:
        with ProgressBars() as bars:
            progress = bars.stage("snapshot") if progress_enabled() else None
            snapshot = resolve_source(source, store, limits, [masters], report=report,
                                      progress=progress)
    except SnapshotRefused as refused:
        echo_report(refused.report)  # every problem, then the summary; click exits 1
        raise
    if len(report):
        echo_report(report)
    click.echo(snapshot.id)
