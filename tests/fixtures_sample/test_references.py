"""References resolve, exclusions are the intended ones, and nothing released needs them."""

from __future__ import annotations

import re
from itertools import product as cartesian

from tests.fixtures_sample.sample import (
    TRIGGERS,
    asset_key,
    exclusion_reason,
    load,
    references,
    value,
)

# What each relation may point to: (module, allowed types by field).
TARGETS = {
    "images": ("file", {"asset_role": {"product_image", "illustration", "icon", "logo", "banner"}}),
    "banner": ("file", {"asset_role": {"banner"}}),
    "disclaimers": ("text_block", {"block_type": {"disclaimer"}}),
    "fee_table": ("text_block", {"block_type": {"fee_table"}}),
    "products": ("product", {}),
}
ONBOARDING = {("file", "asset_role", "guide"), ("text_block", "block_type", "faq")}

INTENDED_EXCLUSIONS = {
    ("product", "MOTOR-CLASSIC"): "not_approved",
    ("text_block", "DISC-WINTER-2025"): "expired",
    ("offer", "OFF-SPRING-2027"): "not_yet_valid",
    ("file", "Stockfoto Strand lizenzpflichtig.jpg"): "rights_not_cleared",
    ("file", "Kampagnenmotiv Winter 2025.jpg"): "rights_not_cleared",
}


def _name(obj: dict) -> str:
    for field in ("key", "sku", "file_name"):
        if field in obj:
            return str(value(obj, field))
    raise AssertionError(obj["id"])


def _asset_keys() -> dict[str, dict]:
    return {asset_key(value(f, "file_name"), f["id"]): f for f in load().modules["file"]}


def _released_keys() -> set[str]:
    sample = load()
    keys = {k for k, f in _asset_keys().items() if exclusion_reason(f) is None}
    for module in ("text_block", "offer"):
        keys |= {value(o, "key") for o in sample.modules[module] if exclusion_reason(o) is None}
    return keys


def test_every_reference_resolves_to_the_right_module() -> None:
    sample = load()
    for obj in sample.objects():
        for field, target_id in references(obj):
            target = sample.by_id.get(target_id)
            assert target is not None, f"{_name(obj)}.{field} -> {target_id} does not exist"
            if field == "onboarding":
                kinds = {(m, f, v) for m, f, v in ONBOARDING if m == target["module"]}
                assert any(value(target, f) == v for _, f, v in kinds), (_name(obj), field)
                continue
            module, allowed = TARGETS[field]
            assert target["module"] == module, (_name(obj), field, _name(target))
            for name, values in allowed.items():
                assert value(target, name) in values, (_name(obj), field, _name(target))


def test_exactly_the_intended_objects_are_excluded() -> None:
    excluded = {(o["module"], _name(o)): exclusion_reason(o) for o in load().objects()
                if exclusion_reason(o) is not None}
    assert excluded == INTENDED_EXCLUSIONS


def test_no_released_object_references_an_excluded_one() -> None:
    sample = load()
    for obj in sample.objects():
        if exclusion_reason(obj) is not None:
            continue
        for field, target_id in references(obj):
            target = sample.by_id[target_id]
            assert exclusion_reason(target) is None, (
                f"{_name(obj)}.{field} needs excluded {_name(target)}"
            )


def test_excluded_objects_are_referenced_by_excluded_objects_only() -> None:
    # The draft product and the future offer keep the excluded objects "in use",
    # which is what a real export looks like; none of them leaks into the release.
    sample = load()
    users = {t for o in sample.objects() for _, t in references(o)}
    excluded = [o for o in sample.objects() if exclusion_reason(o) is not None]
    assert sum(o["id"] in users for o in excluded) >= 3


def test_edge_dates_are_inclusive_and_released() -> None:
    sample = load()
    blocks = {value(b, "key"): b for b in sample.modules["text_block"]}
    assert value(blocks["DISC-INSURANCE-TAX"], "valid_until") == "2026-11-28"
    assert value(blocks["CTA-CONTACT"], "valid_from") == "2026-11-28"
    assert exclusion_reason(blocks["DISC-INSURANCE-TAX"]) is None
    assert exclusion_reason(blocks["CTA-CONTACT"]) is None


def test_segments_and_triggers_are_known() -> None:
    sample = load()
    segment_keys = {s["key"] for s in sample.segments}
    for obj in sample.modules["product"] + sample.modules["offer"]:
        assert set(value(obj, "segments")) <= segment_keys, _name(obj)
    for offer in sample.modules["offer"]:
        assert set(value(offer, "triggers")) <= TRIGGERS


def test_template_usage_names_released_keys_only() -> None:
    released = _released_keys()
    uses = {key for t in load().templates for key in t["uses"]}
    assert uses <= released, uses - released
    kinds = {"asset" if re.search(r"-[0-9a-f]{8}$", k) else k.split("-")[0] for k in uses}
    assert {"asset", "OFF", "FEE", "DISC"} <= kinds


def test_asset_keys_follow_the_slug_rule() -> None:
    keys = _asset_keys()
    assert len(keys) == len(load().modules["file"])
    reise = next(k for k, f in keys.items() if value(f, "file_name") == "Reise Küste.jpg")
    assert reise.startswith("reise-kuste-")
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-[0-9a-f]{8}", k) for k in keys)


def test_images_in_rich_text_name_released_assets() -> None:
    released = _released_keys()
    found = []
    for block in load().modules["text_block"]:
        for entry in block["body"]:
            found += re.findall(r'<img[^>]*\bsrc="([^"]+)"', entry["value"])
    assert found and set(found) <= released


def _offers_by_pair(released_only: bool) -> dict[tuple[str, str], list[dict]]:
    sample = load()
    pairs: dict[tuple[str, str], list[dict]] = {}
    for offer in sample.modules["offer"]:
        if released_only and exclusion_reason(offer) is not None:
            continue
        for pair in cartesian(value(offer, "segments"), value(offer, "triggers")):
            pairs.setdefault(pair, []).append(offer)
    return pairs


def test_some_segment_trigger_pairs_have_no_offer_at_all() -> None:
    segments = [s["key"] for s in load().segments]
    pairs = _offers_by_pair(released_only=False)
    empty = [p for p in cartesian(segments, sorted(TRIGGERS)) if p not in pairs]
    assert ("seniors", "claim_completed") in empty


def test_a_priority_tie_is_broken_by_key() -> None:
    pairs = _offers_by_pair(released_only=True)
    offers = pairs[("young-families", "policy_renewal")]
    by_priority: dict[int, list[str]] = {}
    for offer in offers:
        by_priority.setdefault(int(value(offer, "priority")), []).append(value(offer, "key"))
    assert sorted(by_priority[50]) == ["OFF-HOME-CONTENTS-CHECK", "OFF-HOME-UPGRADE"]
    assert max(by_priority) > 50  # a higher-priority offer still goes first
