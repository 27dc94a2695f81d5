"""User-facing errors: each carries its exit code, so users see a message, not a traceback.

Exit codes follow cli.md: 1 when the content or package failed, 2 for usage or
configuration errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import click

from compiler.diagnostics import Diagnostic, Report


class CpcError(click.ClickException):
    """The content or package failed (exit 1)."""

    exit_code = 1


class DiagnosedError(CpcError):
    """A failure described by diagnostics: shown as ``LEVEL CODE location: message``
    lines, then one ``Error:`` line (not ``Error: error E-…``, click's default)."""

    def __init__(self, diagnostics: Sequence[Diagnostic], headline: str) -> None:
        self.diagnostics = list(diagnostics)
        self.headline = headline
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def show(self, file: IO[Any] | None = None) -> None:
        """Each diagnostic, then the headline with the counts."""
        for diagnostic in self.diagnostics:
            click.echo(diagnostic.format(), file=file, err=file is None)
        summary = Report(self.diagnostics).summary()
        click.echo(f"Error: {self.headline} ({summary})", file=file, err=file is None)


class UsageProblem(click.ClickException):
    """Usage or configuration error (exit 2)."""

    exit_code = 2


class ConfigError(UsageProblem):
    """`cpc.toml` is invalid; the message names every bad option."""
