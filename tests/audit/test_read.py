"""Reading the manifest back from a package: found safely, refused clearly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from compiler.audit import (
    PackageUnreadable,
    build_manifest,
    dump_manifest,
    read_manifest_from_package,
)
from compiler.audit import read as read_module
from tests.audit.conftest import base_objects, make_release, package_zip


@pytest.fixture(scope="module")
def manifest_bytes() -> bytes:
    return dump_manifest(build_manifest(make_release(base_objects()), None))


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_reads_the_manifest_under_the_top_folder(tmp_path: Path, manifest_bytes: bytes) -> None:
    package = package_zip(tmp_path / "content-2026.12.1.zip", manifest_bytes)
    assert dump_manifest(read_manifest_from_package(package)) == manifest_bytes


@pytest.mark.parametrize(("entries", "says"), [
    ({"a/bagit.txt": b"x"}, "no a/audit/audit-manifest.json"),
    ({"a/audit/audit-manifest.json": b"{not json"}, "not UTF-8 JSON"),
    ({"a/audit/audit-manifest.json": b"\xff\xfe"}, "not UTF-8 JSON"),
    ({"a/audit/audit-manifest.json": b"[]"}, "does not match audit-manifest.schema.json"),
    ({"a/audit/audit-manifest.json": b"{}", "b/x": b""}, "exactly one top-level folder"),
    ({"audit-manifest.json": b"{}"}, "exactly one top-level folder"),
])
def test_broken_packages_are_refused_naming_the_file(
        tmp_path: Path, entries: dict[str, bytes], says: str) -> None:
    package = _zip(tmp_path / "broken.zip", entries)
    with pytest.raises(PackageUnreadable) as caught:
        read_manifest_from_package(package)
    assert str(package) in caught.value.message and says in caught.value.message
    assert caught.value.exit_code == 1


def test_missing_file_folder_and_non_zip_are_refused(tmp_path: Path) -> None:
    (tmp_path / "text.zip").write_text("not a zip")
    for path, says in [(tmp_path / "absent.zip", "no such file"),
                       (tmp_path, "is a folder"),
                       (tmp_path / "text.zip", "not a readable zip archive")]:
        with pytest.raises(PackageUnreadable, match=says):
            read_manifest_from_package(path)


def test_schema_problems_are_all_listed(tmp_path: Path, manifest_bytes: bytes) -> None:
    broken = manifest_bytes.replace(b'"format": "cpc-audit-manifest/1"', b'"format": 1', 1)
    broken = broken.replace(b'"change": "added"', b'"change": "new"', 1)
    package = package_zip(tmp_path / "p.zip", broken)
    with pytest.raises(PackageUnreadable) as caught:
        read_manifest_from_package(package)
    assert "(2 problems)" in caught.value.message
    assert read_manifest_from_package(package, validate=False)["format"] == 1


def test_oversized_manifest_is_refused_before_inflating(
        tmp_path: Path, manifest_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_module, "MAX_MANIFEST_BYTES", 1000)
    package = package_zip(tmp_path / "big.zip", manifest_bytes)
    with pytest.raises(PackageUnreadable, match="more than the 1000"):
        read_manifest_from_package(package)
