"""The `cpc` command line: a thin click group; each command lives in its own module.

A command whose capability has not landed yet is listed, and says so with exit 2.
"""

from __future__ import annotations

import importlib

import click

from compiler import __version__
from compiler.cli.common import Session, shared_options
from compiler.errors import NotYetAvailable

# command name -> (module defining `command`, one-line help shown while it is missing)
COMMANDS: dict[str, tuple[str, str]] = {
    "snapshot": ("compiler.cli.snapshot", "Freeze an export into the snapshot store."),
    "validate": ("compiler.cli.validate", "Schema, semantic and compliance checks."),
    "build": ("compiler.cli.build", "Run the whole pipeline and write a release."),
    "verify": ("compiler.cli.verify", "Integrity and schema checks of a release."),
    "diff": ("compiler.cli.diff", "What changed between two releases."),
    "audit": ("compiler.cli.audit", "The audit manifest's summary or HTML report."),
    "feedback": ("compiler.cli.feedback", "Review findings to a 4ALLPORTAL CSV import."),
    "config": ("compiler.cli.config", "Show the effective configuration."),
    "keygen": ("compiler.cli.keygen", "Make an Ed25519 key pair for signing releases."),
}


def _missing(name: str, help_text: str) -> click.Command:
    @click.command(name=name, help=f"{help_text} (not available yet)",
                   context_settings={"ignore_unknown_options": True,
                                     "allow_extra_args": True})
    def placeholder() -> None:
        raise NotYetAvailable(f"`cpc {name}` is not available in this version of cpc yet")

    return placeholder


def _load(name: str, module_name: str, help_text: str) -> click.Command:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return _missing(name, help_text)
    command: click.Command = module.command
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cpc")
@shared_options
@click.pass_context
def main(ctx: click.Context) -> None:
    """cpc, the content-package compiler: 4ALLPORTAL exports to Exstream content packages."""
    ctx.ensure_object(Session)


for _name, (_module, _help) in COMMANDS.items():
    main.add_command(_load(_name, _module, _help), _name)
