"""The `cpc` command line: a thin click group; each command lives in its own module."""

from __future__ import annotations

import importlib

import click

from compiler import __version__
from compiler.cli.common import Session, shared_options

# command name -> the module defining its `command`
COMMANDS: dict[str, str] = {
    "snapshot": "compiler.cli.snapshot",
    "validate": "compiler.cli.validate",
    "build": "compiler.cli.build",
    "verify": "compiler.cli.verify",
    "diff": "compiler.cli.diff",
    "audit": "compiler.cli.audit",
    "feedback": "compiler.cli.feedback",
    "config": "compiler.cli.config",
    "keygen": "compiler.cli.keygen",
}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cpc")
@shared_options
@click.pass_context
def main(ctx: click.Context) -> None:
    """cpc, the content-package compiler: 4ALLPORTAL exports to Exstream content packages."""
    ctx.ensure_object(Session)


for _name, _module in COMMANDS.items():
    _command: click.Command = importlib.import_module(_module).command
    main.add_command(_command, _name)
