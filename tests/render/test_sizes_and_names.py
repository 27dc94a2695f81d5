"""Sizes, focal-point crops, the max_bytes budget, print preflight and AFP names."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from compiler.render import afp, assign_afp_names, parse_presets, print_preflight, render_assets
from compiler.render.geometry import focal_crop

from .conftest import asset_for, codes, settings_with, textured


def halves(size: tuple[int, int] = (400, 200)) -> Image.Image:
    """Left half red, right half blue."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


@pytest.mark.parametrize(("focal", "colour"), [((0.9, 0.5), "blue"), ((0.1, 0.5), "red")])
def test_fixed_aspect_crops_around_the_focal_point(
        save: Callable[..., Path], focal: tuple[float, float], colour: str) -> None:
    path = save(halves(), "banner.png")
    settings = settings_with({"square": {"channel": "web", "widths": [100], "aspect": "1:1",
                                         "format": "png"}})
    [result] = render_assets([asset_for(path, focal_point=focal)], settings, jobs=1)
    image = Image.open(io.BytesIO(result.renditions[0].read())).convert("RGB")
    assert image.size == (100, 100)
    corners = [image.getpixel(xy) for xy in ((0, 0), (99, 0), (0, 99), (99, 99), (50, 50))]
    channel = 2 if colour == "blue" else 0
    assert all(pixel[channel] > 180 for pixel in corners), corners  # type: ignore[index]


def test_focal_point_in_the_export_shape_is_accepted(save: Callable[..., Path]) -> None:
    path = save(halves(), "banner.png")
    settings = settings_with({"square": {"channel": "web", "widths": [100], "aspect": "1:1",
                                         "format": "png"}})
    as_export = replace(asset_for(path), focal_point={"x": 0.9, "y": 0.5})  # type: ignore[arg-type]
    assert as_export.focal_point == (0.9, 0.5)
    [result] = render_assets([as_export], settings, jobs=1)
    blue = Image.open(io.BytesIO(result.renditions[0].read())).convert("RGB").getpixel((5, 5))
    assert blue[2] > 180  # type: ignore[index]
    assert replace(as_export, focal_point="centre").focal_point is None  # type: ignore[arg-type]
    assert replace(as_export, focal_point=(1.5, -1)).focal_point == (1.0, 0.0)


def test_focal_crop_geometry_stays_inside_the_image() -> None:
    assert focal_crop((400, 200), (1, 1), (0.5, 0.5)) == (0.25, 0.0, 0.75, 1.0)
    assert focal_crop((400, 200), (1, 1), (1.0, 1.0)) == (0.5, 0.0, 1.0, 1.0)
    assert focal_crop((400, 200), (1, 1), None) == (0.25, 0.0, 0.75, 1.0)
    left, top, right, bottom = focal_crop((300, 400), (16, 9), (0.5, 0.0))
    assert (left, top, right) == (0.0, 0.0, 1.0) and bottom == pytest.approx(300 * 9 / 16 / 400)
    assert focal_crop((400, 200), None, (0.9, 0.9)) == (0.0, 0.0, 1.0, 1.0)


def test_widths_name_the_files_and_nothing_is_upscaled(save: Callable[..., Path]) -> None:
    path = save(textured((800, 600), 1), "photo.png")
    settings = parse_presets({"email": {"channel": "email", "widths": [600, 1200]},
                              "web": {"channel": "web", "widths": [500]}})
    [result] = render_assets([asset_for(path, key="hero")], settings, jobs=1)
    got = {r.path: (r.width, r.height) for r in result.renditions}
    assert got == {"assets/email/hero-600.jpg": (600, 450),
                   "assets/email/hero-1200.jpg": (800, 600),
                   "assets/web/hero.jpg": (500, 375)}
    assert codes(result) == ["W-RENDER-SMALL"]
    assert result.diagnostics[0].channel == "email"


def test_max_bytes_lowers_quality_until_it_fits(save: Callable[..., Path]) -> None:
    path = save(textured((600, 400), 2), "noisy.png")
    full = render_assets([asset_for(path)], settings_with(
        {"web": {"channel": "web", "widths": [600]}}), jobs=1)[0].renditions[0]
    budget = full.size * 3 // 4
    [result] = render_assets([asset_for(path)], settings_with(
        {"web": {"channel": "web", "widths": [600], "max_bytes": budget}}), jobs=1)
    [web] = result.renditions
    assert codes(result) == [] and web.size <= budget
    assert web.quality is not None and 60 <= web.quality < 82
    assert len(web.read()) == web.size


def test_max_bytes_that_cannot_be_met_warns_at_min_quality(save: Callable[..., Path]) -> None:
    path = save(textured((600, 400), 3), "noisy.png")
    [result] = render_assets([asset_for(path)], settings_with(
        {"web": {"channel": "web", "widths": [600], "max_bytes": 2_000, "min_quality": 70}}),
        jobs=1)
    [web] = result.renditions
    assert codes(result) == ["W-RENDER-MAX-BYTES"] and web.quality == 70
    assert "over max_bytes 2,000" in result.diagnostics[0].message


def test_print_preflight_effective_dpi() -> None:
    press = parse_presets({"print": {"channel": "print"}}).preset("print")
    sharp = print_preflight(4000, 3000, press)
    assert sharp.effective_dpi > 300 and not sharp.below_target
    soft = print_preflight(1063, 800, press, print_min_dpi=200)
    assert soft.effective_dpi == pytest.approx(150, abs=0.1)
    assert soft.below_target and soft.below_minimum and round(soft.placed_mm) == 180
    assert not print_preflight(1063, 800, press).below_minimum


def test_a_small_master_is_warned_or_refused_for_print(save: Callable[..., Path]) -> None:
    path = save(textured((600, 400), 4), "small.png")
    section = {"print": {"channel": "print", "long_edge": 1200}}
    [warned] = render_assets([asset_for(path)], parse_presets(section), jobs=1)
    assert codes(warned) == ["W-RENDER-LOW-DPI"] and warned.renditions[0].width == 600
    assert warned.renditions[0].dpi == 300
    [refused] = render_assets([asset_for(path)], parse_presets({**section, "print_min_dpi": 200}),
                              jobs=1)
    assert codes(refused) == ["E-RENDER-LOW-DPI"] and refused.renditions == []
    assert "150 dpi" in refused.diagnostics[0].message


def test_afp_names_are_short_unique_and_stable() -> None:
    pairs = [(f"asset-{i}", preset) for i in range(2000) for preset in ("print", "print-a")]
    names = assign_afp_names(pairs)
    assert len(set(names.values())) == len(pairs)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]{7}", n) for n in names.values())
    again = assign_afp_names(reversed(pairs[:10]))
    assert all(again[p] == names[p] for p in pairs[:10])


def test_afp_collisions_resolve_by_sorted_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Force every first candidate to collide: the hash space is too large to hit naturally.
    real = afp.candidate_name
    monkeypatch.setattr(afp, "candidate_name",
                        lambda asset, rendition, attempt=0: "SAMENAME" if attempt == 0
                        else real(asset, rendition, attempt))
    pairs = [("b", "print"), ("a", "print"), ("c", "print")]
    names = assign_afp_names(pairs)
    assert names[("a", "print")] == "SAMENAME"
    assert len(set(names.values())) == 3
    assert names == assign_afp_names(list(reversed(pairs)))


def test_a_lossless_rendition_over_max_bytes_says_lossless(save: Callable[..., Path]) -> None:
    path = save(textured((600, 400), 4), "noisy.png")
    [result] = render_assets([asset_for(path)], settings_with(
        {"web": {"channel": "web", "widths": [600], "format": "png", "max_bytes": 2_000}}),
        jobs=1)
    assert codes(result) == ["W-RENDER-MAX-BYTES"]
    message = result.diagnostics[0].message
    assert "png is" in message and "(lossless), over max_bytes 2,000" in message
    assert "None" not in message
