"""Export objects as 4ALLPORTAL gives them: fields of entries with dimensions.

This is the form-independent raw layer: the JSON and XML readers both produce
:class:`ExportObject`s. Meaning (which field is a product's name) is applied later by
the mapping in :mod:`compiler.model.load`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Location

CHANNELS = ("print", "email", "web", "mobile")


@dataclass(frozen=True, slots=True)
class Entry:
    """One value of a field, with the locale and channel it applies to (None = all)."""

    value: Any
    locale: str | None = None
    channel: str | None = None
    location: Location = field(default_factory=Location)

    @property
    def specificity(self) -> int:
        """locale+channel (3) beats locale (2) beats channel (1) beats none (0)."""
        return (2 if self.locale else 0) + (1 if self.channel else 0)

    def applies(self, locale: str | None, channel: str | None) -> bool:
        """Whether this entry applies to the given locale and channel."""
        return (self.locale is None or self.locale == locale) and (
            self.channel is None or self.channel == channel
        )


@dataclass(slots=True)
class ExportObject:
    """One object of a module: identity, revision, and its fields' entries."""

    id: str
    module: str
    type: str
    mod_time: str
    version: int
    fields: dict[str, list[Entry]]
    location: Location

    def entries(self, name: str) -> list[Entry]:
        """All entries of a field (empty when absent)."""
        return self.fields.get(name, [])

    def has(self, name: str) -> bool:
        """True when the field has at least one entry."""
        return bool(self.fields.get(name))

    def resolve(self, name: str, locale: str | None = None,
                channel: str | None = None) -> Entry | None:
        """The most specific entry for a locale and channel (export-format.md).

        Ties between equally specific entries go to the first one in the export.
        """
        best: Entry | None = None
        for entry in self.fields.get(name, []):
            if entry.applies(locale, channel) and (
                best is None or entry.specificity > best.specificity
            ):
                best = entry
        return best

    def value(self, name: str, locale: str | None = None, channel: str | None = None) -> Any:
        """The value of :meth:`resolve`, or None."""
        entry = self.resolve(name, locale, channel)
        return None if entry is None else entry.value

    def channel_overrides(self, name: str, locale: str) -> list[str]:
        """The channels that have an entry of their own for this field and locale."""
        found = {e.channel for e in self.fields.get(name, [])
                 if e.channel and e.locale in (None, locale)}
        return sorted(c for c in found if c is not None)

    def iter_entries(self) -> Iterator[tuple[str, Entry]]:
        """Every (field name, entry) pair, in export order."""
        for name, entries in self.fields.items():
            for entry in entries:
                yield name, entry


@dataclass
class ModuleFile:
    """The objects one module file yielded, and where they came from."""

    module: str
    path: str
    form: str  # "json" or "xml"
    objects: list[ExportObject]
