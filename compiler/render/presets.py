"""Rendition presets as data: the ``[renditions]`` section of ``cpc.toml`` parsed and checked.

Every preset key is described once in :data:`_KEYS` (its type, range and default), so
parsing, per-role overrides and error messages all come from the same table. All bad
values are collected and raised together as one :class:`ConfigError`, each naming its
option path (``renditions.email.quality``), what was expected and what was given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from compiler.errors import ConfigError
from compiler.render.colour import ProfileProblem, load_profile

CHANNELS = ("print", "email", "web", "mobile")
FORMATS = ("jpeg", "png", "webp", "tiff")
COLOURS = ("srgb", "cmyk")
# Formats that can carry an alpha channel (in sRGB); everything else is flattened.
ALPHA_FORMATS = frozenset({"png", "webp", "tiff"})
# Formats that can carry CMYK.
CMYK_FORMATS = frozenset({"jpeg", "tiff"})
DEFAULT_MAX_PIXELS = 120_000_000


@dataclass(frozen=True)
class Preset:
    """One channel preset, fully resolved (defaults applied, values checked)."""

    name: str
    channel: str
    colour: str = "srgb"
    format: str = "jpeg"
    quality: int = 82
    widths: tuple[int, ...] = ()
    long_edge: int | None = None
    dpi: int | None = None
    tac_limit: int | None = None
    max_bytes: int | None = None
    min_quality: int = 60
    keep_profile: bool = True
    keep_alpha: bool = True
    progressive: bool = True
    aspect: tuple[int, int] | None = None

    def canonical_json(self) -> str:
        """The preset as canonical JSON (sorted keys, no spaces): part of the cache key."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def sizes(self) -> tuple[int | None, ...]:
        """The nominal widths to render; ``(None,)`` for a long-edge preset."""
        return self.widths if self.widths else (None,)


@dataclass(frozen=True)
class RenditionSettings:
    """All presets plus the section-wide settings, ready for :func:`render_assets`."""

    presets: tuple[Preset, ...]
    roles: Mapping[str, Mapping[str, Preset]] = field(default_factory=dict)
    print_min_dpi: int = 0
    background: tuple[int, int, int] = (255, 255, 255)
    profile: Path | None = None
    max_pixels: int = DEFAULT_MAX_PIXELS

    def presets_for(self, role: str) -> tuple[Preset, ...]:
        """The presets an asset of ``role`` is rendered with (role overrides applied)."""
        narrowed = self.roles.get(role, {})
        return tuple(narrowed.get(p.name, p) for p in self.presets)

    def preset(self, name: str, role: str = "") -> Preset:
        """One preset by name, narrowed for ``role``; KeyError when there is none."""
        for preset in self.presets_for(role):
            if preset.name == name:
                return preset
        raise KeyError(name)


# --- value checkers: each returns the parsed value or raises _Bad(expected) -------------


class _Bad(Exception):
    """A value did not parse; ``expected`` says what would have."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _int(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise _Bad(f"an integer from {low} to {high}")
        return value

    return check


def _optional_int(low: int, high: int) -> Callable[[Any], int | None]:
    inner = _int(low, high)

    def check(value: Any) -> int | None:
        # TOML has no null; 0 switches an optional limit off.
        return None if value == 0 and not isinstance(value, bool) else inner(value)

    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            raise _Bad("one of " + ", ".join(f'"{o}"' for o in options))
        return value.lower()

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad("true or false")
    return value


def _widths(value: Any) -> tuple[int, ...]:
    check = _int(1, 20_000)
    if not isinstance(value, list) or not value:
        raise _Bad("a non-empty list of widths in px, e.g. [600, 1200]")
    try:
        widths = tuple(check(v) for v in value)
    except _Bad as bad:
        raise _Bad("a non-empty list of widths in px, each " + bad.expected) from None
    if len(set(widths)) != len(widths):
        raise _Bad("distinct widths")
    return tuple(sorted(widths))


_ASPECT = re.compile(r"^\s*(\d{1,4})\s*:\s*(\d{1,4})\s*$")


def _aspect(value: Any) -> tuple[int, int] | None:
    if value == "":
        return None
    match = _ASPECT.match(value) if isinstance(value, str) else None
    if not match or int(match[1]) == 0 or int(match[2]) == 0:
        raise _Bad('an aspect ratio "W:H" such as "16:9", or "" for none')
    return int(match[1]), int(match[2])


_KEYS: dict[str, Callable[[Any], Any]] = {
    "channel": _choice(CHANNELS),
    "colour": _choice(COLOURS),
    "format": _choice(FORMATS),
    "quality": _int(1, 100),
    "widths": _widths,
    "long_edge": _optional_int(1, 20_000),
    "dpi": _optional_int(1, 4800),
    "tac_limit": _optional_int(100, 400),
    "max_bytes": _optional_int(1, 1 << 31),
    "min_quality": _int(1, 100),
    "keep_profile": _bool,
    "keep_alpha": _bool,
    "progressive": _bool,
    "aspect": _aspect,
}
# Section-wide keys that are not presets.
_SECTION_KEYS = ("print_min_dpi", "background", "profile", "roles")


def _parse_fields(raw: Mapping[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        check = _KEYS.get(key)
        if check is None:
            problems.append(f"{where}.{key}: unknown preset key; expected one of "
                            + ", ".join(sorted(_KEYS)))
            continue
        try:
            values[key] = check(value)
        except _Bad as bad:
            problems.append(f"{where}.{key}: expected {bad.expected}, given {value!r}")
    return values


def _build(name: str, values: Mapping[str, Any], where: str, problems: list[str]) -> Preset | None:
    """Apply the channel's defaults, then check the combination of keys."""
    channel = values.get("channel")
    if channel is None:
        problems.append(f"{where}.channel: expected one of {', '.join(CHANNELS)}, given nothing")
        return None
    base = Preset(name=name, channel=channel, colour="cmyk" if channel == "print" else "srgb")
    if channel == "print":
        base = replace(base, format="jpeg", quality=92, long_edge=2126, dpi=300, tac_limit=330,
                       keep_alpha=False, progressive=False)
    preset = replace(base, **values)
    if preset.widths and preset.long_edge is not None and "long_edge" in values:
        problems.append(f"{where}: give either widths or long_edge, not both")
    if preset.widths:
        preset = replace(preset, long_edge=None)
    elif preset.long_edge is None:
        problems.append(f"{where}.widths: expected widths or long_edge, given neither")
    if preset.colour == "cmyk" and preset.format not in CMYK_FORMATS:
        problems.append(f"{where}.format: expected jpeg or tiff for a CMYK preset, "
                        f"given {preset.format!r}")
    if preset.min_quality > preset.quality:
        problems.append(f"{where}.min_quality: expected at most quality ({preset.quality}), "
                        f"given {preset.min_quality}")
    return preset


def _background(value: Any, problems: list[str]) -> tuple[int, int, int]:
    match = re.fullmatch(r"#([0-9a-fA-F]{6})", value) if isinstance(value, str) else None
    if not match:
        problems.append(f'renditions.background: expected a colour "#rrggbb", given {value!r}')
        return (255, 255, 255)
    rgb = int(match[1], 16)
    return (rgb >> 16, (rgb >> 8) & 0xFF, rgb & 0xFF)


def _profile(value: Any, base_dir: Path | None, problems: list[str]) -> Path | None:
    if value == "":
        return None
    if not isinstance(value, str):
        problems.append(f"renditions.profile: expected a path to a CMYK .icc file, given {value!r}")
        return None
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        problems.append(f"renditions.profile: expected a CMYK .icc file, given {value!r} "
                        "(no such file)")
        return None
    try:
        space = load_profile(path).space
    except ProfileProblem as exc:
        problems.append(f"renditions.profile: expected a CMYK .icc file, given {value!r} ({exc})")
        return None
    if space != "CMYK":
        problems.append(f"renditions.profile: expected a CMYK .icc file, given {value!r} "
                        f"(a {space} profile)")
        return None
    return path


def _roles(raw: Any, presets: tuple[Preset, ...],
           problems: list[str]) -> dict[str, dict[str, Preset]]:
    """``roles.<asset_role>.<channel> = {key = value}``: overrides for that channel's presets."""
    if not isinstance(raw, Mapping):
        problems.append(f"renditions.roles: expected a table of asset roles, given {raw!r}")
        return {}
    roles: dict[str, dict[str, Preset]] = {}
    for role, by_channel in sorted(raw.items()):
        where = f"renditions.roles.{role}"
        if not isinstance(by_channel, Mapping):
            problems.append(f"{where}: expected a table of channels, given {by_channel!r}")
            continue
        narrowed: dict[str, Preset] = {}
        for channel, override in sorted(by_channel.items()):
            if channel not in CHANNELS or not isinstance(override, Mapping):
                problems.append(f"{where}.{channel}: expected a channel ({', '.join(CHANNELS)}) "
                                f"with a table of preset keys, given {override!r}")
                continue
            values = _parse_fields(override, f"{where}.{channel}", problems)
            if "channel" in values:
                problems.append(f"{where}.{channel}.channel: an override cannot change the channel")
                continue
            for preset in presets:
                if preset.channel == channel:
                    merged = {**_explicit(preset), **values}
                    built = _build(preset.name, merged, f"{where}.{channel}", problems)
                    if built is not None:
                        narrowed[preset.name] = built
        roles[role] = narrowed
    return roles


def _explicit(preset: Preset) -> dict[str, Any]:
    data = asdict(preset)
    data.pop("name")
    if preset.widths:
        data.pop("long_edge")
    return data


def parse_presets(section: Mapping[str, Any], *, max_pixels: int = DEFAULT_MAX_PIXELS,
                  base_dir: Path | None = None) -> RenditionSettings:
    """Parse the ``[renditions]`` table into checked settings.

    ``section`` is the merged table (defaults.toml plus the project's cpc.toml);
    ``max_pixels`` comes from ``[limits]``; ``base_dir`` resolves a relative
    ``profile`` path (the folder of cpc.toml). Raises :class:`ConfigError` listing
    every bad value.
    """
    problems: list[str] = []
    presets: list[Preset] = []
    for name, raw in sorted(section.items()):
        if name in _SECTION_KEYS:
            continue
        if not isinstance(raw, Mapping):
            problems.append(f"renditions.{name}: expected a preset table or one of "
                            f"{', '.join(_SECTION_KEYS)}, given {raw!r}")
            continue
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,31}", name):
            problems.append(f"renditions.{name}: expected a preset name of a-z, 0-9, - and _")
            continue
        values = _parse_fields(raw, f"renditions.{name}", problems)
        preset = _build(name, values, f"renditions.{name}", problems)
        if preset is not None:
            presets.append(preset)
    min_dpi = section.get("print_min_dpi", 0)
    if isinstance(min_dpi, bool) or not isinstance(min_dpi, int) or not 0 <= min_dpi <= 4800:
        problems.append(f"renditions.print_min_dpi: expected an integer from 0 to 4800, "
                        f"given {min_dpi!r}")
        min_dpi = 0
    background = _background(section.get("background", "#ffffff"), problems)
    profile = _profile(section.get("profile", ""), base_dir, problems)
    roles = _roles(section.get("roles", {}), tuple(presets), problems)
    if isinstance(max_pixels, bool) or not isinstance(max_pixels, int) or max_pixels <= 0:
        problems.append(f"limits.max_pixels: expected a positive integer, given {max_pixels!r}")
    if problems:
        raise ConfigError("invalid [renditions] configuration:\n  " + "\n  ".join(problems))
    return RenditionSettings(presets=tuple(presets), roles=roles, print_min_dpi=min_dpi,
                             background=background, profile=profile, max_pixels=max_pixels)
