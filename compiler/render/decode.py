"""Opening a master safely: sniff, cap, decode fully, orient, normalise the pixel mode.

Hostile or broken masters become a :class:`MasterProblem` with a stable code; nothing
here lets Pillow pad a truncated file with grey or decode a bomb. After
:func:`open_master` the image is upright (EXIF orientation applied, none left) and in
one of the modes L, RGB, RGBA or CMYK, 8 bits per channel.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops, ImageFile, ImageOps

from compiler.render.sniff import IMAGE_SIGNATURES, claimed_kind, kind_of, read_head

# Never let Pillow hand back a half-decoded image: a truncated master is an error.
ImageFile.LOAD_TRUNCATED_IMAGES = False
# EXIF orientations 5–8 swap width and height.
_TRANSPOSED = frozenset({5, 6, 7, 8})
_ORIENTATION_TAG = 0x0112
_PILLOW_LIMIT_LOCK = threading.Lock()


class MasterProblem(Exception):
    """A master that cannot be rendered; ``code`` is the diagnostic code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Master:
    """A decoded, upright master and what was learnt opening it."""

    image: Image.Image
    icc: bytes | None
    shown_size: tuple[int, int]  # full size as shown (after orientation), before draft
    warnings: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Header:
    """What the header says, before any pixel is decoded."""

    kind: str
    shown_size: tuple[int, int]
    orientation: int
    frames: int
    max_pixels: int


def _scale_16bit(image: Image.Image) -> Image.Image:
    # 16-bit grey: 0..65535 maps onto 0..255 (divide by 257), not clipped at 255.
    wide = image if image.mode == "I" else image.convert("I")
    return wide.point(lambda v: v * (1 / 257) + 0.5).convert("L")


def _palette(image: Image.Image) -> Image.Image:
    return image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")


# Pillow mode -> how it becomes L, RGB, RGBA or CMYK. Modes not listed are refused.
_NORMALISE: dict[str, Callable[[Image.Image], Image.Image]] = {
    "L": lambda im: im,
    "RGB": lambda im: im,
    "RGBA": lambda im: im,
    "CMYK": lambda im: im,
    "1": lambda im: im.convert("L"),
    "P": _palette,
    "PA": _palette,
    "LA": lambda im: im.convert("RGBA"),
    "La": lambda im: im.convert("LA").convert("RGBA"),
    "RGBa": lambda im: im.convert("RGBA"),
    "RGBX": lambda im: im.convert("RGB"),
    "YCbCr": lambda im: im.convert("RGB"),
    "I": _scale_16bit,
    "I;16": _scale_16bit,
    "I;16L": _scale_16bit,
    "I;16B": _scale_16bit,
    "I;16N": _scale_16bit,
}


def read_header(path: Path, file_name: str, mime_type: str | None, max_pixels: int) -> Header:
    """Sniff and read the header only; refuse what must not be decoded."""
    try:
        head = read_head(path)
    except OSError as exc:
        raise MasterProblem("E-RENDER-READ", f"cannot read the master: {exc.strerror}") from None
    if not head:
        raise MasterProblem("E-RENDER-EMPTY", "the master file is empty (0 bytes)")
    kind = kind_of(head)
    claim = claimed_kind(file_name, mime_type)
    if claim is not None and kind is not None and claim[0] != kind:
        raise MasterProblem("E-RENDER-MISLABELLED",
                            f"the {claim[1]} says {claim[0]} but the bytes are {kind}")
    if kind not in IMAGE_SIGNATURES:
        found = kind or "not a recognised format"
        raise MasterProblem("E-RENDER-NOT-IMAGE",
                            f"the master is {found}, not a JPEG, PNG, GIF, TIFF, WebP or BMP "
                            "image; documents are copied to documents/, not rendered")
    with _opened(path, kind, max_pixels) as image:
        width, height = image.size
        orientation = _orientation(image)
        frames = int(getattr(image, "n_frames", 1))
    if width <= 0 or height <= 0:
        raise MasterProblem("E-RENDER-CORRUPT", f"the header gives a size of {width}×{height}")
    if width * height > max_pixels:
        raise MasterProblem("E-RENDER-PIXELS",
                            f"the master is {width}×{height} = {width * height:,} pixels, over "
                            f"the cap of {max_pixels:,} (limits.max_pixels)")
    if kind in _VERIFIABLE:
        _verify(path, kind, max_pixels)
    shown = (height, width) if orientation in _TRANSPOSED else (width, height)
    return Header(kind, shown, orientation, frames, max_pixels)


# Formats whose Pillow plugin can check the file's structure (chunk CRCs up to IEND)
# without decoding; a PNG cut short can otherwise decode "complete" from a partial stream.
_VERIFIABLE = frozenset({"png"})


def _verify(path: Path, kind: str, max_pixels: int) -> None:
    with _opened(path, kind, max_pixels) as image:
        try:
            image.verify()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise MasterProblem("E-RENDER-CORRUPT",
                                f"the {kind} file is damaged or cut short: {exc}") from None


class _opened:
    """Image.open restricted to the sniffed plugin, with Pillow's errors made coded."""

    def __init__(self, path: Path, kind: str, max_pixels: int) -> None:
        self.path, self.kind, self.max_pixels = path, kind, max_pixels
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        # Pillow's own bomb limit is replaced by ours (limits.max_pixels) for this open:
        # above it Pillow warns (ignored: read_header refuses the image right after) and
        # above twice it Pillow refuses to open at all.
        # The swap is a process-wide global: one thread at a time (opening reads headers only).
        with _PILLOW_LIMIT_LOCK, warnings.catch_warnings():
            pillow_limit = Image.MAX_IMAGE_PIXELS
            try:
                Image.MAX_IMAGE_PIXELS = self.max_pixels
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self.image = Image.open(self.path, formats=[IMAGE_SIGNATURES[self.kind][1]])
            except Image.DecompressionBombError as exc:
                raise MasterProblem("E-RENDER-PIXELS",
                                    f"decompression bomb refused: {exc}") from None
            except (OSError, SyntaxError, ValueError) as exc:
                raise MasterProblem("E-RENDER-CORRUPT",
                                    f"the {self.kind} header cannot be read: {exc}") from None
            finally:
                Image.MAX_IMAGE_PIXELS = pillow_limit
        return self.image

    def keep(self) -> Image.Image:
        """Hand the decoded image out instead of closing it on exit."""
        assert self.image is not None
        kept, self.image = self.image, None
        return kept

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError):
        return 1  # unreadable EXIF: treat as upright rather than refuse the image
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def open_master(path: Path, header: Header, *, divisor: int = 1) -> Master:
    """Decode the first frame fully; a JPEG at 1/``divisor`` size (Image.draft, 1/2/4/8).

    Other formats always decode at full size.
    """
    notes: list[tuple[str, str]] = []
    opened = _opened(path, header.kind, header.max_pixels)
    with opened as image:
        if header.frames > 1:
            notes.append(("W-RENDER-ANIMATED", f"the master has {header.frames} frames; "
                          "only the first is rendered"))
        if header.kind == "jpeg" and divisor > 1:
            # Floor division: Pillow then picks exactly this reduction (or none, if tiny).
            stored = image.size
            image.draft(image.mode, (max(1, stored[0] // divisor), max(1, stored[1] // divisor)))
        icc = image.info.get("icc_profile") or None
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise MasterProblem("E-RENDER-CORRUPT",
                                f"the {header.kind} data cannot be decoded: {exc}") from None
        adobe = "adobe" in image.info
        if header.orientation == 1:
            # Single-frame files are closed by load(); the pixels can be handed out as they are.
            upright = opened.keep() if header.frames == 1 else image.copy()
        else:
            upright = ImageOps.exif_transpose(image)
    if header.kind == "jpeg" and upright.mode == "CMYK" and not adobe:
        # Pillow assumes Adobe's inverted CMYK; without the Adobe marker the data is plain.
        upright = ImageChops.invert(upright)
    normalise = _NORMALISE.get(upright.mode)
    if normalise is None:
        raise MasterProblem("E-RENDER-MODE", f"pixel mode {upright.mode} is not supported")
    normal = normalise(upright)
    if normal.mode == "RGBA" and normal.getchannel("A").getextrema() == (255, 255):
        normal = normal.convert("RGB")  # an alpha channel that hides nothing is no alpha
    normal.info = {}
    return Master(normal, bytes(icc) if icc else None, header.shown_size, notes)
