"""The model: products, assets, text blocks and offers, typed and with governance.

Items are built from export objects through the configuration's field mapping, so
code speaks of meanings (``item.value("images")``) and never of a customer's field
names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Location
from compiler.model.objects import ExportObject


@dataclass(frozen=True)
class LocalisedValue:
    """One entry of a localised field, typed."""

    value: Any
    locale: str | None
    channel: str | None


@dataclass(frozen=True)
class Localised:
    """A localised field: the most specific entry wins (export-format.md)."""

    entries: tuple[LocalisedValue, ...]

    def get(self, locale: str, channel: str | None = None) -> Any:
        """The value for a locale (and channel), or None when there is none."""
        best: LocalisedValue | None = None
        best_rank = -1
        for entry in self.entries:
            if entry.locale not in (None, locale) or entry.channel not in (None, channel):
                continue
            rank = (2 if entry.locale else 0) + (1 if entry.channel else 0)
            if rank > best_rank:
                best, best_rank = entry, rank
        return None if best is None else best.value

    def covers(self, locale: str) -> bool:
        """True when the locale has a channel-independent value (its own or a shared one)."""
        return any(e.channel is None and e.locale in (None, locale) for e in self.entries)

    def channel_overrides(self, locale: str) -> list[str]:
        """Channels with an entry of their own that applies to this locale."""
        return sorted({e.channel for e in self.entries
                       if e.channel is not None and e.locale in (None, locale)})


@dataclass(frozen=True)
class Governance:
    """Approval, validity and rights of one item."""

    status: str | None = None
    approved_by: str | None = None
    approved_at: dt.datetime | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    rights_status: str | None = None
    rights_valid_until: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form for the audit manifest and the index."""
        return {k: _jsonable(v) for k, v in self.__dict__.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Localised):
        return [{"value": _jsonable(e.value), "locale": e.locale, "channel": e.channel}
                for e in value.entries]
    return value


@dataclass
class Item:
    """One object of the export as cpc understands it."""

    kind: str
    id: str
    module: str
    type: str
    version: int
    mod_time: str
    key: str
    values: dict[str, Any]
    governance: Governance
    source: ExportObject = field(repr=False)
    file: str = ""

    @property
    def location(self) -> Location:
        """Where the object is in the export."""
        return self.source.location

    def value(self, meaning: str) -> Any:
        """A field's typed value by meaning (a :class:`Localised` for localised fields)."""
        return self.values.get(meaning)

    def text(self, meaning: str, locale: str, channel: str | None = None) -> Any:
        """A localised field's value for a locale and channel."""
        value = self.values.get(meaning)
        return value.get(locale, channel) if isinstance(value, Localised) else value

    def references(self, meaning: str) -> tuple[str, ...]:
        """The ids a relation field points at (empty when unset)."""
        value = self.values.get(meaning)
        if value is None:
            return ()
        return value if isinstance(value, tuple) else (value,)

    def canonical(self) -> dict[str, Any]:
        """The canonical JSON form of what cpc read: identity, fields by meaning, governance."""
        return {
            "id": self.id, "module": self.module, "kind": self.kind, "type": self.type,
            "version": self.version, "mod_time": self.mod_time,
            "fields": {k: _jsonable(v) for k, v in sorted(self.values.items())},
            "governance": self.governance.to_json(),
        }

    @property
    def sha256(self) -> str:
        """sha256 of :meth:`canonical` as compact, sorted JSON: equal for JSON and XML forms."""
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def label(self) -> str:
        """The key when there is one, else the id: how people name the item."""
        return self.key or self.id


@dataclass
class Model:
    """Everything an export holds, as items, plus the export's header."""

    header: dict[str, Any]
    locales: tuple[str, ...]
    items: dict[str, Item] = field(default_factory=dict)
    unknown_modules: dict[str, list[ExportObject]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Item]:
        """Items of one kind, in export order."""
        return [i for i in self.items.values() if i.kind == kind]

    @property
    def products(self) -> list[Item]:
        """Product items."""
        return self.of_kind("product")

    @property
    def assets(self) -> list[Item]:
        """File (asset) items."""
        return self.of_kind("file")

    @property
    def blocks(self) -> list[Item]:
        """Text block items."""
        return self.of_kind("text_block")

    @property
    def offers(self) -> list[Item]:
        """Offer items."""
        return self.of_kind("offer")

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items.values())

    def by_key(self) -> dict[str, Item]:
        """Items by their key (first one wins when keys collide; validation reports that)."""
        found: dict[str, Item] = {}
        for item in self.items.values():
            found.setdefault(item.key, item)
        return found


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def asset_key(file_name: str, object_id: str) -> str:
    """The stable key of an asset without a key field (package-format.md).

    ``Tagesgeld Übersicht.jpg`` with id ``432b7c5d-…`` → ``tagesgeld-ubersicht-432b7c5d``.
    """
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    ascii_stem = "".join(c for c in unicodedata.normalize("NFKD", stem)
                         if not unicodedata.combining(c))
    slug = _NOT_SLUG.sub("-", ascii_stem.lower()).strip("-") or "asset"
    return f"{slug}-{object_id.replace('-', '')[:8].lower()}"
