"""The snapshot benchmark as a test (slow: `pytest -m bench tests/snapshot`)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_snapshot.py"


@pytest.mark.bench
def test_snapshot_throughput_memory_and_reuse() -> None:
    spec = importlib.util.spec_from_file_location("bench_snapshot", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.run(files=40, size_mb=26, base=None, reps=3)
    print(figures)
    assert figures["bytes"] >= 1_000_000_000
    assert figures["peak_rss_mb"] < bench.TARGET_RSS_MB
    assert figures["second_snapshot_files_added"] == 0
    assert figures["second_snapshot_files_rewritten"] == 0
    assert figures["same_id"]
    assert figures["throughput_ratio"] >= bench.TARGET_RATIO, figures
