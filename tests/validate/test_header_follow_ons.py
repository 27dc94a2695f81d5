"""A header problem is reported once, not again on every object it makes unreadable."""

from __future__ import annotations

from pathlib import Path

from compiler.validate import validate_source
from tests.validate.helpers import config_with, fresh


def codes_of(tmp_path: Path, header_change: dict[str, object], drop: str = "") -> list[str]:
    export = fresh()
    export.header.update(header_change)
    if drop:
        del export.header[drop]
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    return sorted(d.code for d in result.report if d.severity.value == "error")


def test_no_locales_in_the_header_is_one_problem(tmp_path: Path) -> None:
    codes = codes_of(tmp_path, {}, drop="locales")
    assert "E-LOCALE-UNKNOWN" not in codes  # not once per localised entry
    assert "E-SNAPSHOT-HEADER-KEY" in codes


def test_an_unknown_format_version_is_not_read_further(tmp_path: Path) -> None:
    codes = codes_of(tmp_path, {"format": "4allportal-export/2", "exported_at": "gestern"})
    assert codes == ["E-SNAPSHOT-FORMAT"]  # as `cpc build` refuses it


def test_a_refused_module_path_leaves_no_unresolved_references(tmp_path: Path) -> None:
    folder = fresh().write(tmp_path / "e")
    header = (folder / "export.json").read_text(encoding="utf-8")
    (folder / "export.json").write_text(header.replace('"modules/product.json"',
                                                       '"../product.json"'), encoding="utf-8")
    (folder / "modules" / "product.json").unlink()
    result = validate_source(folder, config_with(tmp_path))
    codes = [d.code for d in result.report]
    assert "E-SNAPSHOT-MODULE-PATH" in codes
    assert "E-REF-UNRESOLVED" not in codes  # the offer's product is in the unreadable module


def test_a_header_locale_written_with_a_hyphen_is_one_problem_with_the_fix(
        tmp_path: Path) -> None:
    export = fresh()
    export.header["locales"] = ["de_DE", "en-GB"]
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    header = [d for d in result.report if d.code == "E-HEADER-SCHEMA"]
    assert len(header) == 1 and "did you mean 'en_GB'?" in header[0].message
    assert "E-LOCALE-UNKNOWN" not in {d.code for d in result.report}  # no entry cascade
