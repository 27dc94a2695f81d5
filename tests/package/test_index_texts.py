"""index.xml carries each file's titles and alt texts per locale and its rights, so an
import job needs nothing else; an index written without them still validates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import xmlschema
from lxml import etree

from compiler.package import (
    Asset,
    Document,
    IndexRelease,
    ReleaseIndex,
    Rendition,
    SourceRef,
    render_index,
)
from compiler.package.index_model import LocalizedText, Rights
from compiler.package.schema_checks import index_schema_errors
from compiler.resources import schema_path

NS = {"i": "urn:cpc:index:1"}
RELEASE = IndexRelease("n", "1", date(2026, 12, 1), datetime(2026, 12, 1, tzinfo=UTC), "s",
                       "0.1.0")
RENDITION = Rendition("web", "web", "data/assets/web/a.jpg", "jpeg", 12, 8, "b" * 64, 2)
ASSET = Asset("a", "product_image", SourceRef("x", "1"), (RENDITION,),
              titles=(LocalizedText("de_DE", "Wohnzimmer"), LocalizedText("en_GB", "Living room")),
              alts=(LocalizedText("de_DE", "Abendstimmung"),
                    LocalizedText("en_GB", "Evening sky"),
                    LocalizedText("en_GB", "Evening sky, for email", "email"),
                    LocalizedText("fr_FR", "")),  # empty: decorative, and says so
              rights=Rights(date(2029, 12, 31), "© Nordlicht Versicherung AG"))
DOCUMENT = Document("guide", SourceRef("y", "2"), "data/documents/guide.pdf", "application/pdf",
                    "c" * 64, 3, title="Leitfaden",
                    titles=(LocalizedText("de_DE", "Leitfaden"), LocalizedText("en_GB", "Guide")),
                    rights=Rights(date(2031, 12, 31), "© Nordlicht"))


def _valid(xml: bytes) -> etree._Element:
    assert index_schema_errors(xml) == []  # what `cpc verify` checks
    xmlschema.XMLSchema(str(schema_path("index.xsd"))).validate(xml.decode("utf-8"))
    return etree.fromstring(xml)


def test_an_asset_lists_titles_and_alt_texts_per_locale_and_its_rights() -> None:
    root = _valid(render_index(ReleaseIndex(RELEASE, assets=(ASSET,), documents=(DOCUMENT,))))
    asset = root.find("i:assets/i:asset[@key='a']", NS)
    assert (asset.get("rightsValidUntil"), asset.get("copyright")) == (
        "2029-12-31", "© Nordlicht Versicherung AG")
    assert [(t.get("locale"), t.text) for t in asset.findall("i:title", NS)] == [
        ("de_DE", "Wohnzimmer"), ("en_GB", "Living room")]
    assert [(a.get("locale"), a.get("channel"), a.text or "")
            for a in asset.findall("i:alt", NS)] == [
        ("de_DE", None, "Abendstimmung"), ("en_GB", None, "Evening sky"),
        ("en_GB", "email", "Evening sky, for email"), ("fr_FR", None, "")]
    assert [etree.QName(c).localname for c in asset] == [
        "title", "title", "alt", "alt", "alt", "alt", "rendition"]
    document = root.find("i:documents/i:document[@key='guide']", NS)
    assert (document.get("title"), document.get("rightsValidUntil"),
            document.get("copyright")) == ("Leitfaden", "2031-12-31", "© Nordlicht")
    assert [(t.get("locale"), t.text) for t in document.findall("i:title", NS)] == [
        ("de_DE", "Leitfaden"), ("en_GB", "Guide")]


def test_texts_are_written_in_one_order_whatever_order_they_came_in() -> None:
    forward = render_index(ReleaseIndex(RELEASE, assets=(ASSET,), documents=(DOCUMENT,)))
    backward = render_index(ReleaseIndex(
        RELEASE, assets=(replace(ASSET, titles=ASSET.titles[::-1], alts=ASSET.alts[::-1]),),
        documents=(replace(DOCUMENT, titles=DOCUMENT.titles[::-1]),)))
    assert forward == backward


def test_an_index_without_texts_or_rights_still_validates() -> None:
    """Packages built before index.xml carried them must still pass `cpc verify`."""
    bare = ReleaseIndex(RELEASE, assets=(replace(ASSET, titles=(), alts=(), rights=Rights()),),
                        documents=(replace(DOCUMENT, titles=(), rights=Rights()),))
    root = _valid(render_index(bare))
    asset = root.find("i:assets/i:asset", NS)
    assert asset.get("rightsValidUntil") is None and asset.get("copyright") is None
    assert [etree.QName(c).localname for c in asset] == ["rendition"]
    assert len(root.find("i:documents/i:document", NS)) == 0


def test_texts_out_of_place_are_refused() -> None:
    xml = render_index(ReleaseIndex(RELEASE, assets=(ASSET,)))
    root = etree.fromstring(xml)
    asset = root.find("i:assets/i:asset", NS)
    asset.append(asset.find("i:alt", NS))  # an alt text after the renditions
    assert index_schema_errors(etree.tostring(root))
    no_locale = etree.fromstring(xml)
    no_locale.find("i:assets/i:asset/i:title", NS).attrib.pop("locale")
    assert index_schema_errors(etree.tostring(no_locale))
