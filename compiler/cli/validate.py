"""`cpc validate SOURCE [--format text|json] [--effective-date D]`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from compiler.cli.common import diagnostic_lines, guarded, parse_date, session, shared_options
from compiler.validate import ValidationResult, validate_source


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    date: dt.date | None = parse_date(value, "--effective-date")
    return date


def _print_text(result: ValidationResult) -> None:
    for line in diagnostic_lines(result.report):
        click.echo(line, err=True)
    for item_id, exclusion in result.decision.excluded.items():
        item = result.model.items[item_id]
        click.echo(f"excluded {exclusion.reason} {item.location} ({item.label}): "
                   f"{exclusion.message}", err=True)
    when = result.effective_date.isoformat() if result.effective_date else "unknown"
    click.echo(f"{result.report.summary()}; {result.decision.summary()} "
               f"(effective date {when})", err=True)


@click.command(name="validate")
@click.argument("source")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: diagnostics on stderr; json: one document on "
              "stdout.")
@click.option("--effective-date", callback=_date, metavar="YYYY-MM-DD",
              help="Date that decides validity (default: the date of exported_at).")
@click.option("--store", default="build/snapshots", show_default=True,
              help="Snapshot store, when SOURCE is a snapshot id.")
@click.option("--exstream-data", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Exstream data folder: offers' segments are checked against its "
              "segments.json, as `cpc build --exstream-data` does.")
@shared_options
@guarded
def command(source: str, output: str, effective_date: dt.date | None, store: str,
            exstream_data: Path | None) -> None:
    """Schema, semantic and compliance checks of SOURCE; lists every problem.

    The rich text of what would be released is converted too, so its errors (and the
    exclusions they cause) show here as they will in `cpc build`; images are rendered
    only by the build.
    """
    from compiler.exstream import load_exstream_data
    from compiler.pipeline import check_content  # imports every stage: only when run

    config = session().load_config()
    exstream = load_exstream_data(exstream_data) if exstream_data else None
    segments = [s["key"] for s in exstream.segments] if exstream is not None else None
    result = check_content(validate_source(source, config, effective_date, store=store,
                                           segments=segments), config)
    if output == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False, sort_keys=True))
    else:
        _print_text(result)
    if result.report.has_errors:
        raise SystemExit(1)
