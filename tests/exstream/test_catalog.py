"""catalog.xml on the sample: product data and per-segment excerpts."""

from __future__ import annotations

from typing import Any

from lxml import etree

from compiler.exstream import write_catalog
from compiler.release import ExstreamData

from .conftest import make_release, patch_module, validate

NS = {"c": "urn:cpc:catalog:1"}
WOHNZIMMER_ID = "1a3f40bf-238f-5bee-ab93-a7ad77b01ae2"  # hausrat-wohnzimmer-1a3f40bf


def excerpt(xml: bytes, segment: str) -> etree._Element:
    found = etree.fromstring(xml).find(f"c:segments/c:segment[@key='{segment}']", NS)
    assert found is not None, segment
    return found


def test_catalog_validates_and_lists_released_products(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml = write_catalog(make_release(files, sample_exstream))
    validate(xml, "catalog.xsd")
    root = etree.fromstring(xml)
    keys = [p.get("key") for p in root.iterfind("c:products/c:product", NS)]
    assert keys == sorted(keys) and "MOTOR-CLASSIC" not in keys and len(keys) == 13
    segments = [s.get("key") for s in root.iterfind("c:segments/c:segment", NS)]
    assert segments == sorted(s["key"] for s in sample_exstream.segments)


def test_product_entry_has_sku_names_blocks_and_image_renditions(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml = write_catalog(make_release(files, sample_exstream))
    product = etree.fromstring(xml).find("c:products/c:product[@key='HOME-BASIC']", NS)
    assert product.get("sku") == "HOME-BASIC" and product.get("productLine")
    assert {n.get("locale") for n in product.findall("c:name", NS)} == {"de_DE", "en_GB"}
    # DISC-INSURANCE-TAX expired on 2026-11-28: not in the catalog of a 2026-12-01 release
    assert [(b.get("role"), b.get("key")) for b in product.findall("c:block", NS)] == [
        ("disclaimer", "DISC-GENERAL"), ("disclaimer", "DISC-HOME-EXCESS"),
        ("fee_table", "FEE-HOME-BASIC")]
    images = product.findall("c:image", NS)
    assert [i.get("asset") for i in images] == ["chelsea-die-katze-b7f914c3",
                                                "hausrat-wohnzimmer-1a3f40bf"]
    channels = {r.get("channel") for r in images[0].findall("c:rendition", NS)}
    assert channels == {"print", "email", "web", "mobile"}
    assert all(r.get("path").startswith("data/assets/")
               for r in images[0].findall("c:rendition", NS))


def test_product_images_carry_their_alt_text_per_locale(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml = write_catalog(make_release(files, sample_exstream))
    validate(xml, "catalog.xsd")
    image = etree.fromstring(xml).find(
        "c:products/c:product[@key='HOME-BASIC']/c:image[@asset='hausrat-wohnzimmer-1a3f40bf']",
        NS)
    assert [(a.get("locale"), a.get("channel"), a.text) for a in image.findall("c:alt", NS)] == [
        ("de_DE", None, "Abendstimmung über einem Wohnviertel"),
        ("en_GB", None, "Evening sky over a neighbourhood")]


def test_an_alt_text_of_its_own_for_a_channel_is_listed_with_it(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    def email_alt(obj: dict[str, Any]) -> None:
        obj["alt_text"].append({"value": "Living room at dusk",
                                "dimensions": {"locale": "en_GB", "channel": "email"}})

    patch_module(files, "modules/file.json", WOHNZIMMER_ID, email_alt)
    xml = write_catalog(make_release(files, sample_exstream))
    validate(xml, "catalog.xsd")
    image = etree.fromstring(xml).find(
        "c:products/c:product[@key='HOME-PLUS']/c:image[@asset='hausrat-wohnzimmer-1a3f40bf']",
        NS)
    alts = [(a.get("locale"), a.get("channel"), a.text) for a in image.findall("c:alt", NS)]
    assert alts == [
        ("de_DE", None, "Abendstimmung über einem Wohnviertel"),
        ("en_GB", None, "Evening sky over a neighbourhood"),
        ("en_GB", "email", "Living room at dusk")]


def test_product_forms_name_the_field_they_come_from(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml = write_catalog(make_release(files, sample_exstream))
    validate(xml, "catalog.xsd")
    root = etree.fromstring(xml)
    forms = root.findall("c:products/c:product/c:form", NS)
    assert forms and all(f.get("field") in ("short_description", "features") for f in forms)
    for form in forms:  # the field is the one the path is named by, never guessed
        product = form.getparent().get("key")
        assert form.get("path").split("/")[2] == (
            f"{product}.{form.get('field').replace('_', '-')}")
    basic = root.find("c:products/c:product[@key='HOME-BASIC']", NS)
    by_field = {(f.get("field"), f.get("locale"), f.get("kind")): f.get("path")
                for f in basic.findall("c:form", NS)}
    assert by_field[("short_description", "en_GB", "exm")] == (
        "data/content/HOME-BASIC.short-description/en_GB.exm.xml")
    assert by_field[("features", "de_DE", "txt")] == "data/content/HOME-BASIC.features/de_DE.txt"


def test_seniors_excerpt_has_its_products_their_letter_blocks_and_offers(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    seniors = excerpt(write_catalog(make_release(files, sample_exstream)), "seniors")
    assert seniors.get("name") == "Best Ager"
    assert [(p.get("key"), p.get("reason")) for p in seniors.findall("c:product", NS)] == [
        ("HOME-PLUS", "offer"), ("HOME-PREMIUM", "segment offer"),
        ("LIAB-DOG", "segment"), ("TRAVEL-CANCEL", "segment")]
    premium = seniors.find("c:product[@key='HOME-PREMIUM']", NS)
    blocks = premium.findall("c:block", NS)
    assert [(b.get("role"), b.get("key")) for b in blocks] == [
        ("disclaimer", "DISC-GENERAL"), ("fee_table", "FEE-HOME-PREMIUM")]
    forms = blocks[1].findall("c:form", NS)
    assert {(f.get("locale"), f.get("kind")) for f in forms} == {
        (loc, kind) for loc in ("de_DE", "en_GB") for kind in ("exm", "html", "txt")}
    assert [o.get("key") for o in seniors.findall("c:offer", NS)] == ["OFF-HOME-UPGRADE"]


def test_young_families_offers_are_ranked(files: dict[str, bytes],
                                          sample_exstream: ExstreamData) -> None:
    families = excerpt(write_catalog(make_release(files, sample_exstream)), "young-families")
    assert [o.get("key") for o in families.findall("c:offer", NS)] == [
        "OFF-LIFE-DUO", "OFF-HOME-CONTENTS-CHECK", "OFF-HOME-UPGRADE", "OFF-CLAIM-FOLLOWUP",
        "OFF-TRAVEL-SUMMER"]


def test_terms_among_onboarding_blocks_reach_the_excerpt(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    release = make_release(files, sample_exstream)
    terms = next(i.id for i in release.model.blocks if i.key == "TERMS-HOME")

    def add_terms(obj: dict[str, Any]) -> None:
        obj["onboarding"][0]["value"].append(terms)

    patch_module(files, "modules/product.json", "HOME-PLUS", add_terms)
    xml = write_catalog(make_release(files, sample_exstream))
    validate(xml, "catalog.xsd")
    plus = excerpt(xml, "homeowners").find("c:product[@key='HOME-PLUS']", NS)
    assert ("terms", "TERMS-HOME") in [(b.get("role"), b.get("key"))
                                       for b in plus.findall("c:block", NS)]


def test_without_exstream_data_segments_come_from_products_and_offers(
        files: dict[str, bytes]) -> None:
    xml = write_catalog(make_release(files, None))
    validate(xml, "catalog.xsd")
    segments = [s.get("key") for s in etree.fromstring(xml).iterfind("c:segments/c:segment", NS)]
    assert segments == ["commuters", "homeowners", "seniors", "students", "uk-expats",
                        "young-families"]


def test_catalog_is_deterministic(files: dict[str, bytes],
                                  sample_exstream: ExstreamData) -> None:
    first = write_catalog(make_release(files, sample_exstream))
    release = make_release(files, sample_exstream)
    release.items = dict(reversed(list(release.items.items())))
    assert write_catalog(release) == first
