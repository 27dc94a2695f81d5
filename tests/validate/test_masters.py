"""File masters: present, intact, of the declared type and size as shown."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from compiler.snapshot import SnapshotRefused, limits_from_config, take_snapshot
from compiler.validate import check_file_masters, validate_source
from tests.validate.helpers import BANNER, IMAGE, config_with, entries, fresh, jpeg, png
from tests.validate.test_rules import only, run


def image_path(export) -> str:  # type: ignore[no-untyped-def]
    return next(p for p in export.files if IMAGE in p)


def test_missing_master(tmp_path: Path) -> None:
    export = fresh()
    export.files.pop(image_path(export))
    found = only(run(tmp_path, export), "E-MASTER-MISSING")
    assert found.object_id == IMAGE and f"files/{IMAGE}/home plus.png" in found.message


def test_sha256_mismatch(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["sha256"] = entries(hashlib.sha256(b"other").hexdigest())
    assert only(run(tmp_path, export), "E-MASTER-SHA256").field == "sha256"


def test_size_mismatch(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["size"] = entries(12)
    assert only(run(tmp_path, export), "E-MASTER-SIZE").field == "size"


def test_mime_mismatch_by_magic_bytes(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["mime_type"] = entries("image/jpeg")
    found = only(run(tmp_path, export), "E-MASTER-MIME")
    assert "'image/jpeg'" in found.message and "image/png" in found.message


def test_wrong_width_height(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["height"] = entries(1500)
    found = only(run(tmp_path, export), "E-MASTER-DIMENSIONS")
    assert "2400x1500" in found.message and "2400x1600" in found.message


def test_exif_orientation_swaps_width_and_height(tmp_path: Path) -> None:
    export = fresh()  # the banner is stored 30x20 with orientation 6: shown 20x30
    assert not run(tmp_path, export).report.has_errors
    export.obj(BANNER)["width"] = entries(30)
    export.obj(BANNER)["height"] = entries(20)
    assert "20x30" in only(run(tmp_path, export), "E-MASTER-DIMENSIONS").message


def test_corrupt_image_header(tmp_path: Path) -> None:
    export = fresh()
    broken = png(10, 10)[:20]
    export.files[image_path(export)] = broken
    export.obj(IMAGE)["sha256"] = entries(hashlib.sha256(broken).hexdigest())
    export.obj(IMAGE)["size"] = entries(len(broken))
    assert only(run(tmp_path, export), "E-MASTER-UNREADABLE").object_id == IMAGE


def test_stray_master_is_a_warning(tmp_path: Path) -> None:
    export = fresh()
    export.files[f"files/{IMAGE}/old.png"] = png(2, 2)
    result = run(tmp_path, export)
    assert not result.report.has_errors
    assert only(result, "W-MASTER-STRAY").location.file == f"files/{IMAGE}/old.png"


def test_zip_source_gives_the_same_findings_as_the_folder(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["height"] = entries(1500)
    root = export.write(tmp_path / "e")
    (root / "notes.txt").write_text("stray")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, "nordlicht/" + path.relative_to(root).as_posix())
    config = config_with(tmp_path)
    from_folder = validate_source(root, config)
    from_zip = validate_source(archive, config)
    assert [d.code for d in from_zip.report] == [d.code for d in from_folder.report]
    assert "W-SNAPSHOT-NOT-READ" in [d.code for d in from_zip.report]
    assert "E-MASTER-DIMENSIONS" in [d.code for d in from_zip.report]


def test_check_file_masters_as_snapshot_hook(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    limits = limits_from_config(config.data)

    def hook(reader):  # type: ignore[no-untyped-def]
        return check_file_masters(reader, config)

    good = fresh().write(tmp_path / "good")
    snapshot = take_snapshot(good, tmp_path / "store", limits, [hook])
    assert check_file_masters(snapshot, config) == []
    bad = fresh()
    bad.files[f"files/{BANNER}/banner.jpg"] = jpeg(30, 20)  # different bytes, same name
    with pytest.raises(SnapshotRefused) as refused:
        take_snapshot(bad.write(tmp_path / "bad"), tmp_path / "store", limits, [hook])
    assert "E-MASTER-SHA256" in [d.code for d in refused.value.report]
    # validation of a snapshot id reads through the same protocol
    result = validate_source(snapshot.id, config, store=tmp_path / "store")
    assert not result.report.has_errors and len(result.decision.released) == 6


def test_zip_bomb_entry_is_reported_with_everything_else(tmp_path: Path) -> None:
    export = fresh()
    export.obj(IMAGE)["height"] = entries(1500)
    root = export.write(tmp_path / "e")
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file() and BANNER not in str(path):
                zf.write(path, path.relative_to(root).as_posix())
        zf.writestr(f"files/{BANNER}/banner.jpg", b"\0" * (8 << 20))
    result = validate_source(archive, config_with(tmp_path))
    codes = [d.code for d in result.report]
    assert "E-SNAPSHOT-COMPRESSION-RATIO" in codes
    assert "E-MASTER-MISSING" in codes  # the refused entry is never opened
    assert "E-MASTER-DIMENSIONS" in codes  # and the rest is still checked


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width``×``height`` (a header, no pixels worth decoding)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("limit", "refused"), [(None, True), (500_000_000, False)])
def test_the_configured_pixel_limit_decides_not_pillows(tmp_path: Path, limit: int | None,
                                                         refused: bool) -> None:
    export = fresh()
    data = _png_header_only(20_000, 10_000)  # 200 MP: beyond Pillow's own guard (179 MP)
    export.files[image_path(export)] = data
    master = export.obj(IMAGE)
    master.update(size=entries(len(data)), sha256=entries(hashlib.sha256(data).hexdigest()),
                  width=entries(20_000), height=entries(10_000))
    config = f"[limits]\nmax_pixels = {limit}\n" if limit else ""
    codes = [d.code for d in run(tmp_path, export, config).report]
    if refused:
        problem = only(run(tmp_path, export, config), "E-MASTER-PIXELS")
        assert "is 20000x10000 pixels, more than limits.max_pixels = 120000000" in (
            problem.message)
    else:
        assert "E-MASTER-PIXELS" not in codes and "E-MASTER-UNREADABLE" not in codes


def test_an_svg_used_as_a_product_image_is_warned(tmp_path: Path) -> None:
    export = fresh()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    old = image_path(export)
    export.files.pop(old)
    export.files[old.replace("home plus.png", "home plus.svg")] = svg
    export.obj(IMAGE).update(
        file_name=entries("home plus.svg"), mime_type=entries("image/svg+xml"),
        size=entries(len(svg)), sha256=entries(hashlib.sha256(svg).hexdigest()))
    found = only(run(tmp_path, export), "W-IMAGE-NOT-RASTER")
    assert found.object_id == IMAGE
    assert "used as an image by product HOME-PLUS (images) but is no raster image" in (
        found.message)
