"""Rendering one asset: decode once, then every preset from the same pixels.

Order matters for speed and quality: orientation and mode first (decode.py), then crop
and reduce, then colour conversion on the small image, then flatten/encode. Renditions
of identical pixels (email and web at 1200 px) share one resize and one conversion.
This runs in worker processes; it returns plain data and writes cache entries itself.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from compiler.render.cache import RenditionCache
from compiler.render.colour import (
    Profile,
    ProfileProblem,
    convert,
    fogra39,
    press_profile,
    profile_from_bytes,
    srgb,
    total_ink_percent,
)
from compiler.render.decode import Header, Master, MasterProblem, open_master, read_header
from compiler.render.encode import EXTENSIONS, Encoded, EncodeOptions, encode
from compiler.render.geometry import Box, Target, draft_divisor, focal_crop, pixel_box, target_size
from compiler.render.model import AssetToRender
from compiler.render.preflight import print_preflight
from compiler.render.presets import ALPHA_FORMATS, Preset

Note = tuple[str, str, str]  # code, message, channel ("" for the master as a whole)


@dataclass(frozen=True)
class Context:
    """The section-wide settings a worker needs besides the presets."""

    background: tuple[int, int, int]
    profile: Path | None
    max_pixels: int
    print_min_dpi: int


@dataclass
class PresetOutcome:
    """One preset's renditions (as plain dicts of facts) and its notes."""

    preset: str
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class AssetOutcome:
    """What a worker sends back for one asset."""

    index: int
    error: Note | None = None
    notes: list[Note] = field(default_factory=list)
    presets: list[PresetOutcome] = field(default_factory=list)


def rendition_path(preset: Preset, key: str, nominal: int | None, fmt: str) -> str:
    """``assets/<preset>/<asset-key>[-<width>].<ext>``: width only when there are several."""
    suffix = f"-{nominal}" if nominal is not None and len(preset.widths) > 1 else ""
    return f"assets/{preset.name}/{key}{suffix}.{EXTENSIONS[fmt]}"


def _source_profile(master: Master, notes: list[Note]) -> tuple[Image.Image, Profile]:
    """The image in L/RGB/RGBA/CMYK and the profile its pixels are in."""
    image = master.image
    assumed = fogra39() if image.mode == "CMYK" else srgb()
    if master.icc is None:
        if image.mode == "L":
            return image.convert("RGB"), srgb()
        return image, assumed
    try:
        embedded = profile_from_bytes(master.icc)
    except ProfileProblem as exc:
        embedded = None
        notes.append(("W-RENDER-PROFILE", f"the embedded profile is ignored: {exc}", ""))
    if embedded is not None and embedded.fits(image.mode):
        return image, embedded
    if embedded is not None:
        notes.append(("W-RENDER-PROFILE", f"the embedded {embedded.space} profile "
                      f"'{embedded.description}' does not fit {image.mode} pixels; ignored", ""))
    return (image.convert("RGB"), srgb()) if image.mode == "L" else (image, assumed)


def _flatten(image: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    if image.mode != "RGBA":
        return image
    ground = Image.new("RGB", image.size, background)
    ground.paste(image, mask=image.getchannel("A"))
    return ground


class _Work:
    """One decoded master: one resize, conversion and encode per distinct request."""

    def __init__(self, image: Image.Image, source: Profile, background: tuple[int, int, int]):
        self.image, self.source, self.background = image, source, background
        self._resized: dict[tuple[Box, tuple[int, int]], Image.Image] = {}
        self._converted: dict[tuple[Box, tuple[int, int], str, bool], Image.Image] = {}
        self._encoded: dict[tuple[Any, ...], Encoded] = {}

    def resized(self, box: Box, size: tuple[int, int]) -> Image.Image:
        if (box, size) not in self._resized:
            region = pixel_box(box, self.image.size)
            self._resized[box, size] = self.image.resize(
                size, Image.Resampling.LANCZOS, box=region, reducing_gap=3.0)
        return self._resized[box, size]

    def converted(self, box: Box, size: tuple[int, int], target: Profile,
                  flatten: bool) -> Image.Image:
        key = (box, size, target.sha256, flatten)
        if key not in self._converted:
            pixels = self.resized(box, size)
            if flatten:
                pixels = _flatten(pixels, self.background)
            self._converted[key] = convert(pixels, self.source, target)
        return self._converted[key]

    def encoded(self, pixels_key: tuple[Any, ...], pixels: Image.Image, fmt: str,
                preset: Preset, options: EncodeOptions) -> Encoded:
        key = (*pixels_key, fmt, preset.quality, preset.max_bytes, preset.min_quality, options)
        if key not in self._encoded:
            self._encoded[key] = encode(pixels, fmt, preset.quality, options,
                                        max_bytes=preset.max_bytes,
                                        min_quality=preset.min_quality)
        return self._encoded[key]


def _output_format(preset: Preset, has_alpha: bool) -> tuple[str, bool]:
    """The format to write and whether alpha must be flattened away."""
    if not has_alpha:
        return preset.format, False
    if preset.colour == "cmyk" or not preset.keep_alpha:
        return preset.format, True
    return (preset.format if preset.format in ALPHA_FORMATS else "png"), False


@dataclass(frozen=True)
class _Plan:
    """One preset of one asset: its crop, its targets and the profile it converts into."""

    preset: Preset
    box: Box
    targets: tuple[Target, ...]
    profile: Profile
    notes: tuple[Note, ...] = ()  # preflight findings about this preset


def _render_target(work: _Work, plan: _Plan, target: Target) -> tuple[dict[str, Any], list[Note]]:
    """One rendition: facts (with the bytes under ``data``) and its notes."""
    preset, profile, notes = plan.preset, plan.profile, []
    fmt, flatten = _output_format(preset, work.image.mode == "RGBA")
    embed = preset.colour == "cmyk" or preset.keep_profile
    dpi = preset.dpi if preset.channel == "print" or preset.colour == "cmyk" else None
    options = EncodeOptions(profile.data if embed else None, dpi, preset.progressive)
    pixels = work.converted(plan.box, target.size, profile, flatten)
    if preset.colour == "cmyk" and preset.tac_limit is not None:
        ink = total_ink_percent(pixels)
        if ink > preset.tac_limit:
            notes.append(("W-RENDER-TAC", f"total ink reaches {ink:g} %, over the limit of "
                          f"{preset.tac_limit} % (tac_limit)", preset.channel))
    encoded = work.encoded((plan.box, target.size, profile.sha256, flatten), pixels, fmt,
                           preset, options)
    if not encoded.fits:
        # lossless formats (PNG, TIFF) have no quality to lower
        how = f" at quality {encoded.quality}" if encoded.quality is not None else " (lossless)"
        notes.append(("W-RENDER-MAX-BYTES", f"{target.size[0]} px {fmt} is "
                      f"{len(encoded.data):,} bytes{how}, over max_bytes "
                      f"{preset.max_bytes:,}", preset.channel))
    if target.upscale_refused and target.nominal is not None:
        notes.append(("W-RENDER-SMALL", f"the master is too small for {target.nominal} px; "
                      f"rendered at {target.size[0]} px (never upscaled)", preset.channel))
    return {
        "nominal": target.nominal, "format": fmt, "width": pixels.width,
        "height": pixels.height, "dpi": dpi,
        "colour_space": "CMYK" if profile.space == "CMYK" else "sRGB",
        "icc_profile": profile.description if embed else None,
        "quality": encoded.quality, "size": len(encoded.data),
        "sha256": hashlib.sha256(encoded.data).hexdigest(), "data": encoded.data,
    }, notes


def _preflight(preset: Preset, shown: tuple[int, int], box: Box,
               context: Context) -> Note | None:
    if preset.channel != "print":
        return None
    crop = (round((box[2] - box[0]) * shown[0]), round((box[3] - box[1]) * shown[1]))
    check = print_preflight(*crop, preset, print_min_dpi=context.print_min_dpi)
    if check.below_minimum:
        return ("E-RENDER-LOW-DPI", check.message() + f", under print_min_dpi "
                f"{context.print_min_dpi}", preset.channel)
    if check.below_target:
        return ("W-RENDER-LOW-DPI", check.message(), preset.channel)
    return None


def _plan(asset: AssetToRender, presets: tuple[Preset, ...], header: Header,
          context: Context, result: AssetOutcome) -> list[_Plan] | None:
    """Crops, sizes and profiles for every preset; None when preflight refuses the asset."""
    plans = []
    for preset in presets:
        box = focal_crop(header.shown_size, preset.aspect, asset.focal_point)
        targets = tuple(target_size(header.shown_size, box, preset, n) for n in preset.sizes)
        profile = press_profile(context.profile) if preset.colour == "cmyk" else srgb()
        finding = _preflight(preset, header.shown_size, box, context)
        if finding and finding[0].startswith("E-"):
            result.error = finding
            return None
        plans.append(_Plan(preset, box, targets, profile, (finding,) if finding else ()))
    return plans


Rendered = dict[tuple[int, int], tuple[dict[str, Any], list[Note]]]


def _render_group(master_path: Path, header: Header, divisor: int,
                  members: list[tuple[int, int]], plans: list[_Plan],
                  background: tuple[int, int, int]) -> tuple[list[Note], Rendered]:
    """Decode the master at 1/``divisor`` and render the (plan, target) ``members`` from it."""
    master = open_master(master_path, header, divisor=divisor)
    notes: list[Note] = [(code, message, "") for code, message in master.warnings]
    image, source = _source_profile(master, notes)
    work = _Work(image, source, background)
    return notes, {(p, t): _render_target(work, plans[p], plans[p].targets[t])
                   for p, t in members}


def render_asset(index: int, asset: AssetToRender, presets: tuple[Preset, ...],
                 context: Context, cache_root: Path | None,
                 keys: dict[str, str]) -> AssetOutcome:
    """Render ``presets`` of one asset; errors become the outcome's ``error``.

    Renditions are grouped by the JPEG decode reduction each needs; the master is decoded
    once per group, and each decoded image is dropped when its group is done.
    """
    result = AssetOutcome(index)
    rendered: Rendered = {}
    try:
        header = read_header(asset.master, asset.file_name or asset.master.name,
                             asset.mime_type, context.max_pixels)
        plans = _plan(asset, presets, header, context, result)
        if plans is None:
            return result
        groups: dict[int, list[tuple[int, int]]] = {}
        for p, plan in enumerate(plans):
            for t, target in enumerate(plan.targets):
                divisor = draft_divisor(header.shown_size, plan.box, target)
                groups.setdefault(divisor, []).append((p, t))
        # Groups are independent (own decode, own memo), so they run on threads: Pillow
        # and littleCMS release the GIL while decoding, resizing, converting and encoding.
        with ThreadPoolExecutor(max_workers=len(groups)) as threads:
            done = [threads.submit(_render_group, asset.master, header, divisor, members,
                                   plans, context.background)
                    for divisor, members in sorted(groups.items())]
            for future in done:  # in divisor order: notes are ordered the same every run
                notes, group_rendered = future.result()
                result.notes.extend(n for n in notes if n not in result.notes)
                rendered.update(group_rendered)
    except MasterProblem as problem:
        result.error = (problem.code, problem.message, "")
        return result
    except ProfileProblem as problem:
        result.error = ("E-RENDER-PROFILE", str(problem), "print")
        return result
    cache = RenditionCache(cache_root) if cache_root is not None else None
    for p, plan in enumerate(plans):
        # Master-level notes go with every entry: each must stand alone in the cache.
        outcome = PresetOutcome(plan.preset.name, notes=[*result.notes, *plan.notes])
        for t in range(len(plan.targets)):
            item, notes = rendered[p, t]
            outcome.items.append(item)
            outcome.notes.extend(notes)
        if cache is not None:
            _store(cache, keys[plan.preset.name], outcome)
        result.presets.append(outcome)
    return result


def _store(cache: RenditionCache, key: str, outcome: PresetOutcome) -> None:
    """Write the blobs, then the entry, then drop the bytes from what goes back."""
    for item in outcome.items:
        cache.put_blob(item.pop("data"))
    cache.put_entry(key, {"preset": outcome.preset, "blobs": outcome.items,
                          "notes": [list(n) for n in outcome.notes]})
