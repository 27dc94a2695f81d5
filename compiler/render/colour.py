"""Colour management: profiles, cached littleCMS transforms, total ink.

Every conversion is relative colorimetric with black-point compensation. Transforms
are expensive to build (the CMYK profile is a large LUT), so each worker process keeps
them in a table keyed by the sha256 of the source and target profile bytes and the
pixel modes: one build per (source profile, target) per process.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageCms, ImageMath

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
FOGRA39_PATH = PROFILES_DIR / "FOGRA39-cpc.icc"
SRGB_PATH = PROFILES_DIR / "sRGB-cpc.icc"

# ICC colour-space signatures (as littleCMS reports them) -> the Pillow mode they fit.
_SPACE_MODES = {"RGB": ("RGB", "RGBA"), "CMYK": ("CMYK",), "GRAY": ("L",)}


class ProfileProblem(ValueError):
    """Profile bytes that littleCMS cannot read, or of the wrong colour space."""


@dataclass(frozen=True)
class Profile:
    """An ICC profile: its original bytes, their sha256, description and colour space."""

    data: bytes
    sha256: str
    description: str
    space: str

    def fits(self, mode: str) -> bool:
        """True when this profile describes pixels of Pillow ``mode``."""
        return mode in _SPACE_MODES.get(self.space, ())


@cache
def _cms(data: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(data))


@cache
def profile_from_bytes(data: bytes) -> Profile:
    """Read profile bytes once per process; ProfileProblem when they are not a profile."""
    try:
        cms = _cms(data)
    except (OSError, TypeError, ValueError) as exc:
        raise ProfileProblem(f"unreadable ICC profile ({exc})") from None
    space = cms.profile.xcolor_space.strip().upper()
    description = (cms.profile.profile_description or "").strip() or "unnamed profile"
    return Profile(data, hashlib.sha256(data).hexdigest(), description, space)


@cache
def load_profile(path: Path) -> Profile:
    """A profile file (read once per process); ProfileProblem when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileProblem(f"cannot read {path}: {exc.strerror}") from None
    return profile_from_bytes(data)


def srgb() -> Profile:
    """The bundled sRGB profile (littleCMS's built-in sRGB with a fixed date)."""
    return load_profile(SRGB_PATH)


def fogra39() -> Profile:
    """The bundled FOGRA39 CMYK profile (see profiles/README.md)."""
    return load_profile(FOGRA39_PATH)


def press_profile(configured: Path | None) -> Profile:
    """The CMYK target: the configured press profile, else the bundled FOGRA39."""
    profile = load_profile(configured) if configured else fogra39()
    if profile.space != "CMYK":
        raise ProfileProblem(f"{configured} is a {profile.space} profile, not CMYK")
    return profile


_TRANSFORMS: dict[tuple[str, str, str, str], ImageCms.ImageCmsTransform] = {}


def transform(source: Profile, in_mode: str, target: Profile,
              out_mode: str) -> ImageCms.ImageCmsTransform:
    """The cached relative-colorimetric + BPC transform from ``source`` to ``target``."""
    key = (source.sha256, in_mode, target.sha256, out_mode)
    built = _TRANSFORMS.get(key)
    if built is None:
        built = ImageCms.buildTransform(
            _cms(source.data), _cms(target.data), in_mode, out_mode,
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
            # NOCACHE: littleCMS's one-pixel cache is not thread-safe; the output is the same.
            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION | ImageCms.Flags.NOCACHE,
        )
        _TRANSFORMS[key] = built
    return built


def convert(image: Image.Image, source: Profile, target: Profile) -> Image.Image:
    """Convert ``image`` (L, RGB, RGBA or CMYK) into ``target``'s space, alpha kept.

    Identical profiles skip littleCMS entirely, which keeps sRGB → sRGB lossless.
    """
    out_mode = {"RGB": "RGBA" if image.mode == "RGBA" else "RGB", "CMYK": "CMYK",
                "GRAY": "L"}[target.space]
    if source.sha256 == target.sha256 and image.mode == out_mode:
        return image
    converted = ImageCms.applyTransform(image, transform(source, image.mode, target, out_mode))
    assert converted is not None  # applyTransform returns None only with inPlace=True
    return converted


def total_ink_percent(cmyk: Image.Image) -> float:
    """The measured maximum total area coverage (C+M+Y+K) of a CMYK image, in percent."""
    c, m, y, k = cmyk.split()
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    assert isinstance(total, Image.Image)
    highest = total.getextrema()[1]
    assert isinstance(highest, (int, float))
    return round(float(highest) * 100.0 / 255.0, 1)
