"""What a content stage made of one item: its output files and every finding."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from compiler.diagnostics import Diagnostic, Severity
from compiler.model import Item
from compiler.release import OutputFile


@dataclass
class ItemResult:
    """The files one stage made for an item, and its findings; ``failed`` on an error."""

    outputs: list[OutputFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when an error keeps the item out of the release."""
        return any(d.severity is Severity.ERROR for d in self.diagnostics)


def located(diagnostic: Diagnostic, item: Item) -> Diagnostic:
    """The diagnostic, placed at its item in the export when it has no place of its own."""
    if diagnostic.location.file:
        return diagnostic
    return replace(diagnostic, location=item.location, object_id=diagnostic.object_id or item.id)
