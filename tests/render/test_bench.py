"""A small run of bench/bench_render.py (skipped by default: `pytest -m bench`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bench
def test_bench_render_runs_and_reports_its_ratios() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_render.py"), "--count", "4",
         "--size", "1600x1200", "--rounds", "1", "--jobs", "2"],
        check=True, capture_output=True, text=True, timeout=600).stdout
    ratio = re.search(r"ratio cpc / pyvips:\s+([\d.]+) wall", out)
    cached = re.search(r"ratio cached / run 1:\s+([\d.]+)", out)
    peak = re.search(r"peak memory, 24 MP master:\s+(\d+) MB", out)
    assert ratio and cached and peak, out
    assert float(cached[1]) < 0.5 and int(peak[1]) <= 400, out
