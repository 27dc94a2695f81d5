"""The verify benchmark as a test (skipped by default: `pytest -m bench`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.bench
def test_verify_reads_at_80_percent_of_openssl_with_flat_memory() -> None:
    output = subprocess.run([sys.executable, str(REPO / "bench" / "bench_verify.py")],
                            check=True, capture_output=True, text=True).stdout
    print(output)
    ratio = float(re.search(r"throughput: ([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"peak RSS of the verifying process: ([0-9.]+)", output)
                 .group(1))  # type: ignore[union-attr]
    assert peak < 200, "memory grew with the archive"
    assert ratio >= 0.8
