"""Benchmark: snapshot throughput against `openssl dgst -sha256`, peak memory, re-snapshot.

Generates an export of random masters (default 40 files of 26 MB, 1.04 GB) in a temp
folder, warms the page cache, then measures in the same run:

* baseline: ``openssl dgst -sha256`` over the same files;
* ``take_snapshot`` into a fresh store on the same file system, in a subprocess,
  with the child's peak RSS (``resource.getrusage(RUSAGE_SELF)``, or on Linux VmHWM,
  which unlike ru_maxrss does not inherit the parent's size across exec);
  the two interleaved, best of ``--reps`` each, with earlier stores removed and the
  disk synced before every timing (the machine may be shared: the 1-minute load
  average is printed with the figures);
* a second snapshot into the same store: its time and the files it added (must be 0).

Prints the figures as ratios against the baseline. Exit status 1 when a target is
missed (throughput >= 80 % of openssl, peak RSS < 150 MB, nothing new stored).
Usage: python bench/bench_snapshot.py [--files N] [--mb SIZE] [--reps N] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 0.80
TARGET_RSS_MB = 150


def make_export(folder: Path, files: int, size: int) -> list[Path]:
    """An export with ``files`` random masters of ``size`` bytes; the master paths."""
    masters = []
    objects = []
    for n in range(files):
        object_id = f"00000000-0000-4000-8000-{n:012d}"
        master = folder / "files" / object_id / f"master-{n}.bin"
        master.parent.mkdir(parents=True)
        with master.open("wb") as out:
            left = size
            while left:
                chunk = os.urandom(min(left, 1 << 24))
                out.write(chunk)
                left -= len(chunk)
        masters.append(master)
        objects.append({"id": object_id, "module": "file", "type": "file",
                        "mod_time": "2026-11-28T09:00:00Z", "version": 1})
    (folder / "modules").mkdir()
    (folder / "modules" / "file.json").write_text(
        json.dumps({"total_count": files, "result": objects}))
    (folder / "export.json").write_text(json.dumps({
        "format": "4allportal-export/1", "exported_at": "2026-11-28T09:15:00Z",
        "locales": ["de_DE"], "modules": {"file": "modules/file.json"}}))
    return masters


def warm(paths: list[Path]) -> None:
    """Read every file once so both contenders start from the page cache."""
    for path in paths:
        with path.open("rb", buffering=0) as stream:
            while stream.read(1 << 24):
                pass


def time_openssl(paths: list[Path]) -> float:
    """Wall time of one ``openssl dgst -sha256`` over all files."""
    start = time.perf_counter()
    subprocess.run(["openssl", "dgst", "-sha256", *map(str, paths)], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


CHILD = """
import json, resource, sys, time
from compiler.snapshot import SnapshotLimits, take_snapshot
start = time.perf_counter()
snapshot = take_snapshot(sys.argv[1], sys.argv[2], SnapshotLimits(max_total_bytes=1 << 40))
elapsed = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
# Linux keeps ru_maxrss across exec, so a child of a big parent (pytest) reports the
# parent's size; VmHWM is this process's own high-water mark
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1]
    peak_kb = int(status.split()[0])
except (OSError, IndexError):
    pass
print(json.dumps({"seconds": elapsed, "peak_rss_mb": peak_kb / 1024, "id": snapshot.id}))
"""


def time_snapshot(export: Path, store: Path) -> dict[str, float | str]:
    """Run take_snapshot in a fresh interpreter; its time, peak RSS and snapshot id."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(export), str(store)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, float | str] = json.loads(done.stdout)
    return result


def files_under(folder: Path) -> dict[str, int]:
    """path -> mtime_ns of every file under ``folder``."""
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def settle(work: Path) -> None:
    """Remove earlier stores and let the disk finish writing back, so runs do not
    pay for each other's dirty pages."""
    for store in work.glob("store-*"):
        for path in store.rglob("*"):
            if path.is_file():
                path.chmod(0o644)  # objects are read-only
        shutil.rmtree(store)
    os.sync()
    time.sleep(1.0)


def run(files: int, size_mb: int, base: Path | None, reps: int) -> dict[str, float | int | bool]:
    """Run the benchmark (openssl and snapshot interleaved, best of ``reps``)."""
    work = Path(tempfile.mkdtemp(prefix="cpc-bench-snapshot-", dir=base))
    try:
        export = work / "export"
        export.mkdir()
        masters = make_export(export, files, size_mb * 1_000_000)
        total = sum(p.stat().st_size for p in export.rglob("*") if p.is_file())
        warm(masters)
        openssl_times: list[float] = []
        runs = []
        for attempt in range(reps):
            settle(work)
            openssl_times.append(time_openssl(masters))
            settle(work)
            runs.append(time_snapshot(export, work / f"store-{attempt}"))
        openssl = min(openssl_times)
        best = min(runs, key=lambda r: float(r["seconds"]))
        peak = max(float(r["peak_rss_mb"]) for r in runs)
        last = work / f"store-{reps - 1}"
        before = files_under(last)
        again = time_snapshot(export, last)
        after = files_under(last)
        added = len(set(after) - set(before))
        rewritten = sum(1 for p in before if after.get(p) != before[p])
        figures: dict[str, float | int | bool] = {
            "bytes": total,
            "load_average_1min": round(os.getloadavg()[0], 2),
            "openssl_seconds": round(openssl, 3),
            "openssl_mb_per_s": round(total / openssl / 1e6),
            "snapshot_seconds": round(float(best["seconds"]), 3),
            "snapshot_mb_per_s": round(total / float(best["seconds"]) / 1e6),
            "throughput_ratio": round(openssl / float(best["seconds"]), 3),
            "peak_rss_mb": round(peak, 1),
            "second_snapshot_seconds": round(float(again["seconds"]), 3),
            "second_snapshot_ratio": round(openssl / float(again["seconds"]), 3),
            "second_snapshot_files_added": added,
            "second_snapshot_files_rewritten": rewritten,
            "same_id": again["id"] == best["id"],
        }
        figures["ok"] = (figures["throughput_ratio"] >= TARGET_RATIO
                         and peak < TARGET_RSS_MB and added == 0 and rewritten == 0
                         and bool(figures["same_id"]))
        return figures
    finally:
        settle(work)
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    """Command-line entry: run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--mb", type=int, default=26, help="size of each master in MB")
    parser.add_argument("--reps", type=int, default=3, help="best of this many runs")
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to generate the data (default: the temp folder)")
    args = parser.parse_args()
    figures = run(args.files, args.mb, args.dir, args.reps)
    for key, value in figures.items():
        print(f"{key:32} {value}")
    print(f"snapshot throughput is {figures['throughput_ratio']:.0%} of openssl dgst -sha256 "
          f"(target >= {TARGET_RATIO:.0%}); peak RSS {figures['peak_rss_mb']} MB "
          f"(target < {TARGET_RSS_MB} MB)")
    return 0 if figures["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
