"""Determinism, the rendition cache, parallel runs, progress and AFP names in results."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from compiler.render import AssetToRender, parse_presets, render_assets

from .conftest import asset_for, codes, default_section, textured

ROOT = Path(__file__).resolve().parents[2]


def masters(tmp_path: Path, count: int = 3) -> list[AssetToRender]:
    assets = []
    for i in range(count):
        image = textured((640, 480), i)
        path = tmp_path / f"master-{i}.jpg"
        image.save(path, quality=90)
        # Every other asset is a logo: PNG for the screen channels, CMYK TIFF for print.
        assets.append(asset_for(path, key=f"photo-{i}", role="logo" if i % 2 else "photo"))
    return assets


def facts(results: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(r.preset, r.path, r.format, r.width, r.height, r.sha256, r.size, r.afp_name)
            for res in results for r in res.renditions]


SCRIPT = """
import json, sys, tomllib
from pathlib import Path
from compiler.render import AssetToRender, parse_presets, render_assets
section = tomllib.load(open("compiler/config/defaults.toml", "rb"))["renditions"]
assets = [AssetToRender(**{**a, "master": Path(a["master"])}) for a in json.loads(sys.argv[1])]
results = render_assets(assets, parse_presets(section), cache_dir=None, jobs=1)
print(json.dumps([[r.path, r.sha256] for res in results for r in res.renditions]))
"""


def test_same_master_and_preset_give_the_same_bytes_in_separate_processes(
        tmp_path: Path) -> None:
    assets = masters(tmp_path, 2)
    argument = json.dumps([{**a.__dict__, "master": str(a.master)} for a in assets])
    runs = [subprocess.run([sys.executable, "-c", SCRIPT, argument], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    in_process = render_assets(assets, parse_presets(default_section()), jobs=1)
    assert json.loads(runs[0]) == [[r.path, r.sha256] for res in in_process
                                   for r in res.renditions]


def test_workers_give_the_same_results_in_input_order_and_report_progress(
        tmp_path: Path) -> None:
    assets = masters(tmp_path, 4)
    settings = parse_presets(default_section())
    ticks: list[int] = []
    parallel = render_assets(assets, settings, jobs=2, progress=ticks.append)
    serial = render_assets(assets, settings, jobs=1)
    assert [r.key for r in parallel] == [a.key for a in assets]
    assert facts(parallel) == facts(serial) and sum(ticks) == 4


def test_a_cached_run_renders_nothing_and_returns_the_same_facts(tmp_path: Path) -> None:
    assets = masters(tmp_path, 2)
    settings = parse_presets(default_section())
    cache = tmp_path / "cache"
    first = render_assets(assets, settings, cache_dir=cache, jobs=1)
    assert [r.rendered for r in first] == [4, 4]
    second = render_assets(assets, settings, cache_dir=cache, jobs=1)
    assert [r.rendered for r in second] == [0, 0]
    assert facts(first) == facts(second)
    uncached = render_assets(assets, settings, jobs=1)
    assert facts(uncached) == facts(second)
    assert [r.read() for res in second for r in res.renditions] == [
        r.read() for res in uncached for r in res.renditions]


def test_a_changed_preset_misses_the_cache_for_that_preset_only(tmp_path: Path) -> None:
    [asset] = masters(tmp_path, 1)
    cache = tmp_path / "cache"
    render_assets([asset], parse_presets(default_section()), cache_dir=cache, jobs=1)
    section = default_section()
    section["web"] = {**section["web"], "quality": 70}
    [again] = render_assets([asset], parse_presets(section), cache_dir=cache, jobs=1)
    assert again.rendered == 1


def test_a_corrupt_cache_blob_is_detected_rerendered_and_overwritten(tmp_path: Path) -> None:
    [asset] = masters(tmp_path, 1)
    settings = parse_presets(default_section())
    cache = tmp_path / "cache"
    [first] = render_assets([asset], settings, cache_dir=cache, jobs=1)
    victim = next(r for r in first.renditions if r.preset == "print")
    assert victim.file is not None
    data = bytearray(victim.file.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.file.write_bytes(bytes(data))
    [second] = render_assets([asset], settings, cache_dir=cache, jobs=1)
    assert second.rendered == 1  # only the damaged preset
    repaired = next(r for r in second.renditions if r.preset == "print")
    assert repaired.sha256 == victim.sha256 and repaired.read() == victim.read()
    [third] = render_assets([asset], settings, cache_dir=cache, jobs=1)
    assert third.rendered == 0


def test_a_corrupt_cache_entry_is_detected_and_rerendered(tmp_path: Path) -> None:
    [asset] = masters(tmp_path, 1)
    settings = parse_presets(default_section())
    cache = tmp_path / "cache"
    [first] = render_assets([asset], settings, cache_dir=cache, jobs=1)
    entries = sorted((cache / "entries").rglob("*.json"))
    assert len(entries) == 4
    text = entries[0].read_text()
    entries[0].write_text(re.sub(r'"width": (\d+)', lambda m: f'"width": {int(m[1]) + 1}', text))
    [again] = render_assets([asset], settings, cache_dir=cache, jobs=1)
    assert again.rendered == 1 and codes(again) == codes(first)
    assert facts([again]) == facts([first])


def test_cached_warnings_are_replayed(tmp_path: Path, save: Callable[..., Path]) -> None:
    frames = [Image.new("RGB", (64, 64), c) for c in ((200, 0, 0), (0, 200, 0))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    settings = parse_presets({"web": {"channel": "web", "widths": [64]}})
    cache = tmp_path / "cache"
    first = render_assets([asset_for(path)], settings, cache_dir=cache, jobs=1)
    second = render_assets([asset_for(path)], settings, cache_dir=cache, jobs=1)
    assert second[0].rendered == 0
    assert codes(first[0]) == codes(second[0]) == ["W-RENDER-ANIMATED"]


def test_print_renditions_carry_release_unique_afp_names(tmp_path: Path) -> None:
    assets = masters(tmp_path, 3)
    results = render_assets(assets, parse_presets(default_section()), jobs=1)
    names = [r.afp_name for res in results for r in res.renditions if r.channel == "print"]
    assert len(names) == 3 and len(set(names)) == 3
    assert all(n is not None and re.fullmatch(r"[A-Z][A-Z0-9]{7}", n) for n in names)
    assert all(r.afp_name is None for res in results for r in res.renditions
               if r.channel != "print")
    # The same asset and preset keep their name in a release with other assets.
    alone = render_assets(assets[1:2], parse_presets(default_section()), jobs=1)
    assert [r.afp_name for r in alone[0].renditions if r.channel == "print"] == names[1:2]
