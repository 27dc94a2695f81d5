"""Bad input at the reading level: JSON, encodings, XML hostile constructs, shapes."""

from __future__ import annotations

import json
from pathlib import Path

from compiler.validate import validate_source
from tests.validate.helpers import OFFER, PRODUCT, config_with, fresh, write_as_xml


def codes_of(result):  # type: ignore[no-untyped-def]
    return [d.code for d in result.report]


def test_tiny_export_is_valid(tmp_path: Path) -> None:
    result = validate_source(fresh().write(tmp_path / "e"), config_with(tmp_path))
    assert not result.report.has_errors, [d.format() for d in result.report]
    assert len(result.decision.released) == 6
    assert result.decision.excluded == {}


def test_malformed_json_reports_line_and_column(tmp_path: Path) -> None:
    root = fresh().write(tmp_path / "e")
    path = root / "modules" / "offer.json"
    text = path.read_text().splitlines()
    text[3] = text[3] + ","  # a trailing comma inside an object on line 4
    path.write_text("\n".join(text))
    result = validate_source(root, config_with(tmp_path))
    (found,) = [d for d in result.report if d.code == "E-JSON-SYNTAX"]
    assert found.location.file == "modules/offer.json"
    assert found.location.line is not None and found.location.line >= 4
    assert found.location.column is not None
    assert "modules/offer.json:" in found.format()


def test_duplicate_keys_are_reported_with_pointer(tmp_path: Path) -> None:
    root = fresh().write(tmp_path / "e")
    path = root / "modules" / "product.json"
    text = path.read_text().replace('"sku":', '"sku": [], "sku":', 1)
    path.write_text(text)
    result = validate_source(root, config_with(tmp_path))
    (found,) = [d for d in result.report if d.code == "E-JSON-DUPLICATE-KEY"]
    assert found.location.pointer == "#/result/0"
    assert "'sku'" in found.message


def test_not_utf8_reports_byte_offset(tmp_path: Path) -> None:
    root = fresh().write(tmp_path / "e")
    path = root / "modules" / "text_block.json"
    data = path.read_bytes()
    offset = data.index(b"Selbstbehalt")
    path.write_bytes(data[:offset] + b"\xfc" + data[offset + 1:])  # latin-1 'ü'
    result = validate_source(root, config_with(tmp_path))
    (found,) = [d for d in result.report if d.code == "E-JSON-ENCODING"]
    assert f"byte offset {offset}" in found.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    root = fresh().write(tmp_path / "e")
    for path in (root / "modules").iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = validate_source(root, config_with(tmp_path))
    assert not result.report.has_errors, [d.format() for d in result.report]
    assert len(result.decision.released) == 6


def test_xml_form_gives_the_same_model(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    from_json = validate_source(fresh().write(tmp_path / "j"), config)
    export = fresh()
    write_as_xml(export, tmp_path / "x", "product")
    from_xml = validate_source(tmp_path / "x", config)
    assert not from_xml.report.has_errors, [d.format() for d in from_xml.report]
    assert from_xml.model.items[PRODUCT].sha256 == from_json.model.items[PRODUCT].sha256


HOSTILE = {
    "doctype": b'<?xml version="1.0"?>\n<!DOCTYPE objects>\n<objects module="offer"/>\n',
    "external-entity": b'<?xml version="1.0"?>\n<!DOCTYPE objects [\n'
                       b'<!ENTITY secret SYSTEM "file://{secret}">]>\n'
                       b'<objects module="offer"><object id="{offer}" module="offer" '
                       b'type="offer" mod_time="2026-11-20T14:02:11Z" version="1">'
                       b'<field name="key"><value>&secret;</value></field></object></objects>\n',
    "entity-expansion": b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
                        b'<objects module="offer"><object id="{offer}" module="offer" '
                        b'type="offer" mod_time="2026-11-20T14:02:11Z" version="1">'
                        b'<field name="key"><value>&lol3;</value></field></object></objects>\n',
}


def test_hostile_xml_is_refused_and_nothing_is_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for name, template in HOSTILE.items():
        export = fresh()
        path = write_as_xml(export, tmp_path / name, "offer")
        path.write_bytes(template.replace(b"{secret}", str(secret).encode())
                         .replace(b"{offer}", OFFER.encode()))
        result = validate_source(tmp_path / name, config_with(tmp_path))
        found = [d for d in result.report if d.code == "E-XML-DOCTYPE"]
        assert found and found[0].location.file == "modules/offer.xml", name
        assert OFFER not in result.model.items, name
        dumped = json.dumps(result.to_json())
        assert "TOP-SECRET" not in dumped and "lollollol" not in dumped, name


def test_xsd_reports_bad_xml_structure_with_lines(tmp_path: Path) -> None:
    export = fresh()
    path = write_as_xml(export, tmp_path / "e", "offer")
    text = path.read_text().replace('version="3"', 'version="zero"')
    text = text.replace("<value><item>policy_renewal", '<value channel="fax"><item>policy_renewal')
    path.write_text(text)
    result = validate_source(tmp_path / "e", config_with(tmp_path))
    xsd = [d for d in result.report if d.code == "E-XSD"]
    assert xsd and xsd[0].location.line == 2 and "version" in xsd[0].message
    channel = [d for d in result.report if d.code == "E-CHANNEL-UNKNOWN"]
    assert len(channel) == 1 and channel[0].location.line is not None


def test_missing_module_file_and_bad_header(tmp_path: Path) -> None:
    export = fresh()
    export.header["locales"] = ["de_DE", "en_GB", "Deutsch"]
    root = export.write(tmp_path / "e")
    (root / "modules" / "offer.json").unlink()
    result = validate_source(root, config_with(tmp_path))
    codes = codes_of(result)
    assert "E-SNAPSHOT-MODULE-MISSING" in codes
    header = [d for d in result.report if d.code == "E-HEADER-SCHEMA"]
    assert header and header[0].location.pointer == "#/locales/2"


def test_identity_problems_and_unknown_format(tmp_path: Path) -> None:
    export = fresh()
    export.obj(OFFER)["id"] = "not-a-guid"
    export.obj(PRODUCT)["module"] = "products"
    result = validate_source(export.write(tmp_path / "e"), config_with(tmp_path))
    schema = [d for d in result.report if d.code == "E-SCHEMA"]
    assert [d.location.pointer for d in schema] == ["#/result/0/id"]
    (moved,) = [d for d in result.report if d.code == "E-MODULE-MISMATCH"]
    assert moved.location.file == "modules/product.json"
    export = fresh()
    export.header["format"] = "4allportal-export/2"
    refused = validate_source(export.write(tmp_path / "f"), config_with(tmp_path))
    assert "E-SNAPSHOT-FORMAT" in [d.code for d in refused.report.errors]
