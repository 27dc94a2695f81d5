"""Sizes and crops: where a rendition's pixels come from and how big it is.

All boxes are in fractions of the upright master (0..1), so they hold at any decode
scale; sizes are whole pixels. Nothing is ever upscaled.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.render.presets import Preset

Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions
FULL: Box = (0.0, 0.0, 1.0, 1.0)


def focal_crop(size: tuple[int, int], aspect: tuple[int, int] | None,
               focal_point: tuple[float, float] | None) -> Box:
    """The largest box of ``aspect`` (W:H) centred on the focal point, kept inside the image.

    No aspect: the whole image. No focal point: the centre.
    """
    if aspect is None:
        return FULL
    width, height = size
    fx, fy = focal_point if focal_point is not None else (0.5, 0.5)
    wanted = aspect[0] / aspect[1]
    if width / height > wanted:  # too wide: full height, narrower width
        crop_w, crop_h = height * wanted / width, 1.0
    else:
        crop_w, crop_h = 1.0, width / wanted / height
    left = min(max(fx - crop_w / 2, 0.0), 1.0 - crop_w)
    top = min(max(fy - crop_h / 2, 0.0), 1.0 - crop_h)
    return (left, top, left + crop_w, top + crop_h)


@dataclass(frozen=True)
class Target:
    """One rendition's size: the nominal width it is named after and the pixels it gets."""

    nominal: int | None  # the preset width in the file name, None for long-edge presets
    size: tuple[int, int]
    upscale_refused: bool  # the master was smaller than the preset asks


def target_size(shown: tuple[int, int], box: Box, preset: Preset, nominal: int | None) -> Target:
    """The output size for ``preset`` at ``nominal`` width, from the full-size crop."""
    crop_w = (box[2] - box[0]) * shown[0]
    crop_h = (box[3] - box[1]) * shown[1]
    if nominal is not None:
        factor = nominal / crop_w
    else:
        assert preset.long_edge is not None
        factor = preset.long_edge / max(crop_w, crop_h)
    refused = factor > 1.0
    factor = min(factor, 1.0)
    size = (max(1, round(crop_w * factor)), max(1, round(crop_h * factor)))
    if nominal is not None and not refused:
        size = (nominal, size[1])  # the named width exactly, whatever the rounding
    return Target(nominal, size, refused)


def draft_divisor(shown: tuple[int, int], box: Box, target: Target) -> int:
    """The largest JPEG decode reduction (1, 2, 4 or 8) that still covers ``target``.

    It depends on this rendition alone, so a rendition's bytes do not change with the
    other presets rendered alongside it (which matters once some come from the cache).
    """
    crop_w = (box[2] - box[0]) * shown[0]
    crop_h = (box[3] - box[1]) * shown[1]
    for divisor in (8, 4, 2):
        if crop_w / divisor >= target.size[0] and crop_h / divisor >= target.size[1]:
            return divisor
    return 1


def pixel_box(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A fractional box as whole pixels of an image of ``size``."""
    width, height = size
    return (round(box[0] * width), round(box[1] * height),
            max(round(box[0] * width) + 1, round(box[2] * width)),
            max(round(box[1] * height) + 1, round(box[3] * height)))
