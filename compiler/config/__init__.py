"""The configuration: built-in defaults merged with the project's ``cpc.toml``.

The defaults (``defaults.toml`` beside this file) are a complete, valid configuration.
A ``cpc.toml`` overrides keys; tables merge key by key. The merged result is checked
against ``schemas/config.schema.json`` and every problem is reported at once, each
naming the option, what was expected and what was given (exit 2).
"""

from __future__ import annotations

import copy
import hashlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.config.check import check_config
from compiler.errors import ConfigError

DEFAULTS_PATH = Path(__file__).with_name("defaults.toml")
DEFAULT_FILE_NAME = "cpc.toml"

MODULE_KINDS = ("product", "file", "text_block", "offer")


@dataclass(frozen=True)
class Governance:
    """Which fields carry approval, validity and rights, and which values pass."""

    approval_status: str
    approved_by: str
    approved_at: str
    valid_from: str
    valid_until: str
    rights_status: str
    rights_valid_until: str
    approved_values: tuple[str, ...]
    cleared_values: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    """The effective configuration. ``data`` is the merged, validated TOML document."""

    data: Mapping[str, Any]
    source: Path | None = None

    @property
    def release_name(self) -> str:
        """``[release] name``: the archive is ``<name>-<version>.zip``."""
        return str(self.data["release"]["name"])

    @property
    def required_locales(self) -> tuple[str, ...]:
        """``[release] locales``; empty means the export's own locales."""
        return tuple(self.data["release"]["locales"])

    @property
    def dependants(self) -> str:
        """``error`` or ``exclude``: what happens to a released object needing an excluded one."""
        return str(self.data["release"]["dependants"])

    def module_name(self, kind: str) -> str:
        """The export's module name for a module kind (``product``, ``file``, …)."""
        return str(self.data["modules"][kind])

    def module_kind(self, module_name: str) -> str | None:
        """The kind cpc understands for an export module name, or None."""
        for kind in MODULE_KINDS:
            if self.data["modules"][kind] == module_name:
                return kind
        return None

    def fields(self, kind: str) -> Mapping[str, str]:
        """Meaning → export field name for one module kind (empty name: not mapped)."""
        mapping: Mapping[str, str] = self.data["fields"][kind]
        return mapping

    @property
    def governance(self) -> Governance:
        """The governance field mapping and accepted values."""
        g = self.data["governance"]
        return Governance(
            **{k: str(g[k]) for k in ("approval_status", "approved_by", "approved_at",
                                      "valid_from", "valid_until", "rights_status",
                                      "rights_valid_until")},
            approved_values=tuple(g["approved_values"]),
            cleared_values=tuple(g["cleared_values"]),
        )

    def section(self, name: str) -> Mapping[str, Any]:
        """One top-level table, e.g. ``renditions`` or ``markup``."""
        section: Mapping[str, Any] = self.data[name]
        return section

    @property
    def sha256(self) -> str:
        """sha256 of the canonical JSON of the effective configuration (for the audit)."""
        canonical = json.dumps(self.data, sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def to_toml(self) -> str:
        """The effective configuration as TOML (``cpc config --show``)."""
        import tomli_w

        return tomli_w.dumps(dict(self.data))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value replaces the default."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def default_data() -> dict[str, Any]:
    """The built-in defaults as a TOML document."""
    return _read_toml(DEFAULTS_PATH)


def _stage_problems(data: Mapping[str, Any], source: Path | None) -> list[str]:
    """What the stages' own parsers find (preset values, style maps, the press profile),
    so a bad option is refused when the configuration loads, not halfway through a build."""
    from compiler.markup.settings import MarkupSettings
    from compiler.render.presets import parse_presets

    checks = (
        lambda: MarkupSettings.from_config(data["markup"]),
        lambda: parse_presets(data["renditions"], max_pixels=data["limits"]["max_pixels"],
                              base_dir=source.parent if source else None),
    )
    problems: list[str] = []
    for check in checks:
        try:
            check()
        except ConfigError as exc:
            problems.extend(line.strip() for line in exc.message.splitlines()[1:] or
                            [exc.message])
    return problems


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> Config:
    """Load the effective configuration.

    ``path`` is ``--config``; without it, ``cpc.toml`` in ``cwd`` (the current folder)
    is read when present, else the defaults apply.
    """
    source = path
    if source is None:
        candidate = (cwd or Path.cwd()) / DEFAULT_FILE_NAME
        source = candidate if candidate.is_file() else None
    data = default_data()
    if source is not None:
        data = _merge(data, _read_toml(source))
    problems = check_config(data)
    if not problems:
        problems = _stage_problems(data, source)
    if problems:
        where = str(source) if source else "built-in defaults"
        listing = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(f"{where}: {len(problems)} invalid option(s):\n{listing}")
    return Config(data=data, source=source)
