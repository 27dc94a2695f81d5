"""The validation benchmark as a (slow, opt-in) test: `pytest -m bench`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[2] / "bench" / "bench_validate.py"


@pytest.mark.bench
def test_validation_within_one_and_a_half_times_raw_jsonschema() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--objects", "4000"], check=True,
                          capture_output=True, text=True)
    ratio = float(re.search(r"ratio CPU: ([0-9.]+)x", done.stdout)[1])  # type: ignore[index]
    peak = float(re.search(r"peak RSS: ([0-9.]+) MB", done.stdout)[1])  # type: ignore[index]
    assert ratio <= 1.5, done.stdout
    assert peak < 1024, done.stdout
