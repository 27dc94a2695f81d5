"""What goes into rendering and what comes out: assets, renditions, per-asset results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compiler.diagnostics import Diagnostic


@dataclass(frozen=True)
class AssetToRender:
    """One image asset of the release.

    ``master`` is the master file (in the snapshot); ``master_sha256`` its sha256 as the
    snapshot recorded it (trusted: it keys the cache). ``file_name`` and ``mime_type``
    are what the export claims, checked against the bytes; ``focal_point`` is (x, y) in
    0..1 of the image as shown.
    """

    asset_id: str
    key: str
    role: str
    master: Path
    master_sha256: str
    focal_point: tuple[float, float] | None = None
    file_name: str = ""
    mime_type: str | None = None


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
