"""What goes into rendering and what comes out: assets, renditions, per-asset results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.diagnostics import Diagnostic


@dataclass(frozen=True)
class AssetToRender:
    """One image asset of the release.

    ``master`` is the master file (in the snapshot); ``master_sha256`` its sha256 as the
    snapshot recorded it (trusted: it keys the cache). ``file_name`` and ``mime_type``
    are what the export claims, checked against the bytes; ``focal_point`` is (x, y) in
    0..1 of the image as shown, given as a pair or as the export's ``{"x": …, "y": …}``
    (normalised to a pair clamped to 0..1; anything else counts as no focal point; the
    validator reports malformed values).
    """

    asset_id: str
    key: str
    role: str
    master: Path
    master_sha256: str
    focal_point: tuple[float, float] | None = None
    file_name: str = ""
    mime_type: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "focal_point", _focal_pair(self.focal_point))
        if not isinstance(self.mime_type, str):
            object.__setattr__(self, "mime_type", None)
        if not isinstance(self.file_name, str):
            object.__setattr__(self, "file_name", "")


def _focal_pair(value: Any) -> tuple[float, float] | None:
    """(x, y) from a pair or an ``{"x", "y"}`` mapping, clamped to 0..1; else None."""
    if isinstance(value, Mapping):
        value = (value.get("x"), value.get("y"))
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return None
    x, y = (min(max(float(v), 0.0), 1.0) for v in value)
    return (x, y)


@dataclass(frozen=True)
class Rendition:
    """One rendered file and its facts, for index.xml and the audit manifest.

    ``path`` is relative to the package content root:
    ``assets/<preset>/<asset-key>[-<width>].<ext>``. The bytes are in ``data`` or, when
    a cache folder was given, in the verified cache file ``file``; :meth:`read` gives them.
    ``quality`` is the encoder quality actually used (lowered to meet ``max_bytes``),
    None for lossless formats.
    """

    preset: str
    channel: str
    path: str
    format: str
    width: int
    height: int
    dpi: int | None
    colour_space: str
    icc_profile: str | None
    afp_name: str | None
    size: int
    sha256: str
    quality: int | None
    data: bytes | None = field(default=None, repr=False, compare=False)
    file: Path | None = field(default=None, compare=False)

    def read(self) -> bytes:
        """The rendition's bytes."""
        if self.data is not None:
            return self.data
        assert self.file is not None
        return self.file.read_bytes()


@dataclass
class AssetResult:
    """Every rendition of one asset and every diagnostic about it.

    An asset with an error diagnostic has no renditions. ``rendered`` counts the
    presets rendered in this run (0 when everything came from the cache).
    """

    asset_id: str
    key: str
    renditions: list[Rendition] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rendered: int = 0
