"""The archive is deterministic and a valid BagIt bag; bad bag paths and a wrong index are
refused before anything is written."""

from __future__ import annotations

import os
import time
import unicodedata
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import bagit
import pytest
import xmlschema

from compiler.package import BagSpec, PackagingError, publish_release
from compiler.package.zipwriter import zip_timestamp
from compiler.resources import schema_path
from tests.package.conftest import EFFECTIVE, build_spec


def test_same_inputs_give_identical_bytes_in_different_folders_at_different_times(
        tmp_path: Path) -> None:
    first = publish_release(tmp_path / "one" / "releases", build_spec(tmp_path / "one" / "in"),
                            created=datetime(2027, 1, 1, tzinfo=UTC))
    time.sleep(2.1)  # past the zip format's 2-second clock resolution
    os.umask(0o077)
    try:
        second_spec = build_spec(tmp_path / "two" / "in")
        for path in second_spec.payload.values():
            if isinstance(path, Path):
                os.utime(path, (1_000_000_000, 1_000_000_000))
        second = publish_release(tmp_path / "two" / "releases", second_spec)
    finally:
        os.umask(0o022)
    assert first.archive.read_bytes() == second.archive.read_bytes()
    assert first.sha256 == second.sha256


def test_entries_are_sorted_dated_0644_without_extras(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    with zipfile.ZipFile(release.archive) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    for info in infos:
        assert info.date_time == (2026, 12, 1, 8, 30, 0)
        assert info.external_attr >> 16 == 0o100644
        assert info.extra == b""
        assert info.create_system == 3
        expected = zipfile.ZIP_STORED if info.filename.endswith((".jpg", ".png", ".pdf")) \
            else zipfile.ZIP_DEFLATED
        assert info.compress_type == expected, info.filename


def test_timestamps_before_1980_are_clamped() -> None:
    assert zip_timestamp(datetime(1970, 1, 1, tzinfo=UTC)) == (1980, 1, 1, 0, 0, 0)
    assert zip_timestamp(datetime(2026, 12, 1, 8, 30, 7)) == (2026, 12, 1, 8, 30, 6)


def test_bagit_py_validates_the_bag(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    with zipfile.ZipFile(release.archive) as archive:
        archive.extractall(tmp_path / "extracted")
    bag = bagit.Bag(str(tmp_path / "extracted" / "nordlicht-2026.12.1"))
    bag.validate()
    assert bag.info["External-Identifier"] == "urn:cpc:nordlicht:2026.12.1"
    assert bag.info["Bag-Software-Agent"] == "cpc 0.1.0"
    files = [f for f in (tmp_path / "extracted" / "nordlicht-2026.12.1" / "data").rglob("*")
             if f.is_file()]
    assert bag.info["Payload-Oxum"] == f"{sum(f.stat().st_size for f in files)}.{len(files)}"
    assert set(bag.tagfile_entries()) >= {"audit/audit-manifest.json", "bag-info.txt",
                                          "bagit.txt", "manifest-sha256.txt"}


def test_index_xml_validates_with_xmlschema_too(tmp_path: Path) -> None:
    spec = build_spec(tmp_path / "in")
    index = spec.payload["data/index.xml"]
    assert isinstance(index, bytes)
    xmlschema.XMLSchema(str(schema_path("index.xsd"))).validate(index)
    assert index.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                            b'<index xmlns="urn:cpc:index:1"')


@pytest.mark.parametrize("bad", ["data/ü.txt", "data/a b.txt", "data/../x.txt", "data//x.txt",
                                 "data/x\\y.txt", unicodedata.normalize("NFD", "data/é.txt")])
def test_a_bad_payload_path_is_refused(tmp_path: Path, spec: BagSpec, bad: str) -> None:
    payload = {**spec.payload, bad: b"x"}
    with pytest.raises(PackagingError) as caught:
        publish_release(tmp_path / "releases", replace(spec, payload=payload))
    assert bad in str(caught.value) and "E-PACKAGE-PATH" in str(caught.value)
    assert not list((tmp_path / "releases").glob("*.zip"))


def test_paths_equal_without_regard_to_case_are_refused(tmp_path: Path, spec: BagSpec) -> None:
    payload = {**spec.payload, "data/OFFERS.xml": b"<offers/>"}
    with pytest.raises(PackagingError, match=r"collides with 'data/offers\.xml'"):
        publish_release(tmp_path / "releases", replace(spec, payload=payload))


def test_every_problem_is_reported_not_the_first(tmp_path: Path, spec: BagSpec) -> None:
    payload = {**spec.payload, "data/a b.txt": b"x", "content/x.txt": b"y"}
    with pytest.raises(PackagingError) as caught:
        publish_release(tmp_path / "releases", replace(spec, payload=payload))
    assert len(caught.value.diagnostics) >= 2


def test_an_index_naming_a_wrong_checksum_is_refused(tmp_path: Path, spec: BagSpec) -> None:
    payload = {**spec.payload, "data/offers.xml": b"<offers changed='yes'/>\n"}
    with pytest.raises(PackagingError) as caught:
        publish_release(tmp_path / "releases", replace(spec, payload=payload))
    assert "E-PACKAGE-INDEX" in str(caught.value) and "data/offers.xml" in str(caught.value)


def test_large_payload_files_stream_from_disk(tmp_path: Path, spec: BagSpec) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as stream:
        for _ in range(64):
            stream.write(os.urandom(1 << 20))
    payload = {**spec.payload, "data/documents/big.bin": big}
    release = publish_release(tmp_path / "releases", replace(spec, payload=payload))
    with zipfile.ZipFile(release.archive) as archive:
        assert archive.getinfo("nordlicht-2026.12.1/data/documents/big.bin").file_size == 64 << 20
    assert EFFECTIVE.year == 2026


def test_the_index_names_every_payload_file_but_itself(spec: BagSpec) -> None:
    from compiler.package.index_xml import indexed_files

    index = spec.payload["data/index.xml"]
    assert isinstance(index, bytes)
    files = indexed_files(index)
    assert {f.path for f in files} == set(spec.payload) - {"data/index.xml"}


def test_reordered_items_render_the_same_bytes(tmp_path: Path) -> None:
    from dataclasses import replace as swap

    from compiler.package import (
        Asset,
        Block,
        BlockForm,
        IndexRelease,
        ReleaseIndex,
        Rendition,
        SourceRef,
        render_index,
    )

    def form(locale: str) -> BlockForm:
        return BlockForm(locale, "txt", f"data/content/k/{locale}.txt", "a" * 64, 1)

    def rendition(width: int) -> Rendition:
        return Rendition("web", "web", f"data/assets/web/a-{width}.jpg", "jpeg", width, width,
                         "b" * 64, 2)

    blocks = tuple(Block(f"K{n}", "faq", False, SourceRef(str(n), "1"),
                         (form(f"de{n}"), form(f"en{n}"))) for n in range(3))
    assets = (Asset("a", "hero", SourceRef("x", "1"), (rendition(600), rendition(1200))),)
    release = IndexRelease("n", "1", EFFECTIVE.date(), EFFECTIVE, "s", "0.1.0")
    forward = render_index(ReleaseIndex(release, blocks=blocks, assets=assets))
    backward = render_index(ReleaseIndex(
        release, blocks=tuple(swap(b, forms=b.forms[::-1]) for b in blocks[::-1]),
        assets=tuple(swap(a, renditions=a.renditions[::-1]) for a in assets)))
    assert forward == backward
