"""The sample export that ships with cpc validates: no errors, the expected exclusions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from compiler.resources import sample_export
from compiler.validate import validate_source
from tests.validate.helpers import config_with

EXPECTED = {  # key -> reason, on the default effective date (exported_at: 2026-11-28)
    "MOTOR-CLASSIC": "not_approved",
    "stockfoto-strand-lizenzpflichtig-05963455": "rights_not_cleared",
    "kampagnenmotiv-winter-2025-27a5a8b0": "rights_not_cleared",
    "DISC-WINTER-2025": "expired",
    "OFF-SPRING-2027": "not_yet_valid",
}


@pytest.fixture(scope="module")
def sample() -> Path:
    assert (sample_export() / "export.json").is_file(), "the sample export is missing"
    return sample_export()


def test_sample_validates_with_the_expected_exclusions(sample: Path, tmp_path: Path) -> None:
    result = validate_source(sample, config_with(tmp_path))
    assert not result.report.has_errors, [d.format() for d in result.report.errors]
    excluded = {result.model.items[i].key: e.reason for i, e in result.decision.excluded.items()}
    assert excluded == EXPECTED
    assert {d.code for d in result.report} <= {"W-PRINT-RESOLUTION"}


def test_sample_on_a_later_date(sample: Path, tmp_path: Path) -> None:
    later = validate_source(sample, config_with(tmp_path), dt.date(2027, 3, 1))
    excluded = {later.model.items[i].key: e.reason for i, e in later.decision.excluded.items()}
    assert "OFF-SPRING-2027" not in excluded  # now valid ...
    assert excluded["DISC-INSURANCE-TAX"] == "expired"  # ... and a disclaimer has expired
    needs = {(d.key, d.field) for d in later.report.errors}
    assert needs == {("HOME-BASIC", "disclaimers"), ("OFF-SPRING-2027", "banner"),
                     ("OFF-SPRING-2027", "products")}
    assert {d.code for d in later.report.errors} == {"E-NEEDS-EXCLUDED"}
