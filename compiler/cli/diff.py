"""`cpc diff OLD NEW`: what changed between two release packages, from their manifests."""

from __future__ import annotations

from pathlib import Path

import click

from compiler.audit import compare, dump_manifest, read_manifest_from_package
from compiler.audit.summary import change_lines
from compiler.cli.common import guarded, shared_options


@click.command(name="diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
@shared_options
@guarded
def command(old: Path, new: Path, output_format: str) -> None:
    """What changed between two releases: items added, changed (fields, locales), removed,
    and the Exstream templates affected. Reads the packages only, never the export."""
    before, after = read_manifest_from_package(old), read_manifest_from_package(new)
    changes = compare(before["items"], after["items"], after["excluded"])
    if output_format == "json":
        document = {
            "old": {k: before["release"][k] for k in ("name", "version")},
            "new": {k: after["release"][k] for k in ("name", "version")},
            **changes,
        }
        # the same canonical JSON as the manifest (lone surrogates escaped, sorted keys)
        click.echo(dump_manifest(document).decode("utf-8"), nl=False)
        return
    header = (f"{before['release']['name']} {before['release']['version']} -> "
              f"{after['release']['name']} {after['release']['version']}")
    for line in [header, *change_lines(changes)]:
        click.echo(line)
