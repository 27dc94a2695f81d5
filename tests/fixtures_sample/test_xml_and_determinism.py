"""The XML module has the spec's shape; the generator reproduces the sample exactly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import PIL
from lxml import etree
from PIL import features

from tests.fixtures_sample.sample import (
    EXPORT,
    EXSTREAM,
    GENERATOR,
    ID_LIST_FIELDS,
    load,
    parse_xml_module,
    value,
)

OFFER_XML = EXPORT / "modules" / "offer.xml"
ENCODERS = GENERATOR.parent / "encoders.json"
OBJECT_ATTRS = {"id", "module", "type", "mod_time", "version"}


def test_offer_xml_is_well_formed_and_shaped_like_the_spec() -> None:
    root = etree.parse(str(OFFER_XML), etree.XMLParser(resolve_entities=False)).getroot()
    assert root.tag == "objects" and root.get("module") == "offer"
    objects = list(root)
    assert int(root.get("total_count")) == len(objects) >= 6
    for obj in objects:
        assert obj.tag == "object" and set(obj.attrib) == OBJECT_ATTRS
        assert obj.get("module") == "offer" and int(obj.get("version")) >= 1
        names = [f.get("name") for f in obj]
        assert len(names) == len(set(names)), obj.get("id")
        for field in obj:
            assert field.tag == "field" and set(field.attrib) == {"name"}
            for val in field:
                assert val.tag == "value", field.get("name")
                assert set(val.attrib) <= {"locale", "channel"}
                tags = {child.tag for child in val}
                expected = "id" if field.get("name") in ID_LIST_FIELDS else "item"
                assert tags <= {expected}, (field.get("name"), tags)
                assert all(len(child) == 0 for child in val)


def test_rich_text_is_escaped_text_or_cdata() -> None:
    raw = OFFER_XML.read_text("utf-8")
    assert "&lt;p&gt;" in raw and "<![CDATA[<p>" in raw
    for offer in load().modules["offer"]:
        for entry in offer["body"]:
            assert entry["value"].startswith("<p>"), value(offer, "key")


def test_xml_lists_read_as_lists() -> None:
    _, offers = parse_xml_module(OFFER_XML)
    for offer in offers:
        for name in ("segments", "triggers", "products"):
            assert isinstance(value(offer, name), list) and value(offer, name), name
        assert isinstance(value(offer, "banner"), str)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _encoders() -> dict[str, str | None]:
    return {"pillow": PIL.__version__, "libjpeg_turbo": features.version("libjpeg_turbo"),
            "zlib": features.version("zlib")}


def _version_bound(path: str) -> bool:
    """Files whose bytes depend on the image encoders: the masters and file.json (which
    records their sizes and sha256)."""
    return path.startswith("files/") or path == "modules/file.json"


def test_generator_reproduces_the_committed_sample_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, timeout=120)
    # Encoded images are byte-stable only with the same encoders; the sample records the
    # ones it was made with. Everything else must match whatever the encoders.
    same_encoders = _encoders() == json.loads(ENCODERS.read_text(encoding="utf-8"))
    for generated, committed in ((tmp_path / "exports" / "nordlicht", EXPORT),
                                 (tmp_path / "exstream" / "nordlicht", EXSTREAM)):
        new, old = _tree(generated), _tree(committed)
        assert sorted(new) == sorted(old)
        changed = [path for path in new if new[path] != old[path]
                   and (same_encoders or not _version_bound(path))]
        assert changed == []
    # Running into the same folder again replaces everything and gives the same bytes.
    first = _tree(tmp_path)
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, timeout=120)
    assert _tree(tmp_path) == first
