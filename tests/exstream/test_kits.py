"""kits.xml on the sample: complete kits, and a kit with a draft FAQ block flagged."""

from __future__ import annotations

from typing import Any

from lxml import etree

from compiler.exstream import check_kits, write_kits
from compiler.release import ExstreamData

from .conftest import make_release, patch_module, validate

NS = {"k": "urn:cpc:kits:1"}


def test_sample_kits_are_complete_and_valid(files: dict[str, bytes],
                                            sample_exstream: ExstreamData) -> None:
    xml, problems = write_kits(make_release(files, sample_exstream))
    validate(xml, "kits.xsd")
    assert problems == []
    kits = etree.fromstring(xml).findall("k:kit", NS)
    assert len(kits) == 13 * 2 and all(k.get("complete") == "true" for k in kits)


def test_kit_has_guides_images_and_faq_forms_for_its_locale(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    release = make_release(files, sample_exstream)
    xml, _ = write_kits(release)
    product = next(p for p in release.model.products if p.key == "HOME-PLUS")
    members = [release.model.items[i] for i in (*product.references("images"),
                                                 *product.references("onboarding"))]
    guides = [m.key for m in members if m.value("mime_type") == "application/pdf"]
    images = [m.key for m in members if str(m.value("mime_type")).startswith("image/")]
    blocks = [m.key for m in members if m.kind == "text_block"]
    assert guides and images and blocks  # the sample gives HOME-PLUS all three
    assert guides != sorted(guides)  # the welcome guide comes first, as the product has it
    kit = etree.fromstring(xml).find("k:kit[@product='HOME-PLUS'][@locale='en_GB']", NS)
    assert [m.get("asset") or m.get("key") for m in kit] == [m.key for m in members]
    assert [g.get("asset") for g in kit.findall("k:guide", NS)] == guides
    assert all(d.get("path").startswith("data/documents/")
               for d in kit.iterfind("k:guide/k:document", NS))
    assert [i.get("asset") for i in kit.findall("k:image", NS)] == images
    assert {r.get("channel") for r in kit.iterfind("k:image/k:rendition", NS)} == {
        "print", "email", "web", "mobile"}
    faqs = kit.findall("k:block", NS)
    assert [(b.get("key"), b.get("type")) for b in faqs] == [(k, "faq") for k in blocks]
    assert {f.get("locale") for f in kit.iterfind("k:block/k:form", NS)} == {"en_GB"}


def test_kit_members_keep_the_product_order_with_the_hero_image_first(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    release = make_release(files, sample_exstream)
    xml, _ = write_kits(release)
    validate(xml, "kits.xsd")
    root = etree.fromstring(xml)
    for product in release.released("product"):
        expected = [release.items[i].item.key
                    for i in dict.fromkeys((*product.item.references("images"),
                                            *product.item.references("onboarding")))
                    if i in release.items]
        for locale in release.model.locales:
            kit = root.find(f"k:kit[@product='{product.item.key}'][@locale='{locale}']", NS)
            members = [m.get("asset") or m.get("key") for m in kit
                       if etree.QName(m).localname != "missing"]
            assert members == expected, product.item.key
    # TRAVEL-HEALTH's hero is the coast; sorted by key, the astronaut would come first
    travel = root.find("k:kit[@product='TRAVEL-HEALTH'][@locale='de_DE']", NS)
    images = [i.get("asset") for i in travel.findall("k:image", NS)]
    assert images[0].startswith("reise-kuste-") and images != sorted(images)


def test_kit_images_carry_their_alt_text_in_the_kits_locale(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    xml, _ = write_kits(make_release(files, sample_exstream))
    validate(xml, "kits.xsd")
    root = etree.fromstring(xml)
    for locale, alt in (("en_GB", "Evening sky over a neighbourhood"),
                        ("de_DE", "Abendstimmung über einem Wohnviertel")):
        image = root.find(f"k:kit[@product='HOME-PLUS'][@locale='{locale}']"
                          "/k:image[@asset='hausrat-wohnzimmer-1a3f40bf']", NS)
        assert [(a.get("locale"), a.text) for a in image.findall("k:alt", NS)] == [(locale, alt)]


def test_draft_faq_block_flags_every_product_naming_the_block(
        files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    def draft(obj: dict[str, Any]) -> None:
        obj["approval_status"] = [{"value": "draft", "dimensions": {}}]

    patch_module(files, "modules/text_block.json", "FAQ-HOME-CLAIM", draft)
    release = make_release(files, sample_exstream)
    xml, problems = write_kits(release)
    validate(xml, "kits.xsd")
    assert problems == check_kits(release)
    assert sorted(p.key for p in problems) == ["HOME-BASIC", "HOME-PLUS", "HOME-PREMIUM"]
    for problem in problems:
        assert problem.code == "E-KIT-MEMBER-EXCLUDED" and problem.severity == "error"
        assert "'FAQ-HOME-CLAIM'" in problem.message and "not_approved" in problem.message
        assert problem.key in problem.message
    root = etree.fromstring(xml)
    flagged = root.find("k:kit[@product='HOME-PLUS'][@locale='de_DE']", NS)
    assert flagged.get("complete") == "false"
    missing = flagged.find("k:missing", NS)
    assert (missing.get("key"), missing.get("reason")) == ("FAQ-HOME-CLAIM", "not_approved")
    assert root.find("k:kit[@product='LIFE-TERM'][@locale='de_DE']", NS).get("complete") == "true"


def test_member_not_in_the_export_is_named_by_id(files: dict[str, bytes],
                                                 sample_exstream: ExstreamData) -> None:
    ghost = "00000000-0000-4000-8000-000000000001"

    def add_ghost(obj: dict[str, Any]) -> None:
        obj["onboarding"][0]["value"].append(ghost)

    patch_module(files, "modules/product.json", "LIAB-DOG", add_ghost)
    problems = check_kits(make_release(files, sample_exstream))
    assert [(p.code, p.key) for p in problems] == [("E-KIT-MEMBER-MISSING", "LIAB-DOG")]
    assert ghost in problems[0].message


def test_kits_are_deterministic(files: dict[str, bytes], sample_exstream: ExstreamData) -> None:
    first = write_kits(make_release(files, sample_exstream))[0]
    release = make_release(files, sample_exstream)
    release.items = dict(reversed(list(release.items.items())))
    assert write_kits(release)[0] == first
