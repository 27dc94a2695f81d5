"""`cpc snapshot SOURCE [--store DIR]`: freeze an export into the snapshot store."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

import click

from compiler.cli.common import guarded, progress_enabled, session, shared_options
from compiler.diagnostics import Diagnostic, Report
from compiler.snapshot import ExportReader, SnapshotRefused, limits_from_config, resolve_source
from compiler.snapshot.staging import Progress
from compiler.validate import check_file_masters

DEFAULT_STORE = Path("build") / "snapshots"


class _Bar:
    """A click progress bar on stderr, created once the byte count is known."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            bar: Any = click.progressbar(length=total, label="snapshot",
                                         file=sys.stderr)
            self._bar = self._stack.enter_context(bar)
        self._bar.update(done - self._done)
        self._done = done


def _print_report(report: Report) -> None:
    for diagnostic in report:
        click.echo(diagnostic.format(), err=True)


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
        with contextlib.ExitStack() as stack:
            progress: Progress | None = _Bar(stack) if progress_enabled() else None
            snapshot = resolve_source(source, store, limits, [masters], report=report,
                                      progress=progress)
    except SnapshotRefused as refused:
        _print_report(refused.report)  # click then prints the summary line and exits 1
        raise
    _print_report(report)
    if len(report):
        click.echo(report.summary(), err=True)
    click.echo(snapshot.id)
