"""E-ID-DUPLICATE: at the duplicate, with its own key, naming the first occurrence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main
from compiler.resources import sample_export
from compiler.validate import validate_source
from tests.validate.helpers import (
    DISCLAIMER,
    FEE_TABLE,
    OFFER,
    PRODUCT,
    config_with,
    entries,
    fresh,
    write_as_xml,
)


def lines_of(result, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.format() for d in result.report if d.code == code]


def test_duplicate_in_one_module_is_labelled_with_its_own_key(tmp_path: Path) -> None:
    export = fresh()
    export.obj(FEE_TABLE)["id"] = DISCLAIMER
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    (line,) = lines_of(result, "E-ID-DUPLICATE")
    assert line.startswith("error E-ID-DUPLICATE modules/text_block.json#/result/1 "
                           "(FEE-HOME-PLUS): ")
    assert ("is also used by text_block DISC-HOME-EXCESS (modules/text_block.json#/result/0)"
            in line)


def test_duplicate_across_modules_names_the_other_object(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["id"] = PRODUCT
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    (line,) = lines_of(result, "E-ID-DUPLICATE")
    assert line.startswith("error E-ID-DUPLICATE modules/offer.json#/result/0 (OFFER-HOME): ")
    assert "is also used by product HOME-PLUS (modules/product.json#/result/0)" in line


def test_xml_duplicate_and_its_own_problems_carry_its_key(tmp_path: Path) -> None:
    export = fresh()
    offer = export.obj(OFFER)
    offer["priority"] = entries("high")
    offer["id"] = PRODUCT
    xml = write_as_xml(export, tmp_path / "e", "offer")
    result = validate_source(tmp_path / "e", config_with(tmp_path))
    line_no = 1 + next(i for i, text in enumerate(xml.read_text().splitlines())
                       if "<object " in text)
    (line,) = lines_of(result, "E-ID-DUPLICATE")
    assert line.startswith(f"error E-ID-DUPLICATE modules/offer.xml:{line_no} (OFFER-HOME): ")
    assert "is also used by product HOME-PLUS (modules/product.json#/result/0)" in line
    (bad,) = [d for d in result.report if d.code == "E-VALUE-TYPE"]
    assert bad.field == "priority" and bad.key == "OFFER-HOME"  # not the product's HOME-PLUS


def _sample_with(tmp_path: Path, *, same_as: str) -> Path:
    """The sample with text_block result/1's id (``same_as="block"``) or result/0's id
    (``same_as="product"``) set to another object's id."""
    root = tmp_path / "sample"
    shutil.copytree(sample_export(), root)
    path = root / "modules" / "text_block.json"
    blocks = json.loads(path.read_text(encoding="utf-8"))
    if same_as == "block":
        blocks["result"][1]["id"] = blocks["result"][0]["id"]
    else:
        products = json.loads((root / "modules" / "product.json").read_text(encoding="utf-8"))
        blocks["result"][0]["id"] = products["result"][0]["id"]
    path.write_text(json.dumps(blocks, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


def test_cli_names_both_occurrences_in_the_sample(tmp_path: Path) -> None:
    runner = CliRunner()
    within = runner.invoke(main, ["validate", str(_sample_with(tmp_path / "a", same_as="block"))],
                           catch_exceptions=False)
    assert within.exit_code == 1
    (line,) = [t for t in within.stderr.splitlines() if "E-ID-DUPLICATE" in t]
    assert line.startswith("error E-ID-DUPLICATE modules/text_block.json#/result/1 "
                           "(DISC-HOME-EXCESS): ")
    assert "also used by text_block DISC-GENERAL (modules/text_block.json#/result/0)" in line

    across = runner.invoke(main, ["validate", str(_sample_with(tmp_path / "b", same_as="product"))],
                           catch_exceptions=False)
    assert across.exit_code == 1
    (line,) = [t for t in across.stderr.splitlines() if "E-ID-DUPLICATE" in t]
    assert line.startswith("error E-ID-DUPLICATE modules/text_block.json#/result/0 "
                           "(DISC-GENERAL): ")
    assert "also used by product HOME-BASIC (modules/product.json#/result/0)" in line


def test_a_schema_problem_inside_the_duplicate_is_not_labelled_with_the_first(
        tmp_path: Path) -> None:
    export = fresh()
    duplicate = export.obj(FEE_TABLE)
    duplicate["regulated"] = entries("yes")
    duplicate["id"] = DISCLAIMER
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    (line,) = [d for d in lines_of(result, "E-VALUE-TYPE") if "regulated" in d]
    assert line.startswith("error E-VALUE-TYPE modules/text_block.json#/result/1/regulated")
    assert "(DISC-HOME-EXCESS)" not in line  # the first object's key
