"""Colour accuracy, measured: patches to CMYK and back to Lab through the embedded profile.

Tolerances (CIE76 ΔE, Lab D50) for patches inside the FOGRA39 gamut, through resize,
JPEG q92 4:4:4 and 8-bit Lab: mean ≤ 2.5, max ≤ 5.0. Deep shadows (L* < 20) are left out
of the accuracy set on purpose: black-point compensation maps sRGB black onto the press
black (L* ≈ 13 here), lifting them by design; a separate test checks that. A master
read with the wrong source profile misses the tolerance (checked, so the test can fail).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms

from compiler.render import render_assets
from compiler.render.colour import FOGRA39_PATH, SRGB_PATH

from .conftest import ADOBE_RGB, asset_for, codes, delta_e76, lab_at, settings_with, to_lab

MEAN_TOLERANCE = 2.5
MAX_TOLERANCE = 5.0
# sRGB patches inside the press gamut: greys, skin, sky, foliage, muted primaries.
PATCHES = [(255, 255, 255), (200, 200, 200), (128, 128, 128), (60, 60, 60),
           (194, 150, 130), (98, 122, 157), (87, 108, 67), (214, 126, 44), (133, 128, 177),
           (193, 90, 99), (157, 188, 64), (224, 163, 46), (170, 60, 60), (70, 148, 73),
           (103, 189, 170)]
CELL = 32
PRINT = {"print": {"channel": "print", "long_edge": CELL * len(PATCHES)}}


def patch_strip(colours: list[tuple[int, int, int]]) -> Image.Image:
    strip = Image.new("RGB", (CELL * len(colours), CELL))
    for i, colour in enumerate(colours):
        strip.paste(colour, (i * CELL, 0, (i + 1) * CELL, CELL))
    return strip


def centres(width: int) -> list[tuple[int, int]]:
    return [(i * CELL + CELL // 2, CELL // 2) for i in range(width // CELL)]


def measure(expected_lab: Image.Image, output: bytes) -> tuple[float, float]:
    rendered = Image.open(io.BytesIO(output))
    lab = to_lab(rendered, rendered.info["icc_profile"])
    errors = [delta_e76(lab_at(expected_lab, xy), lab_at(lab, xy))
              for xy in centres(rendered.width)]
    return sum(errors) / len(errors), max(errors)


def render_one(path: Path, presets: dict[str, dict[str, object]]) -> bytes:
    [result] = render_assets([asset_for(path)], settings_with(presets), jobs=1)
    assert not result.diagnostics, result.diagnostics
    [rendition] = result.renditions
    return rendition.read()


def test_srgb_patches_to_fogra39_cmyk_within_tolerance(save: Callable[..., Path]) -> None:
    strip = patch_strip(PATCHES)
    output = render_one(save(strip, "patches.png"), PRINT)
    rendered = Image.open(io.BytesIO(output))
    assert rendered.mode == "CMYK" and rendered.info["icc_profile"] == FOGRA39_PATH.read_bytes()
    assert rendered.info["dpi"] == pytest.approx((300, 300))
    mean, worst = measure(to_lab(strip, None), output)
    assert mean <= MEAN_TOLERANCE and worst <= MAX_TOLERANCE, (mean, worst)


def test_black_point_compensation_keeps_shadow_detail(save: Callable[..., Path]) -> None:
    shadows = [(0, 0, 0), (10, 10, 10), (20, 20, 20), (35, 35, 35)]
    output = render_one(save(patch_strip(shadows), "shadows.png"),
                        {"print": {"channel": "print", "long_edge": CELL * len(shadows)}})
    rendered = Image.open(io.BytesIO(output))
    lab = to_lab(rendered, rendered.info["icc_profile"])
    lightness = [lab_at(lab, (i * CELL + CELL // 2, CELL // 2))[0] for i in range(len(shadows))]
    # Each step stays distinct (no blocked-up shadows) and black is the press's black.
    assert all(a < b for a, b in itertools.pairwise(lightness)), lightness
    assert 5 < lightness[0] < 20


# Adobe RGB (1998) values inside the press gamut, several where Adobe RGB and sRGB differ
# most (greens, cyans), so reading them as sRGB is far off.
ADOBE_PATCHES = [(255, 255, 255), (128, 128, 128), (60, 140, 170), (0, 120, 160),
                 (150, 60, 50), (180, 150, 60), (90, 80, 140), (200, 120, 100), (30, 100, 130),
                 (120, 170, 110)]


def adobe_master() -> tuple[Image.Image, bytes]:
    """A strip of Adobe RGB patches with the Adobe RGB (compatible) profile."""
    return patch_strip(ADOBE_PATCHES), ADOBE_RGB.read_bytes()


def test_adobe_rgb_master_is_converted_from_its_embedded_profile(
        save: Callable[..., Path]) -> None:
    master, adobe = adobe_master()
    expected = to_lab(master, adobe)
    size = {"print": {"channel": "print", "long_edge": master.width}}
    output = render_one(save(master, "adobe.png", icc_profile=adobe), size)
    mean, worst = measure(expected, output)
    assert mean <= MEAN_TOLERANCE and worst <= MAX_TOLERANCE, (mean, worst)
    # The same values taken as sRGB (profile ignored) miss the tolerance: the test can fail.
    wrong = render_one(save(master, "adobe-untagged.png"), size)
    assert measure(expected, wrong)[0] > 3 * MEAN_TOLERANCE


def test_adobe_rgb_master_to_srgb_email(save: Callable[..., Path]) -> None:
    # sRGB patches re-encoded as Adobe RGB values: inside the sRGB gamut by construction.
    adobe = ADOBE_RGB.read_bytes()
    to_adobe = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                       ImageCms.ImageCmsProfile(io.BytesIO(adobe)), "RGB", "RGB")
    master = ImageCms.applyTransform(patch_strip(PATCHES), to_adobe)
    assert master is not None
    width = master.width
    output = render_one(save(master, "adobe.png", icc_profile=adobe),
                        {"email": {"channel": "email", "widths": [width], "format": "png"}})
    rendered = Image.open(io.BytesIO(output))
    assert rendered.info["icc_profile"] == SRGB_PATH.read_bytes()
    mean, worst = measure(to_lab(master, adobe), output)
    assert mean <= 1.5 and worst <= 3.0, (mean, worst)


def cmyk_patches() -> Image.Image:
    values = [(0, 0, 0, 0), (255, 0, 0, 0), (0, 255, 0, 0), (0, 0, 255, 0), (0, 0, 0, 255),
              (128, 64, 0, 20), (20, 128, 200, 0), (60, 60, 60, 60)]
    strip = Image.new("CMYK", (CELL * len(values), CELL))
    for i, value in enumerate(values):
        strip.paste(value, (i * CELL, 0, (i + 1) * CELL, CELL))
    return strip


def test_cmyk_master_without_profile_is_taken_as_fogra39(save: Callable[..., Path]) -> None:
    master = cmyk_patches()
    path = save(master, "cmyk.tif", compression="tiff_lzw")
    print_out = Image.open(io.BytesIO(render_one(
        path, {"print": {"channel": "print", "long_edge": master.width, "format": "tiff"}})))
    # FOGRA39 in, FOGRA39 out: the ink values pass through untouched.
    assert ImageChops.difference(print_out.convert("CMYK"), master).getbbox() is None
    web = Image.open(io.BytesIO(render_one(
        path, {"web": {"channel": "web", "widths": [master.width], "format": "png"}})))
    expected = to_lab(master, FOGRA39_PATH.read_bytes())
    got = to_lab(web, web.info["icc_profile"])
    xs = centres(master.width)
    # In-gamut patches (paper white, the muted mixes) land within tolerance in sRGB; solid
    # K is left out (black-point compensation maps it onto sRGB black by design).
    for xy in (xs[0], xs[5], xs[6]):
        assert delta_e76(lab_at(expected, xy), lab_at(got, xy)) <= MAX_TOLERANCE


def strip_adobe_marker(jpeg: bytes) -> bytes:
    """Remove the APP14 'Adobe' segment from a JPEG (what non-Adobe CMYK writers emit)."""
    at = jpeg.index(b"\xff\xeeAdobe"[:2] + jpeg[jpeg.index(b"Adobe") - 2:jpeg.index(b"Adobe")])
    length = int.from_bytes(jpeg[at + 2:at + 4], "big")
    return jpeg[:at] + jpeg[at + 2 + length:]


@pytest.mark.parametrize("adobe", [True, False], ids=["adobe-inverted", "plain-cmyk"])
def test_cmyk_jpegs_with_and_without_adobe_marker_read_right(
        tmp_path: Path, adobe: bool) -> None:
    cyan = Image.new("CMYK", (64, 64), (255, 0, 0, 0))
    buffer = io.BytesIO()
    if adobe:
        cyan.save(buffer, "JPEG", quality=95)  # Pillow writes Adobe-inverted CMYK
        data = buffer.getvalue()
        assert b"Adobe" in data
    else:
        # Store plain (non-inverted) values: invert before Pillow's own inversion, then drop
        # the marker that tells readers the data is inverted.
        ImageChops.invert(cyan).save(buffer, "JPEG", quality=95)
        data = strip_adobe_marker(buffer.getvalue())
        assert b"Adobe" not in data
    path = tmp_path / "cyan.jpg"
    path.write_bytes(data)
    output = render_one(path, {"web": {"channel": "web", "widths": [64], "format": "png"}})
    red, green, blue = Image.open(io.BytesIO(output)).convert("RGB").getpixel((32, 32))  # type: ignore[misc]
    assert red < 60 and green > 140 and blue > 200, (red, green, blue)


def test_total_ink_over_the_limit_is_warned_with_the_measured_maximum(
        save: Callable[..., Path]) -> None:
    heavy = Image.new("CMYK", (64, 64), (255, 255, 255, 255))
    path = save(heavy, "heavy.tif", icc_profile=FOGRA39_PATH.read_bytes())
    [result] = render_assets([asset_for(path)], settings_with(
        {"print": {"channel": "print", "long_edge": 64, "format": "tiff"}}), jobs=1)
    assert codes(result) == ["W-RENDER-TAC"]
    assert "400 %" in result.diagnostics[0].message and "330 %" in result.diagnostics[0].message
    # RGB converted into the 330 %-limited profile stays under the limit: no warning.
    black = save(Image.new("RGB", (64, 64), (0, 0, 0)), "black.png")
    [ok] = render_assets([asset_for(black)], settings_with(
        {"print": {"channel": "print", "long_edge": 64}}), jobs=1)
    assert codes(ok) == []


def test_a_configured_customer_profile_is_used_and_embedded(
        tmp_path: Path, save: Callable[..., Path]) -> None:
    # A customer profile is any CMYK profile file; its bytes (not ours) go into the output.
    customer = tmp_path / "customer.icc"
    data = bytearray(FOGRA39_PATH.read_bytes())
    customer.write_bytes(bytes(data))
    path = save(patch_strip(PATCHES[:4]), "p.png")
    settings = settings_with({"print": {"channel": "print", "long_edge": 128}},
                             profile=str(customer))
    [result] = render_assets([asset_for(path)], settings, jobs=1)
    output = Image.open(io.BytesIO(result.renditions[0].read()))
    assert output.info["icc_profile"] == customer.read_bytes()
    assert result.renditions[0].icc_profile == "FOGRA39 cpc (ArgyllCMS colprof from FOGRA39L.ti3)"
