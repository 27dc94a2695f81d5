"""Print preflight: product and offer images big enough for the print preset.

The print preset places an image at ``long_edge`` pixels at ``dpi`` (2126 px at 300 dpi
= 180 mm). An image whose long edge (as shown) is shorter prints at a lower effective
dpi: a warning, or an error when ``[renditions] print_min_dpi`` > 0 and the effective
dpi is below it. ``dpi`` or ``long_edge`` = 0 turns the check off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from compiler.config import Config
from compiler.diagnostics import Diagnostic, error, warning
from compiler.errors import ConfigError
from compiler.model import Item, Model
from compiler.validate import codes
from compiler.validate.masters import ALIASES, RASTER

# kind -> meanings whose files are printed
PRINTED: dict[str, tuple[str, ...]] = {"product": ("images",), "offer": ("banner",)}


@dataclass(frozen=True)
class PrintPreset:
    """What preflight needs of ``[renditions]``: placed long edge, dpi, minimum dpi."""

    long_edge: int = 2126
    dpi: int = 300
    min_dpi: int = 0

    @classmethod
    def from_config(cls, renditions: Mapping[str, Any]) -> PrintPreset:
        """Read ``[renditions.print] long_edge, dpi`` and ``[renditions] print_min_dpi``."""
        print_section = renditions.get("print", {})
        values = {"renditions.print.long_edge": print_section.get("long_edge", cls.long_edge),
                  "renditions.print.dpi": print_section.get("dpi", cls.dpi),
                  "renditions.print_min_dpi": renditions.get("print_min_dpi", cls.min_dpi)}
        bad = [f"{option}: expected a non-negative integer, got {value!r}"
               for option, value in values.items()
               if not isinstance(value, int) or isinstance(value, bool) or value < 0]
        if bad:
            raise ConfigError("; ".join(bad))
        long_edge, dpi, min_dpi = values.values()
        return cls(long_edge=long_edge, dpi=dpi, min_dpi=min_dpi)


def printed_images(model: Model, released: Iterable[str]) -> Iterator[tuple[Item, Item, str]]:
    """(user, image, meaning) for every raster image a released product or offer prints."""
    for item_id in released:
        item = model.items[item_id]
        for meaning in PRINTED.get(item.kind, ()):
            for target in item.references(meaning):
                image = model.items.get(target)
                mime = str(image.value("mime_type") or "").lower() if image else ""
                if image is not None and image.kind == "file" and \
                        ALIASES.get(mime, mime) in RASTER:
                    yield item, image, meaning


def not_raster(model: Model, released: Iterable[str]) -> Iterator[Diagnostic]:
    """A product image or offer banner that is no raster image (an SVG, a PDF) is passed
    through to documents/ as it is: no print, email, web or mobile renditions for it."""
    seen: set[str] = set()
    for item_id in released:
        item = model.items[item_id]
        for meaning in PRINTED.get(item.kind, ()):
            for target in item.references(meaning):
                image = model.items.get(target)
                if image is None or image.kind != "file" or image.id in seen:
                    continue
                mime = str(image.value("mime_type") or "").lower()
                if not mime or ALIASES.get(mime, mime) in RASTER:
                    continue
                seen.add(image.id)
                yield warning(codes.IMAGE_NOT_RASTER,
                              f"{image.label} ({mime}) is used as an image by {item.kind} "
                              f"{item.label} ({meaning}) but is no raster image: it goes to "
                              "documents/ as it is, without print, email, web or mobile "
                              "renditions; upload a JPEG, PNG, TIFF or WebP master for it",
                              location=image.location, object_id=image.id, key=image.key)


def print_preflight(model: Model, config: Config, released: Iterable[str]) -> list[Diagnostic]:
    """Warnings (or errors below ``print_min_dpi``) for images too small for print, and for
    images that are no raster images at all."""
    released = list(released)
    preset = PrintPreset.from_config(config.section("renditions"))
    found: list[Diagnostic] = list(not_raster(model, released))
    if preset.dpi == 0 or preset.long_edge == 0:  # 0 turns the print size off: no check
        return found
    seen: set[str] = set()
    for user, image, meaning in printed_images(model, released):
        width, height = image.value("width"), image.value("height")
        if not isinstance(width, int) or not isinstance(height, int) or image.id in seen:
            continue
        seen.add(image.id)
        long_edge = max(width, height)
        if long_edge >= preset.long_edge:
            continue
        effective = long_edge * preset.dpi / preset.long_edge
        inches = preset.long_edge / preset.dpi
        message = (f"{image.label} ({width}x{height}) is printed by {user.kind} {user.label} "
                   f"({meaning}) at {inches * 25.4:.0f} mm: {effective:.0f} dpi instead of "
                   f"{preset.dpi}; upload a master with a long edge of at least "
                   f"{preset.long_edge} px")
        where = {"location": image.location, "object_id": image.id, "key": image.key}
        if preset.min_dpi > 0 and effective < preset.min_dpi:
            found.append(error(codes.PRINT_RESOLUTION_ERROR,
                               f"{message} (renditions.print_min_dpi = {preset.min_dpi})",
                               **where))
        else:
            found.append(warning(codes.PRINT_RESOLUTION_LOW, message, **where))
    return found
