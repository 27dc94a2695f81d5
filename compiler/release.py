"""The release: what a build decided to ship, in memory, before it is packaged.

The pipeline fills a :class:`Release`; the package, audit, offers, catalog and kit
writers only read it. Paths are relative to the bag's root (``data/...``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.config import Config
from compiler.diagnostics import Diagnostic
from compiler.model import Item, Model


@dataclass(frozen=True)
class OutputFile:
    """One file the release ships for an item.

    ``kind`` is ``exm``, ``html`` or ``txt`` for block forms, ``rendition`` for an image
    rendition, ``document`` for a pass-through file. ``facts`` holds the rendition facts
    (format, width, height, dpi, colour_space, icc_profile, afp_name) where they apply.
    """

    path: str
    data: bytes | Path
    sha256: str
    size: int
    kind: str
    locale: str | None = None
    channel: str | None = None
    preset: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of_bytes(cls, path: str, data: bytes, kind: str, **extra: Any) -> OutputFile:
        """An output whose content is in memory."""
        return cls(path=path, data=data, sha256=hashlib.sha256(data).hexdigest(),
                   size=len(data), kind=kind, **extra)


@dataclass
class ReleasedItem:
    """An item that goes out, with its outputs and every warning met on the way."""

    item: Item
    outputs: list[OutputFile] = field(default_factory=list)
    transformations: list[Diagnostic] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Exclusion:
    """An object of the export that does not go out, and why (a reason code)."""

    id: str
    kind: str
    key: str
    module: str
    reason: str
    message: str


@dataclass(frozen=True)
class PreviousRelease:
    """The release this one follows, from the ledger (or ``--previous``)."""

    version: str
    archive_sha256: str
    archive: Path | None = None


@dataclass
class ExstreamData:
    """What Exstream told us: its segments and which templates use which content keys."""

    segments: list[dict[str, str]] = field(default_factory=list)
    template_usage: list[dict[str, Any]] = field(default_factory=list)

    def templates_using(self, key: str) -> list[str]:
        """The Exstream templates that pull a content key, sorted."""
        return sorted({u["template"] for u in self.template_usage if key in u.get("uses", [])})


@dataclass
class Release:
    """Everything one build ships, before packaging."""

    name: str
    version: str
    effective_date: dt.date
    created: dt.datetime
    snapshot_id: str
    config: Config
    model: Model
    items: dict[str, ReleasedItem] = field(default_factory=dict)
    excluded: list[Exclusion] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    exstream: ExstreamData | None = None
    previous: PreviousRelease | None = None

    def released(self, kind: str) -> list[ReleasedItem]:
        """Released items of one kind, sorted by key."""
        return sorted((r for r in self.items.values() if r.item.kind == kind),
                      key=lambda r: r.item.key)

    def is_released(self, item_id: str) -> bool:
        """True when the object with this id goes out."""
        return item_id in self.items

    def key_of(self, item_id: str) -> str | None:
        """The key of a released item by id, or None when it is not released."""
        released = self.items.get(item_id)
        return released.item.key if released else None
