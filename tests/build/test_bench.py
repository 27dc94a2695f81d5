"""The build benchmark as a test (`pytest -m bench`): archive writing stays cheap."""

from __future__ import annotations

import pytest

from bench.bench_build import one_cold_build


@pytest.mark.bench
def test_writing_the_archive_adds_at_most_ten_percent_to_a_cold_build() -> None:
    seconds = one_cold_build(jobs=None)
    assert seconds["archive"] <= 0.10 * (seconds["compile"] + seconds["render"]), seconds
