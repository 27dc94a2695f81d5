"""Values, dimensions, references, keys, governance, segments and kit cycles."""

from __future__ import annotations

from pathlib import Path

from compiler.diagnostics import Diagnostic
from compiler.validate import validate_source
from compiler.validate.run import ValidationResult
from tests.validate.helpers import (
    BANNER,
    DISCLAIMER,
    FEE_TABLE,
    IMAGE,
    OFFER,
    PRODUCT,
    PRODUCT_2,
    TinyExport,
    config_with,
    entries,
    fresh,
    localised,
    make_object,
)


def run(tmp_path: Path, export: TinyExport, toml: str = "",
        segments: list[str] | None = None) -> ValidationResult:
    return validate_source(export.write(tmp_path / "e"), config_with(tmp_path, toml),
                           segments=segments)


def only(result: ValidationResult, code: str) -> Diagnostic:
    found = [d for d in result.report if d.code == code]
    assert len(found) == 1, [d.format() for d in result.report]
    return found[0]


def test_wrong_value_types_name_pointer_field_and_expectation(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["priority"] = entries("high")
    export.obj(IMAGE)["width"] = entries(2400.5)
    result = run(tmp_path, export)
    found = [d for d in result.report if d.code == "E-VALUE-TYPE"]
    assert {d.field for d in found} == {"priority", "width"}
    priority = next(d for d in found if d.field == "priority")
    assert priority.location.file == "modules/offer.json"
    assert priority.location.pointer == "#/result/0/priority/0/value"
    assert priority.object_id == OFFER and "expected an integer" in priority.message
    assert priority.key == "OFFER-HOME"
    assert "modules/offer.json#/result/0/priority/0/value (OFFER-HOME) [priority]" in \
        priority.format()


def test_wrong_types_in_xml_are_found_by_the_model(tmp_path: Path) -> None:
    from tests.validate.helpers import write_as_xml

    export = fresh()
    export.obj(OFFER)["priority"] = entries("high")
    write_as_xml(export, tmp_path / "x", "offer")
    result = validate_source(tmp_path / "x", config_with(tmp_path))
    found = only(result, "E-VALUE-TYPE")
    assert found.field == "priority" and found.location.line is not None


def test_unknown_locale_and_channel_in_dimensions(tmp_path: Path) -> None:
    export = fresh()
    export.obj(PRODUCT)["name"] += entries("Hemförsäkring", "sv_SE")
    export.obj(OFFER)["headline"] += entries("Fax!", "de_DE", "fax")
    export.obj(OFFER)["body"] = [{"value": "x", "dimensions": {"segment": "a"}}]
    result = run(tmp_path, export)
    locale = only(result, "E-LOCALE-UNKNOWN")
    assert locale.locale == "sv_SE" and locale.field == "name" and locale.key == "HOME-PLUS"
    channel = only(result, "E-CHANNEL-UNKNOWN")
    assert channel.location.pointer == "#/result/0/headline/2/dimensions/channel"
    assert channel.locale == "de_DE" and channel.channel == "fax"
    assert only(result, "E-DIMENSION-UNKNOWN").field == "body"


def test_a_locale_written_with_a_hyphen_gets_a_hint(tmp_path: Path) -> None:
    export = fresh()
    export.obj(PRODUCT)["name"] += entries("Haus", "de-DE")
    message = only(run(tmp_path, export), "E-LOCALE-UNKNOWN").message
    assert "locale 'de-DE' is not written language_COUNTRY (e.g. de_DE)" in message
    assert "did you mean 'de_DE'?" in message and "^[a-z]" not in message


def test_impossible_dates_are_refused(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["valid_until"] = entries("2026-02-30")
    result = run(tmp_path, export)
    found = only(result, "E-VALUE-TYPE")
    assert found.field == "valid_until" and "2026-02-30" in found.message


def test_references_resolve_to_the_right_kind(tmp_path: Path) -> None:
    export = fresh()
    product = export.obj(PRODUCT)
    product["images"] = entries([IMAGE, DISCLAIMER, "00000000-0000-4000-8000-00000000dead"])
    export.obj(FEE_TABLE)["block_type"] = entries("terms")
    result = run(tmp_path, export)
    assert "00000000-0000-4000-8000-00000000dead" in only(result, "E-REF-UNRESOLVED").message
    assert "text_block" in only(result, "E-REF-KIND").message
    assert only(result, "E-REF-BLOCK-TYPE").field == "fee_table"


def test_keys_present_well_formed_unique(tmp_path: Path) -> None:
    export = fresh()
    del export.obj(OFFER)["key"]
    export.obj(FEE_TABLE)["key"] = entries("DISC-HOME-EXCESS")
    export.obj(PRODUCT)["sku"] = entries("home plus!")
    result = run(tmp_path, export)
    assert only(result, "E-KEY-MISSING").object_id == OFFER
    assert only(result, "E-KEY-DUPLICATE").object_id == FEE_TABLE
    assert only(result, "E-KEY-FORMAT").key == "home plus!"


def test_governance_fields_of_approved_objects(tmp_path: Path) -> None:
    export = fresh()
    del export.obj(DISCLAIMER)["approved_by"]
    export.obj(FEE_TABLE)["valid_from"] = entries("2027-01-01")
    export.obj(FEE_TABLE)["valid_until"] = entries("2026-01-01")
    result = run(tmp_path, export)
    assert only(result, "E-APPROVAL-INCOMPLETE").field == "approved_by"
    assert only(result, "E-VALIDITY-WINDOW").object_id == FEE_TABLE


def test_an_invalid_approval_date_is_a_type_error_not_a_missing_one(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["approved_at"] = entries("yesterday")
    result = run(tmp_path, export)
    assert only(result, "E-VALUE-TYPE").field == "approved_at"
    assert not [d for d in result.report if d.code == "E-APPROVAL-INCOMPLETE"]


def test_enumerated_values(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["triggers"] = entries(["policy_renewal", "birthday"])
    assert "'birthday'" in only(run(tmp_path, export), "E-VALUE-ENUM").message


def test_segments_checked_only_when_exstream_data_given(tmp_path: Path) -> None:
    assert not run(tmp_path, fresh()).report.has_errors
    result = run(tmp_path, fresh(), segments=["students"])
    found = only(result, "E-SEGMENT-UNKNOWN")
    assert found.key == "HOME-PLUS" and "young-families" in found.message
    assert not run(tmp_path, fresh(), segments=["young-families"]).report.has_errors


def test_kit_cycle_is_an_error(tmp_path: Path) -> None:
    export = fresh()
    second = make_object("product", PRODUCT_2, sku="HOME-BASIC",
                         name=localised("Hausrat", "Home"), onboarding=[PRODUCT, DISCLAIMER])
    export.modules["product"].append(second)
    export.obj(PRODUCT)["onboarding"] = entries([PRODUCT_2, BANNER])
    found = only(run(tmp_path, export), "E-KIT-CYCLE")
    assert "HOME-PLUS -> HOME-BASIC -> HOME-PLUS" in found.message or \
        "HOME-BASIC -> HOME-PLUS -> HOME-BASIC" in found.message


def test_kits_without_cycle_are_fine(tmp_path: Path) -> None:
    export = fresh()
    second = make_object("product", PRODUCT_2, sku="HOME-BASIC",
                         name=localised("Hausrat", "Home"), onboarding=[DISCLAIMER])
    export.modules["product"].append(second)
    export.obj(PRODUCT)["onboarding"] = entries([PRODUCT_2, BANNER])
    assert not run(tmp_path, export).report.has_errors


def test_many_errors_all_reported_in_one_run(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["priority"] = entries("high")
    export.obj(PRODUCT)["name"] += entries("x", "sv_SE")
    del export.obj(OFFER)["key"]
    export.obj(FEE_TABLE)["valid_until"] = entries("2026-02-30")
    export.obj(DISCLAIMER)["approval_status"] = entries("draft")
    export.files.pop(next(p for p in export.files if BANNER in p))
    result = run(tmp_path, export)
    codes = {d.code for d in result.report.errors}
    assert {"E-VALUE-TYPE", "E-LOCALE-UNKNOWN", "E-KEY-MISSING", "E-NEEDS-EXCLUDED",
            "E-MASTER-MISSING"} <= codes
    assert len(result.report.errors) >= 6


def test_a_module_that_cannot_be_read_brings_no_follow_on_reference_errors(
        tmp_path: Path) -> None:
    import shutil

    from compiler.config import load_config
    from compiler.resources import sample_export

    export = tmp_path / "export"
    shutil.copytree(sample_export(), export)
    (export / "modules" / "product.json").write_text('{"result": [', encoding="utf-8")
    result = validate_source(export, load_config(cwd=tmp_path))
    codes = [d.code for d in result.report.errors]
    assert "E-JSON-SYNTAX" in codes
    # offers point at products; the product module's one real problem is reported once
    assert "E-REF-UNRESOLVED" not in codes, [d.format() for d in result.report.errors]


def test_an_approval_field_no_object_has_is_a_configuration_mistake(tmp_path: Path) -> None:
    result = run(tmp_path, fresh(), '[governance]\napproval_status = "freigabe"\n')
    problem = only(result, "E-APPROVAL-FIELD-ABSENT")
    assert problem.field == "governance.approval_status"
    assert "none of the export's 6 objects has the field 'freigabe'" in problem.message
    excluded = result.decision.excluded
    assert {e.message for e in excluded.values()} == {
        "has no freigabe; only 'approved' content is released"}


def test_an_approved_by_field_no_object_has_is_one_error_not_one_per_object(
        tmp_path: Path) -> None:
    result = run(tmp_path, fresh(), '[governance]\napproved_by = "genehmigt_von"\n')
    assert only(result, "E-APPROVAL-FIELD-ABSENT").field == "governance.approved_by"
    assert not [d for d in result.report if d.code == "E-APPROVAL-INCOMPLETE"]
