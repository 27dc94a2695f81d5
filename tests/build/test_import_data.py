"""What an import job reads from the sample's package: index.xml, catalog.xml and kits.xml
validate, carry alt texts, titles and rights, label product forms by field, and keep each
kit in its product's order."""

from __future__ import annotations

import json
import zipfile
from typing import Any

import pytest
import xmlschema
from lxml import etree

from compiler.model import asset_key
from compiler.resources import schema_path
from tests.build.conftest import CHECKOUT, SampleBuild

TOP = "content-2026.11.1/data"
NS = {"i": "urn:cpc:index:1", "c": "urn:cpc:catalog:1", "k": "urn:cpc:kits:1"}
SAMPLE = CHECKOUT / "fixtures" / "exports" / "nordlicht"


@pytest.fixture(scope="module")
def data(sample_build: SampleBuild) -> dict[str, bytes]:
    """index.xml, catalog.xml and kits.xml of the sample's release, each validated."""
    with zipfile.ZipFile(sample_build.archive) as archive:
        found = {name: archive.read(f"{TOP}/{name}.xml") for name in ("index", "catalog", "kits")}
    for name, xml in found.items():
        xmlschema.XMLSchema(str(schema_path(f"{name}.xsd"))).validate(xml.decode("utf-8"))
    return found


def _export_order(sku: str) -> list[tuple[str, str]]:
    """(kind, key) of a product's images and onboarding members, in the export's order."""
    modules = SAMPLE / "modules"

    def objects(module: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = json.loads((modules / f"{module}.json").read_text())[
            "result"]
        return result

    product = next(o for o in objects("product") if o["sku"][0]["value"] == sku)
    keys = {o["id"]: ("text_block", o["key"][0]["value"]) for o in objects("text_block")}
    keys.update({o["id"]: ("file", asset_key(o["file_name"][0]["value"], o["id"]))
                 for o in objects("file")})
    ids = [i for field in ("images", "onboarding") for e in product.get(field, [])
           for i in e["value"]]
    return [keys[i] for i in dict.fromkeys(ids)]


def test_the_index_gives_an_assets_alt_texts_titles_and_rights(data: dict[str, bytes]) -> None:
    asset = etree.fromstring(data["index"]).find(
        "i:assets/i:asset[@key='hausrat-wohnzimmer-1a3f40bf']", NS)
    alts = {a.get("locale"): a.text for a in asset.findall("i:alt", NS)}
    assert alts == {"en_GB": "Evening sky over a neighbourhood",
                    "de_DE": "Abendstimmung über einem Wohnviertel"}
    assert {t.get("locale"): t.text for t in asset.findall("i:title", NS)} == {
        "de_DE": "Wohnzimmer", "en_GB": "Living room"}
    assert asset.get("rightsValidUntil") == "2029-12-31"
    assert asset.get("copyright") == "© Nordlicht Versicherung AG"


def test_every_image_and_document_in_the_index_has_its_texts(data: dict[str, bytes]) -> None:
    root = etree.fromstring(data["index"])
    assets = root.findall("i:assets/i:asset", NS)
    documents = root.findall("i:documents/i:document", NS)
    assert assets and documents
    for asset in assets:
        assert {a.get("locale") for a in asset.findall("i:alt", NS)} == {"de_DE", "en_GB"}
        assert asset.get("rightsValidUntil") and asset.get("copyright")
    for document in documents:
        assert {t.get("locale") for t in document.findall("i:title", NS)} == {"de_DE", "en_GB"}
        assert document.get("rightsValidUntil")


def test_catalog_forms_say_which_product_field_they_are(data: dict[str, bytes]) -> None:
    product = etree.fromstring(data["catalog"]).find(
        "c:products/c:product[@key='HOME-BASIC']", NS)
    forms = product.findall("c:form", NS)
    assert {f.get("field") for f in forms} == {"short_description", "features"}
    for form in forms:
        assert form.get("path").startswith(
            f"data/content/HOME-BASIC.{form.get('field').replace('_', '-')}/")
    image = product.find("c:image[@asset='hausrat-wohnzimmer-1a3f40bf']", NS)
    assert image.find("c:alt[@locale='en_GB']", NS).text == "Evening sky over a neighbourhood"


@pytest.mark.parametrize("sku", ["TRAVEL-HEALTH", "LIFE-TERM", "HOME-PLUS", "LIAB-PRIVATE"])
def test_kits_keep_the_products_order(data: dict[str, bytes], sku: str) -> None:
    expected = _export_order(sku)
    assert expected != sorted(expected)  # sorted by kind and key, each would come out otherwise
    kit = etree.fromstring(data["kits"]).find(f"k:kit[@product='{sku}'][@locale='en_GB']", NS)
    members = [(m.get("asset") or m.get("key")) for m in kit]
    assert members == [key for _, key in expected]
    indexed = etree.fromstring(data["index"]).find(
        f"i:kits/i:kit[@product='{sku}'][@locale='en_GB']", NS)
    assert [m.get("key") for m in indexed] == members
