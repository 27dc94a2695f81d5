"""The release rule: exclusions with reasons, needed objects, dependants, preflight."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from compiler.validate import Exclusion, decide_release, validate_source
from tests.validate.helpers import (
    BANNER,
    DISCLAIMER,
    FEE_ROWS,
    FEE_TABLE,
    IMAGE,
    OFFER,
    PRODUCT,
    config_with,
    entries,
    fresh,
    localised,
)
from tests.validate.test_rules import only, run


def test_draft_disclaimer_needed_by_a_product_is_an_error(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["approval_status"] = entries("draft")
    result = run(tmp_path, export)
    assert result.decision.excluded[DISCLAIMER].reason == "not_approved"
    assert result.decision.excluded[DISCLAIMER].needed_by == (PRODUCT,)
    found = only(result, "E-NEEDS-EXCLUDED")
    assert found.object_id == PRODUCT and found.field == "disclaimers"
    assert "HOME-PLUS" in found.message and "DISC-HOME-EXCESS" in found.message
    assert PRODUCT in result.decision.released  # an error, not a silent exclusion


def test_dependants_exclude_excludes_transitively_and_records_it(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["approval_status"] = entries("draft")
    result = run(tmp_path, export, '[release]\ndependants = "exclude"\n')
    assert not result.report.has_errors, [d.format() for d in result.report]
    product, offer = result.decision.excluded[PRODUCT], result.decision.excluded[OFFER]
    assert (product.reason, product.needs) == ("dependency_excluded", DISCLAIMER)
    assert (offer.reason, offer.needs) == ("dependency_excluded", PRODUCT)
    assert sorted(result.decision.released) == sorted([IMAGE, BANNER, FEE_TABLE])
    warned = [d.object_id for d in result.report if d.code == "W-DEPENDANT-EXCLUDED"]
    assert sorted(warned) == sorted([PRODUCT, OFFER])


def test_banner_with_expired_rights(tmp_path: Path) -> None:
    export = fresh()
    export.obj(BANNER)["rights_valid_until"] = entries("2026-06-30")
    result = run(tmp_path, export)
    assert result.decision.excluded[BANNER].reason == "rights_not_cleared"
    assert only(result, "E-NEEDS-EXCLUDED").object_id == OFFER


def test_rights_status_not_cleared(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["rights_status"] = entries("pending")
    result = run(tmp_path, export)
    assert result.decision.excluded[IMAGE].reason == "rights_not_cleared"
    assert only(result, "E-NEEDS-EXCLUDED").field == "images"


def test_effective_date_changes_the_validity_outcome(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["valid_from"] = entries("2026-12-01")
    root = export.write(tmp_path / "e")
    config = config_with(tmp_path)
    default = validate_source(root, config)  # exported_at 2026-11-28
    assert default.effective_date == dt.date(2026, 11, 28)
    assert default.decision.excluded[OFFER].reason == "not_yet_valid"
    on_day = validate_source(root, config, dt.date(2026, 12, 1))  # inclusive
    assert OFFER in on_day.decision.released
    last_day = validate_source(root, config, dt.date(2026, 12, 31))
    assert OFFER in last_day.decision.released
    after = validate_source(root, config, dt.date(2027, 1, 1))
    assert after.decision.excluded[OFFER].reason == "expired"
    assert not after.report.has_errors  # everything expired together: nothing is needed
    assert {e.reason for e in after.decision.excluded.values()} == {"expired"}


def test_missing_locale_excludes_and_dependants_follow(tmp_path: Path) -> None:
    export = fresh()
    export.obj(FEE_TABLE)["body"] = entries(FEE_ROWS, "de_DE")
    result = run(tmp_path, export)
    fee = result.decision.excluded[FEE_TABLE]
    assert fee.reason == "missing_locale" and "en_GB" in fee.message
    assert only(result, "E-NEEDS-EXCLUDED").field == "fee_table"
    # an entry without dimensions counts for every locale
    export.obj(FEE_TABLE)["body"] = entries(FEE_ROWS)
    assert FEE_TABLE in run(tmp_path, export).decision.released


def test_an_empty_required_text_is_a_missing_locale(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["body"] = localised("", "   ")
    result = run(tmp_path, export)
    disclaimer = result.decision.excluded[DISCLAIMER]
    assert disclaimer.reason == "missing_locale"
    assert "'body' is empty for de_DE, en_GB" in disclaimer.message
    assert only(result, "E-NEEDS-EXCLUDED").field == "disclaimers"


def test_release_locales_from_config(tmp_path: Path) -> None:
    export = fresh()
    export.obj(FEE_TABLE)["body"] = entries(FEE_ROWS, "de_DE")
    result = run(tmp_path, export, '[release]\nlocales = ["de_DE"]\n')
    assert not result.report.has_errors
    bad = run(tmp_path, fresh(), '[release]\nlocales = ["fr_FR"]\n')
    problem = only(bad, "E-RELEASE-LOCALE")
    assert problem.locale == "fr_FR"
    assert problem.format().startswith("error E-RELEASE-LOCALE cpc.toml [release.locales, fr_FR]")


def test_pipeline_exclusions_rerun_the_dependency_resolution(tmp_path: Path) -> None:
    result = run(tmp_path, fresh())
    assert not result.report.has_errors
    extra = {DISCLAIMER: Exclusion("invalid", "rich text failed conversion")}
    again = decide_release(result.model, config_with(tmp_path), result.effective_date,
                           extra_exclusions=extra)
    assert again.excluded[DISCLAIMER].reason == "invalid"
    assert [d.code for d in again.diagnostics] == ["E-NEEDS-EXCLUDED"]
    excluding = config_with(tmp_path, '[release]\ndependants = "exclude"\n')
    again = decide_release(result.model, excluding, result.effective_date,
                           extra_exclusions=extra)
    assert set(again.excluded) == {DISCLAIMER, PRODUCT, OFFER}


def test_print_preflight_warning_or_error(tmp_path: Path) -> None:
    result = run(tmp_path, fresh())
    low = only(result, "W-PRINT-RESOLUTION")  # the 20x30 banner; the 2400 px image is fine
    assert low.object_id == BANNER and "OFFER-HOME" in low.message
    strict = run(tmp_path, fresh(), "[renditions]\nprint_min_dpi = 150\n")
    assert only(strict, "E-PRINT-RESOLUTION").object_id == BANNER


def test_print_preflight_off_when_the_preset_has_no_dpi(tmp_path: Path) -> None:
    result = run(tmp_path, fresh(), "[renditions.print]\ndpi = 0\n")
    assert not [d for d in result.report if "PRINT" in d.code]


def test_rich_text_that_shows_nothing_is_a_missing_locale(tmp_path: Path) -> None:
    export = fresh()
    export.obj(DISCLAIMER)["body"] = localised("<p>&nbsp;</p>", "<p></p>")
    disclaimer = run(tmp_path, export).decision.excluded[DISCLAIMER]
    assert disclaimer.reason == "missing_locale" and "is empty for de_DE, en_GB" in (
        disclaimer.message)
    export.obj(DISCLAIMER)["body"] = localised('<p><img src="x"></p>', "<p>Hinweis</p>")
    assert DISCLAIMER not in run(tmp_path, export).decision.excluded  # an image is content
