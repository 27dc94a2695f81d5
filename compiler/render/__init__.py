"""Image renditions per channel (renditions.md): presets, colour, limits, cache, AFP names.

The pipeline calls :func:`parse_presets` on the ``[renditions]`` table, copies the
assets :func:`is_document` says are documents, and gives the rest to
:func:`render_assets`, which returns one :class:`AssetResult` per asset in input order.
"""

from __future__ import annotations

from compiler.render.afp import assign_afp_names
from compiler.render.colour import FOGRA39_PATH, SRGB_PATH
from compiler.render.model import AssetResult, AssetToRender, Rendition
from compiler.render.preflight import PrintPreflight, print_preflight
from compiler.render.presets import Preset, RenditionSettings, parse_presets
from compiler.render.run import RENDERER_VERSION, render_assets
from compiler.render.sniff import document_kind, is_document

__all__ = [
    "FOGRA39_PATH",
    "RENDERER_VERSION",
    "SRGB_PATH",
    "AssetResult",
    "AssetToRender",
    "Preset",
    "PrintPreflight",
    "Rendition",
    "RenditionSettings",
    "assign_afp_names",
    "document_kind",
    "is_document",
    "parse_presets",
    "print_preflight",
    "render_assets",
]
