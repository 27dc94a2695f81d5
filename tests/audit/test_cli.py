"""`cpc diff` and `cpc audit` on real release-shaped zips."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from compiler.audit import dump_manifest
from compiler.cli import main
from tests.audit.conftest import package_zip
from tests.audit.releases import two_manifests


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("releases")
    first, second = two_manifests()
    return (package_zip(folder / "content-2026.12.1.zip", dump_manifest(first)),
            package_zip(folder / "content-2026.12.2.zip", dump_manifest(second),
                        top="content-2026.12.2"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_text_lists_items_fields_locales_and_templates(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", *map(str, packages))
    assert code == 0
    assert out.splitlines()[0] == "content 2026.12.1 -> content 2026.12.2"
    assert "  text_block FAQ-CLAIMS; templates: WELCOME_EMAIL" in out
    assert ("  text_block FEE-HOME-PLUS: body [en_GB]; outputs: "
            "data/content/FEE-HOME-PLUS/en_GB.exm.xml changed; templates: "
            "RENEWAL_LETTER_HOME, WELCOME_EMAIL") in out
    assert "  text_block DISC-HOME-EXCESS: body [de_DE], governance [*]; " in out
    assert "  text_block DESC-HOSTILE: excluded, not_approved:" in out
    assert "  product HOME-PLUS\n" in out
    assert out.rstrip().endswith("1 added, 3 changed, 2 removed")


def test_diff_json_matches_the_new_manifest_changes(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", str(packages[0]), str(packages[1]), "--format", "json")
    assert code == 0
    document = json.loads(out)
    _, second = two_manifests()
    assert {k: document[k] for k in ("added", "changed", "removed")} == second["changes"]
    assert document["old"] == {"name": "content", "version": "2026.12.1"}


def test_diff_of_a_release_with_itself_is_empty(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("diff", str(packages[1]), str(packages[1]))
    assert code == 0 and out.rstrip().endswith("0 added, 0 changed, 0 removed")


def test_audit_summary(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("audit", str(packages[1]))
    assert code == 0
    assert "content 2026.12.2 (effective 2026-12-01, created 2026-12-01T00:00:00Z)" in out
    assert "previous release: 2026.12.1" in out
    assert "released: 4 (file 1, text_block 3)" in out
    assert "excluded: 1 (not_approved 1)" in out
    assert "  text_block DESC-HOSTILE: not_approved:" in out
    assert "changes: 1 added, 3 changed, 2 removed" in out
    assert "warnings: 1" in out


def test_audit_neutralises_controls_for_the_terminal(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("audit", str(packages[0]), "--format", "text")
    assert code == 0 and "\u202e" not in out


def test_audit_json_is_the_manifest(packages: tuple[Path, Path]) -> None:
    code, out, _ = run("audit", str(packages[1]), "--format", "json")
    assert code == 0
    assert out.encode() == dump_manifest(two_manifests()[1])


def test_audit_html_writes_the_report(packages: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, out, err = run("audit", str(packages[1]), "--html", str(target))
    assert code == 0 and out == "" and str(target) in err
    tree = lxml.html.document_fromstring(target.read_bytes())
    assert "2026.12.2" in tree.findtext(".//title")


def test_unreadable_package_exits_1_naming_it(tmp_path: Path,
                                               packages: tuple[Path, Path]) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    code, _, err = run("diff", str(packages[0]), str(broken))
    assert code == 1 and str(broken) in err and "Traceback" not in err
    code, _, err = run("audit", str(broken))
    assert code == 1 and "not a readable zip" in err


def test_a_missing_package_is_a_usage_error(tmp_path: Path,
                                            packages: tuple[Path, Path]) -> None:
    missing = tmp_path / "nope.zip"
    code, _, err = run("diff", str(packages[0]), str(missing))
    assert code == 2 and "does not exist" in err
    code, _, err = run("audit", str(missing))
    assert code == 2 and "does not exist" in err


@pytest.mark.parametrize("args", [["diff", "only-one.zip"], ["audit"],
                                  ["audit", "x.zip", "--format", "xml"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2
