"""The hostile-input caps a snapshot enforces (config ``[limits]``).

This module is the one place where the snapshot stage touches the configuration:
:func:`limits_from_config` accepts the ``Config`` object of ``compiler.config``
(``config.section("limits")``) or a plain mapping (``tomllib.load(...)``), and checks
the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler.errors import ConfigError

# A zip entry smaller than this cannot be a bomb, whatever its ratio: a 40 kB module
# file of indentation compresses 300:1 and is harmless.
RATIO_FLOOR_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class SnapshotLimits:
    """Caps on what one export may hold.

    ``max_total_bytes``: uncompressed bytes of all entries together;
    ``max_entries``: entries (files and folders) in the folder or zip;
    ``max_compression_ratio``: uncompressed / compressed size of one zip entry
    (applied once an entry has produced more than ``RATIO_FLOOR_BYTES``).
    """

    max_total_bytes: int = 4_294_967_296
    max_entries: int = 100_000
    max_compression_ratio: float = 200


_KEYS = ("max_total_bytes", "max_entries", "max_compression_ratio")


def _section(config: Any) -> Mapping[str, Any] | Any:
    """The ``[limits]`` table of a mapping, of a ``Config`` (``.section``) or ``.limits``."""
    if isinstance(config, Mapping):
        return config.get("limits", config)
    if callable(getattr(config, "section", None)):
        return config.section("limits")
    return getattr(config, "limits", config)


def _value(section: Any, key: str) -> Any:
    if isinstance(section, Mapping):
        return section.get(key, getattr(SnapshotLimits, key))
    return getattr(section, key, getattr(SnapshotLimits, key))


def limits_from_config(config: Any) -> SnapshotLimits:
    """The snapshot limits from a configuration (object with ``.limits``, or a mapping).

    Raises :class:`ConfigError` naming every bad option (``limits.max_entries`` …),
    what was expected and what was given.
    """
    if isinstance(config, SnapshotLimits):
        return config
    section = _section(config)
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key in _KEYS:
        value = _value(section, key)
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if key != "max_compression_ratio":
            number_ok = number_ok and isinstance(value, int)
        if not number_ok or value <= 0:
            kind = "a positive number" if key == "max_compression_ratio" else "a positive integer"
            problems.append(f"limits.{key}: expected {kind}, got {value!r}")
        values[key] = value
    if problems:
        raise ConfigError("; ".join(problems))
    return SnapshotLimits(**values)
