"""The packaging stage's user-facing error: every problem found, as diagnostics, exit 1."""

from __future__ import annotations

from collections.abc import Sequence

from compiler.diagnostics import Diagnostic
from compiler.errors import DiagnosedError


class PackagingError(DiagnosedError):
    """A release could not be written; ``diagnostics`` lists every reason (exit 1)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(diagnostics, "the release was not written")
