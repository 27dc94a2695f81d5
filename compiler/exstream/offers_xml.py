"""data/offers.xml: released offers and, with Exstream data, their segment × trigger placements."""

from __future__ import annotations

from lxml import etree

from compiler.diagnostics import Diagnostic
from compiler.exstream.offers import (
    TRIGGERS,
    OfferSettings,
    Placement,
    priority,
    resolve_offers,
    usable_offers,
)
from compiler.exstream.texts import localised
from compiler.exstream.xmlout import Builder, release_attrs, serialise
from compiler.release import Release, ReleasedItem

NAMESPACE = "urn:cpc:offers:1"
_X = Builder(NAMESPACE)


def write_offers(release: Release) -> tuple[bytes, list[Diagnostic]]:
    """offers.xml for the release, and every problem met resolving the offers."""
    settings = OfferSettings.from_config(release.config)
    placements, problems = resolve_offers(release, settings)
    resolved = release.exstream is not None
    root = _X.root("offers", {**release_attrs(release), "resolved": str(resolved).lower()})
    catalogue = _X.sub(root, "catalogue")
    for offer in release.released("offer"):
        offer_element(release, catalogue, offer)
    if resolved:
        _placements(release, root, placements, settings)
    return serialise(root), problems


def offer_element(release: Release, parent: etree._Element, offer: ReleasedItem) -> None:
    """One offer: key, priority, texts per locale, banner, products, targeting and forms."""
    item = offer.item
    element = _X.sub(parent, "offer", {"key": item.key, "priority": priority(offer),
                                       "sourceId": item.id, "sourceVersion": item.version})
    locales = release.model.locales
    localised(_X, element, "headline", item, "headline", locales)
    localised(_X, element, "ctaLabel", item, "cta_label", locales)
    url = item.value("cta_url")
    if isinstance(url, str) and url:
        _X.sub(element, "ctaUrl", {}, url)
    banner = item.value("banner")
    if isinstance(banner, str):
        _X.sub(element, "banner", {"asset": release.key_of(banner) or banner,
                                   "released": str(release.is_released(banner)).lower()})
    for product_id in item.references("products"):
        key = release.key_of(product_id)
        if key is not None:
            _X.sub(element, "product", {"key": key})
    for segment in item.references("segments"):
        _X.sub(element, "segment", {"key": segment})
    for trigger in item.references("triggers"):
        _X.sub(element, "trigger", {"name": trigger})
    _X.files(element, "form", offer.outputs)


def _placements(release: Release, root: etree._Element, placements: list[Placement],
                settings: OfferSettings) -> None:
    names = {s["key"]: s.get("name") for s in release.exstream.segments} if release.exstream else {}
    # the fallback actually used: a configured key that is not a usable offer was reported
    fallback = next((p.fallback for p in placements if p.fallback), None)
    usable = {o.item.key for o in usable_offers(release)[0]}
    if settings.fallback in usable:
        fallback = settings.fallback
    section = _X.sub(root, "placements", {"fallback": fallback or "none"})
    by_segment: dict[str, dict[str, Placement]] = {}
    for placement in placements:
        by_segment.setdefault(placement.segment, {})[placement.trigger] = placement
    for segment in sorted(by_segment):
        element = _X.sub(section, "segment", {"key": segment, "name": names.get(segment)})
        for trigger in TRIGGERS:
            placement = by_segment[segment][trigger]
            pair = _X.sub(element, "trigger", {"name": trigger,
                                               "covered": str(placement.covered).lower()})
            for rank, key in enumerate(placement.offers, start=1):
                _X.sub(pair, "offer", {"key": key, "rank": rank})
            if placement.fallback is not None:
                _X.sub(pair, "fallback", {"key": placement.fallback})
