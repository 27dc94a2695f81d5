"""Rendition benchmark: cpc against pyvips (the anchor) on the same masters, same run.

    python bench/bench_render.py [--count 100] [--jobs N] [--size 4000x3000]

Generates ``count`` photo-like JPEG masters, renders them with the default presets
(print CMYK FOGRA39 2126 px q92, email 600+1200 q82 progressive, web 1200 q82, mobile
WebP 750 q80) through :func:`compiler.render.render_assets`, then renders them again
(fully cached), then does the same work with pyvips (thumbnail → icc_transform → save,
same sizes, formats, qualities, profile; one vips thread per process) with the same
number of processes. Finally one 24-megapixel master is rendered in a fresh process to
measure peak memory. Prints every figure and the ratios against pyvips and run 1.
Targets: cpc ≤ 1.3 × pyvips; cached ≤ 5 % of run 1; peak ≤ 400 MB per worker.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from compiler.render import AssetResult, AssetToRender, parse_presets, render_assets  # noqa: E402
from compiler.render.colour import FOGRA39_PATH, SRGB_PATH  # noqa: E402


def make_master(args: tuple[Path, int, tuple[int, int]]) -> Path:
    """A photo-like JPEG: smooth seeded colour fields with fine grain, q90."""
    path, seed, size = args
    rng = random.Random(seed)

    def field(divisor: int) -> Image.Image:
        small = (max(2, size[0] // divisor), max(2, size[1] // divisor))
        bands = [Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
                 for _ in range(3)]
        return Image.merge("RGB", bands).resize(size, Image.Resampling.BICUBIC)

    # Broad colour areas, some mid-size detail and a little sensor grain.
    image = Image.blend(field(160), field(24), 0.3)
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    Image.blend(image, Image.merge("RGB", [grain] * 3), 0.02).save(path, quality=90)
    return path


def settings_section() -> dict[str, object]:
    with (ROOT / "compiler" / "config" / "defaults.toml").open("rb") as handle:
        section: dict[str, object] = tomllib.load(handle)["renditions"]
    return section


# --- the pyvips anchor --------------------------------------------------------------------


def _vips_init() -> None:
    os.environ["VIPS_CONCURRENCY"] = "1"
    import pyvips

    pyvips.concurrency_set(1)


def vips_render(master: str) -> int:
    """The default presets with pyvips; returns the bytes written."""
    import pyvips

    total = 0
    print_img = pyvips.Image.thumbnail(master, 2126, height=2126, size="down")
    print_img = print_img.icc_transform(str(FOGRA39_PATH), input_profile=str(SRGB_PATH),
                                        intent="relative", black_point_compensation=True,
                                        embedded=True)
    print_img = print_img.copy(xres=300 / 25.4, yres=300 / 25.4)
    total += len(print_img.jpegsave_buffer(Q=92, optimize_coding=True, subsample_mode="off"))
    for width, fmt, quality in ((600, "jpeg", 82), (1200, "jpeg", 82), (1200, "jpeg", 82),
                                (750, "webp", 80)):
        image = pyvips.Image.thumbnail(master, width, size="down")
        image = image.icc_transform(str(SRGB_PATH), input_profile=str(SRGB_PATH),
                                    intent="relative", black_point_compensation=True,
                                    embedded=True)
        if fmt == "jpeg":
            data = image.jpegsave_buffer(Q=quality, optimize_coding=True, interlace=True,
                                         subsample_mode="on")
        else:
            data = image.webpsave_buffer(Q=quality, effort=4)
        total += len(data)
    return total


def run_vips(masters: list[Path], jobs: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"),
                             initializer=_vips_init) as pool:
        list(pool.map(vips_render, [str(m) for m in masters]))
    return time.perf_counter() - start


# --- memory: one 24 MP master in a fresh process -------------------------------------------

MEMORY_PROBE = """
import json, sys, tomllib
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from compiler.render import AssetToRender, parse_presets, render_assets
defaults = Path(sys.argv[1]) / "compiler/config/defaults.toml"
section = tomllib.load(open(defaults, "rb"))["renditions"]
settings = parse_presets(section)
def high_water():  # VmHWM: peak resident set of this process (reset by exec, unlike ru_maxrss)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
base = high_water()
asset = AssetToRender("mem", "mem", "product_image", Path(sys.argv[2]), sys.argv[3])
[result] = render_assets([asset], settings, jobs=1)
assert result.renditions and not any(d.code.startswith("E-") for d in result.diagnostics)
print(json.dumps({"baseline_mb": base, "peak_mb": high_water()}))
"""


def measure_memory(workdir: Path) -> dict[str, float]:
    master = make_master((workdir / "mem-24mp.jpg", 999, (5657, 4243)))
    sha = hashlib.sha256(master.read_bytes()).hexdigest()
    out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(ROOT), str(master), sha],
                         check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(out)
    return figures


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``work``."""
    wall, cpu = time.perf_counter(), _cpu()
    work()
    return time.perf_counter() - wall, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternate cpc and pyvips this many times; the best of each counts")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    options = parser.parse_args()
    size = tuple(int(v) for v in options.size.split("x"))
    workdir = Path(tempfile.mkdtemp(prefix="cpc-bench-render-"))
    try:
        started = time.perf_counter()
        with ProcessPoolExecutor(options.jobs, mp_context=get_context("spawn")) as pool:
            masters = list(pool.map(make_master, [(workdir / f"m{i:04d}.jpg", i, size)
                                                  for i in range(options.count)]))
        print(f"generated {len(masters)} masters {size[0]}×{size[1]} in "
              f"{time.perf_counter() - started:.1f} s; jobs = {options.jobs}; "
              f"load average {os.getloadavg()[0]:.1f}")
        assets = [AssetToRender(f"asset-{i}", f"photo-{i}", "product_image", m,
                                hashlib.sha256(m.read_bytes()).hexdigest())
                  for i, m in enumerate(masters)]
        settings = parse_presets(settings_section())
        figures: dict[str, list[tuple[float, float]]] = {"cpc": [], "cached": [], "vips": []}
        renditions = 0
        for round_ in range(options.rounds):
            cache = workdir / f"cache-{round_}"
            results: list[AssetResult] = []
            figures["cpc"].append(_timed(lambda c=cache, out=results: out.extend(render_assets(
                assets, settings, cache_dir=c, jobs=options.jobs))))
            errors = [d for r in results for d in r.diagnostics if d.code.startswith("E-")]
            assert not errors, errors[:3]
            renditions = sum(len(r.renditions) for r in results)
            again: list[AssetResult] = []
            figures["cached"].append(_timed(lambda c=cache, out=again: out.extend(render_assets(
                assets, settings, cache_dir=c, jobs=options.jobs))))
            assert sum(r.rendered for r in again) == 0
            figures["vips"].append(_timed(lambda: run_vips(masters, options.jobs)))
            print(f"round {round_ + 1}: " + ", ".join(
                f"{name} {runs[-1][0]:.2f} s wall / {runs[-1][1]:.2f} s CPU"
                for name, runs in figures.items()) + f"; load {os.getloadavg()[0]:.1f}")
        best = {name: (min(w for w, _ in runs), min(c for _, c in runs))
                for name, runs in figures.items()}
        memory = measure_memory(workdir)
        cpc, cached, vips = best["cpc"], best["cached"], best["vips"]
        print(f"cpc run 1:      {cpc[0]:7.2f} s wall, {cpc[1]:7.2f} s CPU  ({renditions} "
              f"renditions, {cpc[0] / len(assets) * 1000:.0f} ms wall per master)")
        print(f"cpc run 2:      {cached[0]:7.2f} s wall, {cached[1]:7.2f} s CPU  (fully cached)")
        print(f"pyvips anchor:  {vips[0]:7.2f} s wall, {vips[1]:7.2f} s CPU")
        print(f"ratio cpc / pyvips:         {cpc[0] / vips[0]:5.2f} wall, "
              f"{cpc[1] / vips[1]:5.2f} CPU  (target ≤ 1.30)")
        print(f"ratio cached / run 1:       {cached[0] / cpc[0]:5.3f}  (target ≤ 0.050)")
        print(f"peak memory, 24 MP master:  {memory['peak_mb']:.0f} MB "
              f"(process baseline {memory['baseline_mb']:.0f} MB; target ≤ 400 MB)")
    finally:
        if not options.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work folder kept: {workdir}")


if __name__ == "__main__":
    main()
