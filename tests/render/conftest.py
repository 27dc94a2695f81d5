"""Helpers for rendition tests: small real masters, settings from the real defaults."""

from __future__ import annotations

import hashlib
import io
import random
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageCms

from compiler.render import AssetToRender, RenditionSettings, parse_presets

DEFAULTS = Path(__file__).resolve().parents[2] / "compiler" / "config" / "defaults.toml"
DATA = Path(__file__).resolve().parent / "data"
ADOBE_RGB = DATA / "compatibleWithAdobeRGB1998.icc"


def default_section() -> dict[str, Any]:
    """The shipped ``[renditions]`` table."""
    with DEFAULTS.open("rb") as handle:
        section: dict[str, Any] = tomllib.load(handle)["renditions"]
    return section


def settings_with(presets: dict[str, dict[str, Any]], *, max_pixels: int = 120_000_000,
                  **section: Any) -> RenditionSettings:
    """Settings of only ``presets`` (no roles), plus section-wide keys."""
    return parse_presets({**presets, **section}, max_pixels=max_pixels)


def asset_for(path: Path, *, role: str = "product_image", key: str | None = None,
              focal_point: tuple[float, float] | None = None, file_name: str | None = None,
              mime_type: str | None = None) -> AssetToRender:
    """An asset whose master is ``path`` (sha256 computed from the file)."""
    data = path.read_bytes()
    return AssetToRender(
        asset_id=f"id-{path.stem}", key=key or path.stem, role=role, master=path,
        master_sha256=hashlib.sha256(data).hexdigest(), focal_point=focal_point,
        file_name=file_name if file_name is not None else path.name, mime_type=mime_type)


def textured(size: tuple[int, int], seed: int) -> Image.Image:
    """A reproducible photo-like RGB image: gradients plus seeded noise."""
    rng = random.Random(seed)
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return Image.merge("RGB", [Image.linear_gradient("L").resize(size),
                               Image.radial_gradient("L").resize(size),
                               noise])


def codes(result: Any) -> list[str]:
    """The diagnostic codes of an AssetResult."""
    return [d.code for d in result.diagnostics]


def to_lab(image: Image.Image, profile: bytes | None) -> Image.Image:
    """Pixels to CIE Lab (D50) through ``profile`` (relative colorimetric)."""
    source = (ImageCms.ImageCmsProfile(io.BytesIO(profile)) if profile
              else ImageCms.createProfile("sRGB"))
    lab = ImageCms.createProfile("LAB", 5000)
    transform = ImageCms.buildTransform(source, lab, image.mode, "LAB",
                                        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    out = ImageCms.applyTransform(image, transform)
    assert out is not None
    return out


def lab_at(lab: Image.Image, xy: tuple[int, int]) -> tuple[float, float, float]:
    """One Lab pixel as floats (Pillow's 8-bit Lab: L·255/100, a and b offset by 128)."""
    pixel = lab.getpixel(xy)
    assert isinstance(pixel, tuple)
    lightness, a, b = pixel[:3]
    return (lightness * 100 / 255, a - 128, b - 128)


def delta_e76(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """CIE76 colour difference."""
    return float(sum((p - q) ** 2 for p, q in zip(one, two, strict=True)) ** 0.5)


@pytest.fixture
def save(tmp_path: Path) -> Callable[..., Path]:
    """Save a Pillow image under tmp_path and return its path."""

    def _save(image: Image.Image, name: str, **params: Any) -> Path:
        path = tmp_path / name
        image.save(path, **params)
        return path

    return _save
