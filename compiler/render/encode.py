"""Encoding renditions with fixed parameters, so the same pixels give the same bytes.

One small function per format in :data:`ENCODERS`. Nothing from the master's metadata
reaches the output: no EXIF, XMP, comments or timestamps; only the ICC profile bytes
and, for print, the resolution.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image

Encoder = Callable[[Image.Image, int, "EncodeOptions"], bytes]
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "tiff": "tif"}
LOSSY = frozenset({"jpeg", "webp"})


@dataclass(frozen=True)
class EncodeOptions:
    """What the encoder writes besides pixels."""

    icc: bytes | None
    dpi: int | None
    progressive: bool


def _save(image: Image.Image, fmt: str, **params: Any) -> bytes:
    image.info = {}  # never let Pillow fall back on metadata carried in image.info
    buffer = io.BytesIO()
    image.save(buffer, fmt, **{k: v for k, v in params.items() if v is not None})
    return buffer.getvalue()


def _dpi(options: EncodeOptions) -> tuple[int, int] | None:
    return (options.dpi, options.dpi) if options.dpi else None


def _jpeg(image: Image.Image, quality: int, options: EncodeOptions) -> bytes:
    # 4:4:4 at print qualities keeps fine type and lines sharp; 4:2:0 below for size.
    return _save(image, "JPEG", quality=quality, optimize=True,
                 progressive=options.progressive, subsampling=0 if quality >= 90 else 2,
                 icc_profile=options.icc, dpi=_dpi(options))


def _png(image: Image.Image, _quality: int, options: EncodeOptions) -> bytes:
    return _save(image, "PNG", compress_level=6, icc_profile=options.icc, dpi=_dpi(options))


def _webp(image: Image.Image, quality: int, options: EncodeOptions) -> bytes:
    return _save(image, "WEBP", quality=quality, method=4, lossless=False, exact=False,
                 icc_profile=options.icc or "")


def _tiff(image: Image.Image, _quality: int, options: EncodeOptions) -> bytes:
    return _save(image, "TIFF", compression="tiff_lzw", icc_profile=options.icc,
                 dpi=_dpi(options))


ENCODERS: dict[str, Encoder] = {"jpeg": _jpeg, "png": _png, "webp": _webp, "tiff": _tiff}


@dataclass(frozen=True)
class Encoded:
    """Encoded bytes and the quality they were encoded at (None for lossless formats)."""

    data: bytes
    quality: int | None
    fits: bool


def encode(image: Image.Image, fmt: str, quality: int, options: EncodeOptions, *,
           max_bytes: int | None = None, min_quality: int = 1) -> Encoded:
    """Encode; with ``max_bytes``, the highest quality ≥ ``min_quality`` that fits.

    The search is a bisection over whole qualities, so it is deterministic and costs
    about log2(quality - min_quality) extra encodes only when the first one is too big.
    """
    encoder = ENCODERS[fmt]
    data = encoder(image, quality, options)
    lossy = fmt in LOSSY
    if max_bytes is None or len(data) <= max_bytes:
        return Encoded(data, quality if lossy else None, True)
    if not lossy:
        return Encoded(data, None, False)
    best: tuple[int, bytes] | None = None
    low, high = min_quality, quality - 1
    while low <= high:
        mid = (low + high) // 2
        attempt = encoder(image, mid, options)
        if len(attempt) <= max_bytes:
            best, low = (mid, attempt), mid + 1
        else:
            high = mid - 1
    if best is not None:
        return Encoded(best[1], best[0], True)
    return Encoded(encoder(image, min_quality, options), min_quality, False)
