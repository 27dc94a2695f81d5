"""`cpc config --show`: the effective configuration, as TOML."""

from __future__ import annotations

import click

from compiler.cli.common import guarded, session, shared_options
from compiler.errors import UsageProblem


@click.command(name="config")
@click.option("--show", is_flag=True, help="Print the effective configuration as TOML.")
@shared_options
@guarded
def command(show: bool) -> None:
    """Show the effective configuration (defaults merged with cpc.toml)."""
    config = session().load_config()
    if not show:
        raise UsageProblem("nothing to do: use `cpc config --show`")
    click.echo(config.to_toml(), nl=False)
