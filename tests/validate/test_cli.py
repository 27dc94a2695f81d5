"""`cpc validate`: text and JSON output, exit codes, effective date."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main
from tests.validate.helpers import DISCLAIMER, OFFER, entries, fresh, localised


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)


def test_valid_export_exits_0_with_summary(tmp_path: Path) -> None:
    result = invoke(str(fresh().write(tmp_path / "e")))
    assert result.exit_code == 0, result.output
    assert "0 errors, 1 warning; 6 released, 0 excluded (effective date 2026-11-28)" \
        in result.stderr


def test_errors_print_one_line_each_and_exit_1(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["approval_status"] = entries("draft")
    result = invoke(str(export.write(tmp_path / "e")))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("error E-NEEDS-EXCLUDED modules/product.json#/result/0 "
                               "(HOME-PLUS) [disclaimers]: ") for line in lines)
    assert any(line.startswith("excluded not_approved modules/text_block.json#/result/0 "
                               "(DISC-HOME-EXCESS)") for line in lines)
    assert "1 error, 1 warning; 5 released, 1 excluded" in lines[-1]


def test_json_format_is_one_document_and_deterministic(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["priority"] = entries("high")
    root = str(export.write(tmp_path / "e"))
    first, second = invoke(root, "--format", "json"), invoke(root, "--format", "json")
    assert first.exit_code == 1 and first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert document["summary"] == {"errors": 1, "warnings": 1, "released": 6, "excluded": 0}
    (problem,) = [d for d in document["diagnostics"] if d["severity"] == "error"]
    assert problem["code"] == "E-VALUE-TYPE" and problem["field"] == "priority"
    assert problem["location"] == {"file": "modules/offer.json",
                                   "pointer": "#/result/0/priority/0/value"}
    assert document["effective_date"] == "2026-11-28" and document["exclusions"] == []


def test_effective_date_option(tmp_path: Path) -> None:
    root = str(fresh().write(tmp_path / "e"))
    document = json.loads(invoke(root, "--format", "json", "--effective-date",
                                 "2027-06-01").stdout)
    assert document["summary"]["excluded"] == 6
    assert {e["reason"] for e in document["exclusions"]} == {"expired"}


def test_bad_date_and_missing_source_are_usage_errors(tmp_path: Path) -> None:
    root = str(fresh().write(tmp_path / "e"))
    bad = invoke(root, "--effective-date", "2026-02-30")
    assert bad.exit_code == 2 and "--effective-date" in bad.output
    missing = invoke(str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_rich_text_errors_show_in_validate_as_in_build(tmp_path: Path) -> None:
    """validate converts the rich text too: a script in a disclaimer excludes it as
    invalid, and the product that needs it is an error, in validate as in build."""
    export = fresh()
    export.obj(DISCLAIMER)["body"] = localised("<p>Hinweis</p><script>alert(1)</script>",
                                               "<p>Note</p>")
    folder = export.write(tmp_path / "e")
    checked = invoke(str(folder))
    assert checked.exit_code == 1
    assert "E-EXM-ACTIVE-ELEMENT [de_DE]: <script> is active content" in checked.stderr
    assert "excluded invalid modules/text_block.json" in checked.stderr
    needs = [line for line in checked.stderr.splitlines() if "E-NEEDS-EXCLUDED" in line]
    assert needs and all(line.startswith("error E-NEEDS-EXCLUDED") for line in needs)
    built = CliRunner().invoke(main, ["build", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 1
    assert [line for line in built.stderr.splitlines() if "E-NEEDS-EXCLUDED" in line] == needs


def test_exstream_data_checks_segments_as_build_does(tmp_path: Path) -> None:
    folder = str(fresh().write(tmp_path / "e"))
    exstream = tmp_path / "exstream"
    exstream.mkdir()
    (exstream / "segments.json").write_text(json.dumps([{"key": "seniors", "name": "Senioren"}]),
                                            encoding="utf-8")
    (exstream / "template-usage.json").write_text("[]", encoding="utf-8")
    assert invoke(folder).exit_code == 0
    result = invoke(folder, "--exstream-data", str(exstream))
    assert result.exit_code == 1
    assert "error E-SEGMENT-UNKNOWN modules/product.json#/result/0 (HOME-PLUS) [segments]: " \
           "segment 'young-families' is not in Exstream's segments.json" in result.stderr


def test_a_build_that_would_release_nothing_is_refused(tmp_path: Path) -> None:
    folder = str(fresh().write(tmp_path / "e"))
    config = tmp_path / "cpc.toml"
    config.write_text('[release]\ndependants = "exclude"\n', encoding="utf-8")
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", folder, "--out", str(out), "--config",
                                      str(config), "--effective-date", "2040-01-01"])
    assert built.exit_code == 1
    assert "error E-RELEASE-EMPTY export.json: all 6 objects of the export are excluded" in (
        built.stderr)
    assert not (out / "releases").exists() or not list((out / "releases").glob("*.zip"))


def test_thousands_of_one_warning_do_not_bury_the_rest(tmp_path: Path) -> None:
    folder = fresh().write(tmp_path / "e")
    (folder / "junk").mkdir()
    for n in range(120):
        (folder / "junk" / f"stray-{n}.txt").write_text("x", encoding="utf-8")
    result = invoke(str(folder))
    lines = result.stderr.splitlines()
    assert sum(line.startswith("warning W-SNAPSHOT-NOT-READ junk/") for line in lines) == 50
    assert ("warning W-SNAPSHOT-NOT-READ: 70 more not shown (120 in all; "
            "`cpc validate --format json` lists every one)") in lines
    document = json.loads(invoke(str(folder), "--format", "json").stdout)
    assert sum(d["code"] == "W-SNAPSHOT-NOT-READ" for d in document["diagnostics"]) == 120


def test_validate_refuses_what_build_would_release_empty(tmp_path: Path) -> None:
    folder = str(fresh().write(tmp_path / "e"))
    config = tmp_path / "cpc.toml"
    config.write_text('[governance]\napproved_values = ["freigegeben"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", folder, "--config", str(config)])
    assert result.exit_code == 1 and "error E-RELEASE-EMPTY export.json" in result.stderr
    config.write_text('[governance]\napproved_by = "  "\n', encoding="utf-8")
    blank = CliRunner().invoke(main, ["validate", folder, "--config", str(config)])
    assert blank.exit_code == 2 and "expected a non-blank name" in blank.output
