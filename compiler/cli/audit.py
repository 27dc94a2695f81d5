"""`cpc audit PACKAGE`: the audit manifest's summary, as text or JSON, or its HTML report."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.audit import dump_manifest, read_manifest_from_package, render_report
from compiler.audit.summary import audit_lines
from compiler.cli.common import guarded, shared_options
from compiler.errors import UsageProblem


@click.command(name="audit")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the HTML audit report to this file.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="text: the summary; json: the whole audit manifest.")
@shared_options
@guarded
def command(package: Path, html_file: Path | None, output_format: str) -> None:
    """Print a release's audit summary (or manifest), or write its HTML report."""
    manifest = read_manifest_from_package(package)
    if html_file is not None:
        try:
            html_file.write_bytes(render_report(manifest))
        except OSError as exc:
            raise UsageProblem(f"{html_file}: cannot write the report there: {exc.strerror}; "
                               "name a file in an existing, writable folder") from None
    if output_format == "json":
        click.echo(dump_manifest(manifest).decode("utf-8"), nl=False)
    elif html_file is None:
        for line in audit_lines(manifest):
            click.echo(line)
    else:
        click.echo(f"wrote {html_file}", err=True)
