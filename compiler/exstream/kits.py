"""data/kits.xml: each product's onboarding kit per locale, complete or flagged.

A welcome pack sends a product's guides, its images and its FAQ blocks together. A kit
that lacks a member (an id that is not in the export, or an object that does not go out)
would send an incomplete pack, so it is an error for that product, naming the member.
Members come from the product's ``images`` and ``onboarding`` relations, in that order
and in the order the product gives them. Images carry their alt text in the kit's locale.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from compiler.diagnostics import Diagnostic, error
from compiler.exstream.texts import localised
from compiler.exstream.xmlout import Builder, release_attrs, serialise
from compiler.release import OutputFile, Release, ReleasedItem

NAMESPACE = "urn:cpc:kits:1"
_X = Builder(NAMESPACE)


@dataclass(frozen=True)
class MissingMember:
    """A kit member that does not go out: its id, key (when the export has it) and why."""

    id: str
    key: str
    reason: str


def _member_ids(product: ReleasedItem) -> list[str]:
    ids = [*product.item.references("images"), *product.item.references("onboarding")]
    return list(dict.fromkeys(ids))


def kit_members(release: Release, product: ReleasedItem) -> list[ReleasedItem]:
    """The released members of a product's onboarding kit in the product's order: its
    images (the first is its hero image), then its onboarding files and blocks. That
    order is the export's, so it is as deterministic as sorting and keeps its meaning."""
    return [release.items[i] for i in _member_ids(product) if i in release.items]


def missing_members(release: Release, product: ReleasedItem) -> list[MissingMember]:
    """The kit members of a product that the release does not ship, in relation order."""
    reasons = {e.id: e.reason for e in release.excluded}
    missing: list[MissingMember] = []
    for member_id in _member_ids(product):
        if release.is_released(member_id):
            continue
        source = release.model.items.get(member_id)
        reason = reasons.get(member_id, "excluded") if source is not None else "not_in_export"
        missing.append(MissingMember(member_id, source.key if source else "", reason))
    return missing


def check_kits(release: Release) -> list[Diagnostic]:
    """One error per released product and kit member that does not go out."""
    problems: list[Diagnostic] = []
    for product in release.released("product"):
        for member in missing_members(release, product):
            named = f"{member.key!r} ({member.id})" if member.key else member.id
            code, why = (("E-KIT-MEMBER-MISSING", "is not in the export")
                         if member.reason == "not_in_export"
                         else ("E-KIT-MEMBER-EXCLUDED", f"does not go out ({member.reason})"))
            problems.append(error(
                code, f"the onboarding kit of product {product.item.key!r} is incomplete: "
                f"member {named} {why}; approve the member or remove it from the product",
                object_id=product.item.id, key=product.item.key, location=product.item.location))
    return problems


def write_kits(release: Release) -> tuple[bytes, list[Diagnostic]]:
    """kits.xml (one kit per released product and locale) and the kit errors."""
    root = _X.root("kits", release_attrs(release))
    for product in release.released("product"):
        missing = missing_members(release, product)
        for locale in release.model.locales:
            _kit(release, root, product, locale, missing)
    return serialise(root), check_kits(release)


def _for_locale(outputs: list[OutputFile], locale: str) -> list[OutputFile]:
    return [o for o in outputs if o.locale in (None, locale)]


def _kit(release: Release, root: etree._Element, product: ReleasedItem, locale: str,
         missing: list[MissingMember]) -> None:
    kit = _X.sub(root, "kit", {"product": product.item.key, "locale": locale,
                               "complete": str(not missing).lower()})
    for member in kit_members(release, product):
        outputs = _for_locale(member.outputs, locale)
        documents = [o for o in outputs if o.kind == "document"]
        renditions = [o for o in outputs if o.kind == "rendition"]
        if member.item.kind == "text_block":
            element = _X.sub(kit, "block", {"key": member.item.key,
                                            "type": member.item.value("block_type")})
            _X.files(element, "form", outputs)
        elif documents:
            element = _X.sub(kit, "guide", {"asset": member.item.key})
            _X.files(element, "document", documents)
        else:
            element = _X.sub(kit, "image", {"asset": member.item.key})
            localised(_X, element, "alt", member.item, "alt_text", (locale,))
            _X.files(element, "rendition", renditions)
    for gap in missing:
        _X.sub(kit, "missing", {"id": gap.id, "key": gap.key or None, "reason": gap.reason})
