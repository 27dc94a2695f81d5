"""Rendering a release's assets: cache first, the rest in worker processes, then AFP names.

1. For every asset and preset, look the entry up in the cache (verified; a corrupt one
   is reported to the log of diagnostics as nothing and simply re-rendered).
2. Assets with any preset missing go to a process pool (``jobs`` workers).
3. Results come back in input order; print renditions get their AFP names from the
   whole release; warnings become Diagnostics against their asset.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any

import PIL
from PIL import features

from compiler.diagnostics import Diagnostic, Severity
from compiler.errors import ConfigError
from compiler.render.afp import assign_afp_names
from compiler.render.asset import (
    AssetOutcome,
    Context,
    Note,
    PresetOutcome,
    render_asset,
    rendition_path,
)
from compiler.render.cache import CacheCorrupt, RenditionCache, entry_key
from compiler.render.colour import ProfileProblem, fogra39, press_profile, srgb
from compiler.render.model import AssetResult, AssetToRender, Rendition
from compiler.render.presets import Preset, RenditionSettings
from compiler.render.sniff import claimed_kind

# Bump when the rendering changes its output for the same inputs.
# The encoders and littleCMS are part of it: their output can change between releases.
RENDERER_VERSION = "cpc-render-1/pillow-{}/libjpeg-{}/libwebp-{}/lcms-{}".format(
    PIL.__version__, features.version("jpg"), features.version("webp"),
    features.version("littlecms2"))
Progress = Callable[[int], None]


def _keys(asset: AssetToRender, presets: tuple[Preset, ...], context: Context) -> dict[str, str]:
    """Cache keys: every input a preset's renditions depend on, and nothing else."""
    claim = claimed_kind(asset.file_name or asset.master.name, asset.mime_type)
    assumed = [srgb().sha256, fogra39().sha256]  # what a master without a profile is taken as
    keys = {}
    for preset in presets:
        target = press_profile(context.profile) if preset.colour == "cmyk" else srgb()
        keys[preset.name] = entry_key({
            "master": asset.master_sha256, "preset": preset.canonical_json(),
            "profile": target.sha256, "assumed_profiles": assumed,
            "renderer": RENDERER_VERSION, "background": list(context.background),
            "focal_point": list(asset.focal_point or ()) if preset.aspect else None,
            "claim": claim[0] if claim else None, "max_pixels": context.max_pixels,
            "print_min_dpi": context.print_min_dpi if preset.channel == "print" else None,
        })
    return keys


def _from_cache(cache: RenditionCache, key: str) -> PresetOutcome | None:
    try:
        payload = cache.get_entry(key)
    except CacheCorrupt:
        return None  # re-rendered and overwritten by the worker
    if payload is None:
        return None
    notes: list[Note] = [(str(c), str(m), str(ch)) for c, m, ch in payload["notes"]]
    return PresetOutcome(str(payload["preset"]), list(payload["blobs"]), notes)


def _rendition(asset: AssetToRender, preset: Preset, item: dict[str, Any],
               cache: RenditionCache | None) -> Rendition:
    return Rendition(
        preset=preset.name, channel=preset.channel,
        path=rendition_path(preset, asset.key, item["nominal"], item["format"]),
        format=item["format"], width=item["width"], height=item["height"], dpi=item["dpi"],
        colour_space=item["colour_space"], icc_profile=item["icc_profile"], afp_name=None,
        size=item["size"], sha256=item["sha256"], quality=item["quality"],
        data=item.get("data"),
        file=cache.blob_path(item["sha256"]) if cache is not None and "data" not in item else None,
    )


def _diagnostic(asset: AssetToRender, note: Note) -> Diagnostic:
    code, message, channel = note
    severity = Severity.ERROR if code.startswith("E-") else Severity.WARNING
    return Diagnostic(severity, code, message, object_id=asset.asset_id, key=asset.key,
                      channel=channel)


def _assemble(asset: AssetToRender, presets: tuple[Preset, ...],
              outcomes: dict[str, PresetOutcome], error: Note | None, rendered: int,
              cache: RenditionCache | None, seeds: dict[str, str]) -> AssetResult:
    result = AssetResult(asset.asset_id, asset.key, rendered=rendered)
    notes: list[Note] = [error] if error else []
    for preset in presets:
        outcome = outcomes.get(preset.name)
        if outcome is None:
            continue
        notes.extend(outcome.notes)
        if error is None:
            for item in outcome.items:
                rendition = _rendition(asset, preset, item, cache)
                many = item["nominal"] is not None and len(preset.widths) > 1
                seeds[rendition.path] = f"{preset.name}-{item['nominal']}" if many else preset.name
                result.renditions.append(rendition)
    result.diagnostics = [_diagnostic(asset, n) for n in dict.fromkeys(notes)]
    return result


def _worker(index: int, asset: AssetToRender, presets: tuple[Preset, ...], context: Context,
            cache_root: Path | None, keys: dict[str, str]) -> AssetOutcome:
    try:
        return render_asset(index, asset, presets, context, cache_root, keys)
    except Exception as exc:  # a bug or exhausted memory must not sink the whole release
        return AssetOutcome(index, error=("E-RENDER-FAILED",
                                          f"rendering failed: {type(exc).__name__}: {exc}", ""))


def render_assets(assets: Sequence[AssetToRender], settings: RenditionSettings, *,
                  cache_dir: Path | None = None, jobs: int | None = None,
                  progress: Progress | None = None) -> list[AssetResult]:
    """Render every asset with its presets (role overrides applied), in input order.

    ``cache_dir``: the rendition cache folder (None: no cache, bytes in memory).
    ``jobs``: worker processes (default os.cpu_count(); 1 renders in this process).
    ``progress(n)`` is called as assets finish, with how many just finished.
    """
    context = Context(settings.background, settings.profile, settings.max_pixels,
                      settings.print_min_dpi)
    try:
        press_profile(settings.profile)
    except ProfileProblem as exc:
        raise ConfigError(f"renditions.profile: {exc}") from None
    cache = RenditionCache(cache_dir) if cache_dir is not None else None
    plans = []
    for index, asset in enumerate(assets):
        presets = settings.presets_for(asset.role)
        keys = _keys(asset, presets, context)
        found = {p.name: o for p in presets
                 if cache is not None and (o := _from_cache(cache, keys[p.name])) is not None}
        missing = tuple(p for p in presets if p.name not in found)
        plans.append((index, asset, presets, keys, found, missing))
    outcomes = _run(plans, context, cache_dir, jobs, progress)
    results = []
    seeds: dict[str, str] = {}
    for index, asset, presets, _, found, missing in plans:
        outcome = outcomes.get(index)
        merged = dict(found)
        error = None
        if outcome is not None:
            merged.update({o.preset: o for o in outcome.presets})
            error = outcome.error
        results.append(_assemble(asset, presets, merged, error, len(missing) if outcome else 0,
                                 cache, seeds))
    return _name_for_afp(results, seeds)


def _run(plans: list[Any], context: Context, cache_dir: Path | None, jobs: int | None,
         progress: Progress | None) -> dict[int, AssetOutcome]:
    todo = [(i, a, m, context, cache_dir, k) for i, a, _p, k, _f, m in plans if m]
    if progress is not None and len(plans) > len(todo):
        progress(len(plans) - len(todo))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    outcomes: dict[int, AssetOutcome] = {}
    if workers == 1:
        for args in todo:
            outcomes[args[0]] = _worker(*args)
            if progress is not None:
                progress(1)
        return outcomes
    # spawn: workers start clean (no inherited locks or threads) on every platform.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures: list[tuple[int, Future[AssetOutcome]]] = [
            (args[0], pool.submit(_worker, *args)) for args in todo]
        for index, future in futures:
            try:
                outcomes[index] = future.result()
            except BrokenProcessPool as exc:
                outcomes[index] = AssetOutcome(index, error=(
                    "E-RENDER-FAILED", f"the worker process died ({exc})", ""))
            if progress is not None:
                progress(1)
    return outcomes


def _name_for_afp(results: list[AssetResult], seeds: dict[str, str]) -> list[AssetResult]:
    """Give print renditions release-unique AFP resource names.

    ``seeds`` maps a rendition path to its AFP seed (preset, plus the nominal width when
    the preset has several), so a name follows the asset id and preset, not the file name.
    """
    pairs = {(res.asset_id, seeds[r.path]) for res in results for r in res.renditions
             if r.channel == "print"}
    names = assign_afp_names(pairs)
    for res in results:
        res.renditions = [replace(r, afp_name=names[res.asset_id, seeds[r.path]])
                          if r.channel == "print" else r for r in res.renditions]
    return results
