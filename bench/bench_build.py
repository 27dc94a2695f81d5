"""Benchmark: what writing the archive adds to a cold build of the sample (issue 6).

Target: writing the archive (the deterministic zip, its checksum and the ledger line)
adds at most 10 % to the time of compiling and rendering in the same cold build. Both
are measured in the same run, from the build's own stage clock; each round builds
into a fresh folder, so the rendition cache is cold.

    python bench/bench_build.py [--rounds 3] [--jobs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout too

from compiler.config import load_config
from compiler.pipeline import BuildRequest, build
from compiler.resources import sample_export, sample_exstream_data


def one_cold_build(jobs: int | None) -> dict[str, float]:
    """Stage seconds of one build of the sample into a fresh folder."""
    with tempfile.TemporaryDirectory() as work:
        request = BuildRequest(source=str(sample_export()), config=load_config(cwd=Path(work)),
                               out=Path(work) / "build", exstream_data=sample_exstream_data(),
                               jobs=jobs)
        return build(request).seconds


def main() -> None:
    """Run the rounds and print each stage, then the ratio against the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    ratios, archive_ratios = [], []
    for round_number in range(1, args.rounds + 1):
        seconds = one_cold_build(args.jobs)
        work = seconds["compile"] + seconds["render"]
        packaging = seconds["index+audit"] + seconds["archive"]
        ratios.append(packaging / work)
        archive_ratios.append(seconds["archive"] / work)
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in seconds.items())
        print(f"round {round_number}: {stages}")
    archive = statistics.median(archive_ratios)
    print(f"writing the archive / (compile + render): median {archive:.3f} (target <= 0.10)")
    print(f"index, audit and archive / (compile + render): median "
          f"{statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
