"""data/catalog.xml: structured product data, and per segment the excerpt a letter needs.

A comparison letter or renewal pack for a segment needs the products offered to it,
each with its fee table, disclaimers and terms, and the segment's offers. Products and
offers with no segments are offered to every segment. Only what the release ships is
named: a reference to an object that does not go out is left out here (the dependants
check reports it). A product's own text forms say which field they come from
(``field="short_description"``, ``field="features"``), its images their alt text per
locale, in the product's order (the first is its hero image).
"""

from __future__ import annotations

from lxml import etree

from compiler.build.content import RICH_TEXT
from compiler.exstream.offers import TRIGGERS, ranked, targets, usable_offers
from compiler.exstream.texts import localised
from compiler.exstream.xmlout import Builder, file_attrs, release_attrs, serialise
from compiler.release import OutputFile, Release, ReleasedItem

NAMESPACE = "urn:cpc:catalog:1"
_X = Builder(NAMESPACE)

# product relation (meaning) -> the block role it plays in a letter
BLOCK_ROLES = {"fee_table": "fee_table", "disclaimers": "disclaimer"}
# blocks among a product's onboarding material that letters also pull, by block_type
LETTER_BLOCK_TYPES = {"terms": "terms", "fee_table": "fee_table", "disclaimer": "disclaimer"}


def letter_blocks(release: Release, product: ReleasedItem) -> list[tuple[str, ReleasedItem]]:
    """(role, block) pairs a letter about this product needs, released ones only, sorted."""
    found: dict[str, tuple[str, ReleasedItem]] = {}
    for meaning, role in BLOCK_ROLES.items():
        for block_id in product.item.references(meaning):
            block = release.items.get(block_id)
            if block is not None and block.item.kind == "text_block":
                found.setdefault(block.item.key, (role, block))
    for member_id in product.item.references("onboarding"):
        block = release.items.get(member_id)
        if block is None or block.item.kind != "text_block":
            continue
        letter_role = LETTER_BLOCK_TYPES.get(str(block.item.value("block_type")))
        if letter_role is not None:
            found.setdefault(block.item.key, (letter_role, block))
    return sorted(found.values(), key=lambda pair: (pair[0], pair[1].item.key))


def segment_keys(release: Release) -> list[str]:
    """Exstream's segments when known, else every segment products and offers name."""
    if release.exstream is not None:
        return sorted(s["key"] for s in release.exstream.segments)
    named = {s for kind in ("product", "offer") for r in release.released(kind)
             for s in r.item.references("segments")}
    return sorted(named)


def write_catalog(release: Release) -> bytes:
    """catalog.xml: every released product, then one excerpt per segment."""
    root = _X.root("catalog", release_attrs(release))
    products = _X.sub(root, "products")
    for product in release.released("product"):
        _product(release, products, product)
    segments = _X.sub(root, "segments")
    for segment in segment_keys(release):
        _excerpt(release, segments, segment)
    return serialise(root)


def _product(release: Release, parent: etree._Element, product: ReleasedItem) -> None:
    item = product.item
    element = _X.sub(parent, "product", {
        "key": item.key, "sku": item.value("sku"), "productLine": item.value("product_line"),
        "sourceId": item.id, "sourceVersion": item.version})
    localised(_X, element, "name", item, "name", release.model.locales)
    for role, block in letter_blocks(release, product):
        _X.sub(element, "block", {"key": block.item.key, "role": role,
                                  "type": block.item.value("block_type")})
    for image_id in item.references("images"):
        image = release.items.get(image_id)
        if image is None:
            continue
        image_element = _X.sub(element, "image", {"asset": image.item.key})
        localised(_X, image_element, "alt", image.item, "alt_text", release.model.locales)
        _X.files(image_element, "rendition",
                 [o for o in image.outputs if o.kind == "rendition"])
    for segment in item.references("segments"):
        _X.sub(element, "segment", {"key": segment})
    for output in sorted(product.outputs, key=lambda o: o.path):
        if output.kind in ("exm", "html", "txt"):
            _X.sub(element, "form", {"field": product_field(product, output),
                                     **file_attrs(output)})


def product_field(product: ReleasedItem, form: OutputFile) -> str:
    """The product field (meaning) one of its own text forms comes from, by the text key
    its path is named by: ``data/content/HOME-PLUS.short-description/…`` →
    ``short_description``."""
    key = form.path.split("/")[2]
    meanings, key_of = RICH_TEXT["product"]
    for meaning in meanings:
        if key_of(product.item.key, meaning) == key:
            return meaning
    return key.split(".", 1)[-1].replace("-", "_")


def _excerpt(release: Release, parent: etree._Element, segment: str) -> None:
    names = {s["key"]: s.get("name") for s in release.exstream.segments} if release.exstream else {}
    element = _X.sub(parent, "segment", {"key": segment, "name": names.get(segment)})
    offers = ranked([o for o in usable_offers(release)[0]
                     if any(targets(o, segment, t) for t in TRIGGERS)])
    via_offer = {p for o in offers for p in o.item.references("products")}
    for product in release.released("product"):
        own = product.item.references("segments")
        reasons = [reason for reason, applies in (
            ("segment", not own or segment in own), ("offer", product.item.id in via_offer))
            if applies]
        if not reasons:
            continue
        entry = _X.sub(element, "product", {"key": product.item.key,
                                            "reason": " ".join(reasons)})
        for role, block in letter_blocks(release, product):
            block_element = _X.sub(entry, "block", {"key": block.item.key, "role": role})
            _X.files(block_element, "form", block.outputs)
    for rank, offer in enumerate(offers, start=1):
        _X.sub(element, "offer", {"key": offer.item.key, "rank": rank})
