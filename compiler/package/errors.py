"""The packaging stage's user-facing error: every problem found, as diagnostics, exit 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import click

from compiler.diagnostics import Diagnostic, Report
from compiler.errors import CpcError


class PackagingError(CpcError):
    """A release could not be written; ``diagnostics`` lists every reason (exit 1)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    def show(self, file: IO[Any] | None = None) -> None:
        """Each diagnostic in the usual ``LEVEL CODE location: message`` form, then one
        ``Error:`` line (not ``Error: error E-…``, which click's default would print)."""
        for diagnostic in self.diagnostics:
            click.echo(diagnostic.format(), file=file, err=file is None)
        summary = Report(self.diagnostics).summary()
        click.echo(f"Error: the release was not written ({summary})", file=file, err=file is None)
