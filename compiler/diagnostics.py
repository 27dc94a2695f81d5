"""Diagnostics: every problem cpc finds, with where it is and what to do.

A diagnostic prints as ``LEVEL CODE location: message`` (cli.md). Stages collect
diagnostics into a :class:`Report` instead of raising, so one run reports every
problem, not the first.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


class Severity(enum.StrEnum):
    """How bad a diagnostic is; errors stop a release, warnings are recorded."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is.

    ``file`` is a path inside the export (or any file the user gave); ``pointer`` a
    JSON pointer into it (``#/result/3``) and ``line`` a line number for XML and text.
    """

    file: str = ""
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.pointer:
            text += self.pointer if self.pointer.startswith("#") else f"#{self.pointer}"
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: severity, stable code, location, the object and field, and a message."""

    severity: Severity
    code: str
    message: str
    location: Location = field(default_factory=Location)
    object_id: str = ""
    key: str = ""
    field: str = ""
    locale: str = ""
    channel: str = ""

    def where(self) -> str:
        """The location part of the one-line form: file, pointer or line, then (id / key)."""
        text = str(self.location)
        who = self.key or self.object_id
        if who:
            text = f"{text} ({who})" if text else f"({who})"
        qualifiers = [q for q in (self.field, self.locale, self.channel) if q]
        if qualifiers:
            text += " [" + ", ".join(qualifiers) + "]"
        return text

    def format(self) -> str:
        """``LEVEL CODE location: message`` as cli.md shows it."""
        where = self.where()
        return f"{self.severity.value} {self.code} {where}: {self.message}" if where else (
            f"{self.severity.value} {self.code}: {self.message}"
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with the same information as :meth:`format`."""
        data = asdict(self)
        data["severity"] = self.severity.value
        data["location"] = {k: v for k, v in asdict(self.location).items() if v not in ("", None)}
        data["text"] = self.format()
        return {k: v for k, v in data.items() if v not in ("", None)}


def error(code: str, message: str, **where: Any) -> Diagnostic:
    """Shorthand for an error diagnostic."""
    return Diagnostic(Severity.ERROR, code, message, **where)


def warning(code: str, message: str, **where: Any) -> Diagnostic:
    """Shorthand for a warning diagnostic."""
    return Diagnostic(Severity.WARNING, code, message, **where)


@dataclass
class Report:
    """An ordered collection of diagnostics from one run."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record one diagnostic."""
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Record several diagnostics."""
        self.diagnostics.extend(diagnostics)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.diagnostics)

    def __len__(self) -> int:
        return len(self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that stop a release."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics that are recorded but do not stop a release."""
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def has_errors(self) -> bool:
        """True when at least one error was found."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)

    def summary(self) -> str:
        """``3 errors, 12 warnings``."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        errors = f"{n_err} error{'s' if n_err != 1 else ''}"
        return f"{errors}, {n_warn} warning{'s' if n_warn != 1 else ''}"

    def to_json(self) -> dict[str, Any]:
        """One JSON document: every diagnostic plus the counts."""
        return {
            "diagnostics": [d.to_json() for d in self.diagnostics],
            "summary": {"errors": len(self.errors), "warnings": len(self.warnings)},
        }
