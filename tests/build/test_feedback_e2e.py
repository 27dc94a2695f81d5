"""Review findings against the sample's release, back to a 4ALLPORTAL import, by CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.build.conftest import SampleBuild, cpc

HEADER = "key;locale;channel;severity;comment;reported_by;reported_at"
HOME_PLUS = "19115516"  # FEE-HOME-PLUS id prefix


def test_findings_become_a_csv_import_naming_the_objects(sample_build: SampleBuild,
                                                         tmp_path: Path) -> None:
    findings = tmp_path / "findings.csv"
    findings.write_text("\n".join([
        HEADER,
        "FEE-HOME-PLUS;en_GB;print;major;Fee for 2027 is missing;exstream.dev;"
        "2026-12-02T10:00:00Z",
        "HOME-PLUS.features;de_DE;;minor;Tippfehler in der Liste;exstream.dev;"
        "2026-12-02T10:05:00Z",
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "import.csv"
    run = cpc("feedback", str(findings), "--package", str(sample_build.archive),
              "--out", str(out), cwd=tmp_path)
    assert run.code == 0, run.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=";"))
    assert rows[0] == ["id", "approval_status", "review_comment"]
    by_id = {row[0]: row for row in rows[1:]}
    assert len(by_id) == 2
    fee = next(row for ident, row in by_id.items() if ident.startswith(HOME_PLUS))
    assert fee[1] == "in_review" and "Fee for 2027 is missing" in fee[2]
    product = next(row for ident, row in by_id.items() if not ident.startswith(HOME_PLUS))
    assert "Tippfehler" in product[2]


def test_a_finding_on_an_excluded_object_says_why_and_nothing_is_written(
        sample_build: SampleBuild, tmp_path: Path) -> None:
    findings = tmp_path / "findings.csv"
    findings.write_text(HEADER + "\nMOTOR-CLASSIC;de_DE;;major;Preis falsch;qa;"
                        "2026-12-02T10:00:00Z\n", encoding="utf-8")
    out = tmp_path / "import.csv"
    run = cpc("feedback", str(findings), "--package", str(sample_build.archive),
              "--out", str(out), cwd=tmp_path)
    assert run.code == 1
    assert "MOTOR-CLASSIC" in run.stderr and "not_approved" in run.stderr
    assert not out.exists()
