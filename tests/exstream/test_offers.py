"""Offers per segment × trigger on the sample, fallbacks, unknown segments, offers.xml."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from lxml import etree

from compiler.errors import ConfigError, CpcError
from compiler.exstream import (
    TRIGGERS,
    OfferSettings,
    load_exstream_data,
    resolve_offers,
    write_offers,
)
from compiler.release import ExstreamData

from .conftest import config_with, make_release, validate

NS = {"o": "urn:cpc:offers:1"}

# Worked out by hand from the sample's offer.xml: priority first, ties (OFF-HOME-*, 50) by key;
# OFF-SPRING-2027 is not yet valid on 2026-12-01 (and its banner's rights lapsed).
EXPECTED = {
    ("commuters", "policy_renewal"): ["OFF-MOTOR-EV-SWITCH"],
    ("commuters", "claim_completed"): ["OFF-CLAIM-FOLLOWUP"],
    ("commuters", "billing_milestone"): ["OFF-MOTOR-EV-SWITCH"],
    ("commuters", "policy_activated"): ["OFF-WELCOME-APP"],
    ("homeowners", "policy_renewal"): ["OFF-LIFE-DUO", "OFF-HOME-UPGRADE", "OFF-MOTOR-EV-SWITCH"],
    ("homeowners", "claim_completed"): ["OFF-CLAIM-FOLLOWUP"],
    ("homeowners", "billing_milestone"): ["OFF-MOTOR-EV-SWITCH"],
    ("homeowners", "policy_activated"): ["OFF-LIFE-DUO"],
    ("seniors", "policy_renewal"): ["OFF-HOME-UPGRADE"],
    ("seniors", "claim_completed"): [],
    ("seniors", "billing_milestone"): [],
    ("seniors", "policy_activated"): [],
    ("students", "policy_renewal"): ["OFF-HOME-CONTENTS-CHECK"],
    ("students", "claim_completed"): ["OFF-CLAIM-FOLLOWUP"],
    ("students", "billing_milestone"): ["OFF-TRAVEL-SUMMER"],
    ("students", "policy_activated"): ["OFF-HOME-CONTENTS-CHECK", "OFF-TRAVEL-SUMMER",
                                       "OFF-WELCOME-APP"],
    ("uk-expats", "policy_renewal"): [],
    ("uk-expats", "claim_completed"): ["OFF-CLAIM-FOLLOWUP"],
    ("uk-expats", "billing_milestone"): ["OFF-TRAVEL-SUMMER"],
    ("uk-expats", "policy_activated"): ["OFF-TRAVEL-SUMMER", "OFF-WELCOME-APP"],
    ("young-families", "policy_renewal"): ["OFF-LIFE-DUO", "OFF-HOME-CONTENTS-CHECK",
                                           "OFF-HOME-UPGRADE"],
    ("young-families", "claim_completed"): ["OFF-CLAIM-FOLLOWUP"],
    ("young-families", "billing_milestone"): ["OFF-TRAVEL-SUMMER"],
    ("young-families", "policy_activated"): ["OFF-LIFE-DUO", "OFF-HOME-CONTENTS-CHECK",
                                             "OFF-TRAVEL-SUMMER"],
}
UNCOVERED = [pair for pair, offers in EXPECTED.items() if not offers]


def placements_of(xml: bytes) -> dict[tuple[str, str], list[str]]:
    root = etree.fromstring(xml)
    return {(s.get("key"), t.get("name")): [o.get("key") for o in t.findall("o:offer", NS)]
            for s in root.findall("o:placements/o:segment", NS)
            for t in s.findall("o:trigger", NS)}


@pytest.mark.parametrize("pair", sorted(EXPECTED), ids=lambda p: "/".join(p))
def test_each_segment_and_trigger_resolves_as_worked_out(
        files: dict[str, bytes], sample_exstream: ExstreamData, pair: tuple[str, str]) -> None:
    xml, _ = write_offers(make_release(files, sample_exstream))
    assert placements_of(xml)[pair] == EXPECTED[pair]


def test_every_pair_is_listed_and_ranks_count_up(files: dict[str, bytes],
                                                 sample_exstream: ExstreamData) -> None:
    xml, _ = write_offers(make_release(files, sample_exstream))
    validate(xml, "offers.xsd")
    assert sorted(placements_of(xml)) == sorted(EXPECTED)
    root = etree.fromstring(xml)
    for trigger in root.iterfind("o:placements/o:segment/o:trigger", NS):
        ranks = [int(o.get("rank")) for o in trigger.findall("o:offer", NS)]
        assert ranks == list(range(1, len(ranks) + 1))
        assert trigger.get("name") in TRIGGERS


def test_not_yet_valid_offer_is_skipped_and_listed_nowhere(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml, _ = write_offers(make_release(files, sample_exstream))
    assert b"OFF-SPRING-2027" not in xml


def test_draft_offer_is_skipped(files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    # OFF-LIFE-DUO leads two pairs; as a draft it must vanish from them
    xml_before, _ = write_offers(make_release(files, sample_exstream))
    text = files["modules/offer.xml"].decode()
    start = text.index('<value>OFF-LIFE-DUO</value>')
    status = text.index("<value>approved</value>", start)
    files["modules/offer.xml"] = (text[:status] + "<value>draft</value>"
                                  + text[status + len("<value>approved</value>"):]).encode()
    xml, _ = write_offers(make_release(files, sample_exstream))
    assert b"OFF-LIFE-DUO" in xml_before and b"OFF-LIFE-DUO" not in xml
    assert placements_of(xml)[("homeowners", "policy_activated")] == []


def test_uncovered_pairs_are_warned_in_one_warning(files: dict[str, bytes],
                                                   sample_exstream: ExstreamData) -> None:
    _, problems = write_offers(make_release(files, sample_exstream))
    warned = [p for p in problems if p.code == "W-OFFER-UNCOVERED"]
    assert len(warned) == 1
    for segment, trigger in UNCOVERED:
        assert f"{segment}/{trigger}" in warned[0].message
    assert "no fallback configured" in warned[0].message
    assert not [p for p in problems if p.severity == "error"]


def test_fallback_fills_uncovered_pairs_only(files: dict[str, bytes],
                                             sample_exstream: ExstreamData) -> None:
    config = config_with(offers={"fallback": "OFF-WELCOME-APP"})
    xml, problems = write_offers(make_release(files, sample_exstream, config))
    validate(xml, "offers.xsd")
    root = etree.fromstring(xml)
    assert root.find("o:placements", NS).get("fallback") == "OFF-WELCOME-APP"
    for segment in root.iterfind("o:placements/o:segment", NS):
        for trigger in segment.iterfind("o:trigger", NS):
            pair = (segment.get("key"), trigger.get("name"))
            fallback = trigger.find("o:fallback", NS)
            if pair in UNCOVERED:
                assert trigger.get("covered") == "false"
                assert fallback is not None and fallback.get("key") == "OFF-WELCOME-APP"
            else:
                assert trigger.get("covered") == "true" and fallback is None
    assert "fallback offer 'OFF-WELCOME-APP'" in next(
        p.message for p in problems if p.code == "W-OFFER-UNCOVERED")


def test_fallback_that_is_not_released_is_an_error(files: dict[str, bytes],
                                                   sample_exstream: ExstreamData) -> None:
    config = config_with(offers={"fallback": "OFF-SPRING-2027"})
    _, problems = write_offers(make_release(files, sample_exstream, config))
    assert [p.code for p in problems if p.severity == "error"] == ["E-OFFER-FALLBACK-UNKNOWN"]


def test_fallback_setting_must_be_text() -> None:
    with pytest.raises(ConfigError, match=r"offers\.fallback"):
        OfferSettings.from_config(config_with(offers={"fallback": 3}))
    assert OfferSettings.from_config(config_with()).fallback is None


def test_unknown_segment_in_an_offer_is_an_error_naming_offer_and_segment(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    segments = [s for s in sample_exstream.segments if s["key"] != "uk-expats"]
    exstream = ExstreamData(segments=segments, template_usage=sample_exstream.template_usage)
    _, problems = write_offers(make_release(files, exstream))
    unknown = sorted((p.key, p.message) for p in problems if p.code == "E-OFFER-SEGMENT-UNKNOWN")
    assert [k for k, _ in unknown] == ["OFF-CLAIM-FOLLOWUP", "OFF-TRAVEL-SUMMER",
                                       "OFF-WELCOME-APP"]
    assert all("'uk-expats'" in message for _, message in unknown)


def test_without_exstream_data_offers_keep_their_targeting(files: dict[str, bytes]) -> None:
    release = make_release(files, None)
    xml, problems = write_offers(release)
    validate(xml, "offers.xsd")
    root = etree.fromstring(xml)
    assert root.get("resolved") == "false" and root.find("o:placements", NS) is None
    offer = root.find("o:catalogue/o:offer[@key='OFF-HOME-UPGRADE']", NS)
    assert [s.get("key") for s in offer.findall("o:segment", NS)] == [
        "young-families", "homeowners", "seniors"]
    assert [t.get("name") for t in offer.findall("o:trigger", NS)] == ["policy_renewal"]
    assert offer.get("priority") == "50"
    assert {h.get("locale") for h in offer.findall("o:headline", NS)} == {"de_DE", "en_GB"}
    assert offer.find("o:banner", NS).get("asset") == "banner-hausrat-809eb0f0"
    forms = offer.findall("o:form", NS)
    assert forms and all(len(f.get("sha256")) == 64 for f in forms)
    assert resolve_offers(release, OfferSettings())[0] == []
    assert not problems


def test_offers_xml_is_deterministic(files: dict[str, bytes],
                                     sample_exstream: ExstreamData) -> None:
    first = make_release(files, sample_exstream)
    second = make_release(files, sample_exstream)
    shuffled = list(second.items.items())
    random.Random(7).shuffle(shuffled)
    second.items = dict(shuffled)
    assert write_offers(first)[0] == write_offers(second)[0]


def test_sample_exstream_data_loads(sample_exstream: ExstreamData) -> None:
    assert [s["key"] for s in sample_exstream.segments][:2] == ["young-families", "homeowners"]
    assert "RENEWAL_LETTER_HOME" in sample_exstream.templates_using("FEE-HOME-PLUS")


def test_malformed_exstream_data_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "segments.json").write_text(json.dumps(
        [{"key": "a"}, {"key": "a"}, {"name": "no key"}, "x"]))
    (tmp_path / "template-usage.json").write_text('[{"template": "T", "uses": [1]},')
    with pytest.raises(CpcError) as raised:
        load_exstream_data(tmp_path)
    message = raised.value.message
    assert "4 problem(s)" in message
    assert "segments.json#/1/key" in message and "more than once" in message
    assert "segments.json#/2/key" in message and "segments.json#/3" in message
    assert "template-usage.json:1:" in message and "not valid JSON" in message


def test_exstream_usage_entries_are_checked(tmp_path: Path) -> None:
    (tmp_path / "segments.json").write_text("[]")
    (tmp_path / "template-usage.json").write_text(json.dumps(
        [{"template": "T", "channel": "fax", "uses": ["K", 2]}]))
    with pytest.raises(CpcError) as raised:
        load_exstream_data(tmp_path)
    assert "#/0/channel" in raised.value.message and "#/0/uses/1" in raised.value.message


def test_missing_exstream_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(CpcError, match=r"segments\.json is missing"):
        load_exstream_data(tmp_path)


def test_banner_that_does_not_go_out_keeps_the_offer_out(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    doc = json.loads(files["modules/file.json"])
    for obj in doc["result"]:
        if obj["id"].startswith("7ca9dc8c"):  # Kaffeepause.jpg, OFF-CLAIM-FOLLOWUP's banner
            obj["rights_status"] = [{"value": "pending", "dimensions": {}}]
    files["modules/file.json"] = json.dumps(doc).encode()
    xml, problems = write_offers(make_release(files, sample_exstream))
    assert [p.key for p in problems if p.code == "W-OFFER-BANNER-EXCLUDED"] == [
        "OFF-CLAIM-FOLLOWUP"]
    assert placements_of(xml)[("students", "claim_completed")] == []
