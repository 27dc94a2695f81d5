"""export.json and the module files it names are checked before anything is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compiler.diagnostics import Diagnostic
from compiler.snapshot import SnapshotRefused, take_snapshot
from compiler.snapshot import codes as c
from tests.snapshot.builders import export_files, limits, tree, write_folder, write_zip


def refusal(files: dict[str, bytes], tmp_path: Path) -> list[Diagnostic]:
    folder = write_folder(tmp_path / "export", files)
    with pytest.raises(SnapshotRefused) as caught:
        take_snapshot(folder, tmp_path / "store", limits())
    assert tree(tmp_path / "store") == ["<absent>"]
    return caught.value.report.errors


def test_missing_export_json(tmp_path: Path) -> None:
    files = export_files()
    del files["export.json"]
    (problem,) = refusal(files, tmp_path)
    assert problem.code == c.HEADER_MISSING
    assert problem.format().startswith("error E-SNAPSHOT-HEADER-MISSING export.json: ")


def test_malformed_export_json_names_line_and_column(tmp_path: Path) -> None:
    files = export_files()
    files["export.json"] = b'{\n  "format": "4allportal-export/1",\n  "locales": [de_DE]\n}'
    (problem,) = refusal(files, tmp_path)
    assert problem.code == c.HEADER_JSON
    assert (problem.location.line, problem.location.column) == (3, 15)
    assert "export.json:3:15" in problem.format()


def test_export_json_that_is_not_utf8(tmp_path: Path) -> None:
    files = export_files()
    files["export.json"] = '{"format": "Übersicht"}'.encode("latin-1")
    (problem,) = refusal(files, tmp_path)
    assert problem.code == c.HEADER_JSON
    assert "UTF-8" in problem.message


@pytest.mark.parametrize("key", ["format", "exported_at", "locales", "modules"])
def test_missing_required_key(tmp_path: Path, key: str) -> None:
    found = refusal(export_files(**{key: None}), tmp_path)
    assert [(d.code, d.location.pointer) for d in found] == [(c.HEADER_KEY, f"#/{key}")]
    assert repr(key) in found[0].message


@pytest.mark.parametrize(("key", "value"), [
    ("locales", "de_DE"), ("modules", ["modules/product.json"]), ("exported_at", 20261128)])
def test_header_key_of_the_wrong_type(tmp_path: Path, key: str, value: Any) -> None:
    found = refusal(export_files(**{key: value}), tmp_path)
    assert [(d.code, d.location.pointer) for d in found] == [(c.HEADER_TYPE, f"#/{key}")]


def test_unknown_format_major_is_refused_clearly(tmp_path: Path) -> None:
    (problem,) = refusal(export_files(format="4allportal-export/2"), tmp_path)
    assert problem.code == c.FORMAT
    assert "major version 2" in problem.message
    assert "4allportal-export/1" in problem.message


def test_foreign_format_is_refused(tmp_path: Path) -> None:
    (problem,) = refusal(export_files(format="pimcore-dump/1"), tmp_path)
    assert problem.code == c.FORMAT


def test_known_format_with_a_minor_version_is_read(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export", export_files(format="4allportal-export/1.3"))
    assert take_snapshot(folder, tmp_path / "store", limits()).header["format"] == (
        "4allportal-export/1.3")


def test_named_module_file_missing(tmp_path: Path) -> None:
    files = export_files()
    del files["modules/file.json"]
    (problem,) = refusal(files, tmp_path)
    assert (problem.code, problem.location.pointer) == (c.MODULE_MISSING, "#/modules/file")
    assert "modules/file.json" in problem.message


def test_module_path_outside_the_layout(tmp_path: Path) -> None:
    modules = {"product": "modules/product.json", "file": "../../etc/passwd"}
    (problem,) = refusal(export_files(modules=modules), tmp_path)
    assert (problem.code, problem.location.pointer) == (c.MODULE_PATH, "#/modules/file")


def test_header_from_a_zip_with_one_top_folder(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip", export_files(), top="nordlicht-2026-11-28")
    snapshot = take_snapshot(archive, tmp_path / "store", limits())
    assert snapshot.header["locales"] == ["de_DE", "en_GB"]
    assert "export.json" in snapshot.paths()
