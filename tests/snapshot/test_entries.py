"""Hostile entries are refused, each named with its rule, all of them in one run."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from compiler.diagnostics import Report
from compiler.snapshot import SnapshotRefused, take_snapshot
from compiler.snapshot import codes as c
from tests.snapshot.builders import (
    CHAR_DEVICE_MODE,
    SYMLINK_MODE,
    add_raw_entry,
    codes_at,
    export_files,
    limits,
    tree,
    write_folder,
    write_zip,
)


def refuse(source: Path, store: Path) -> SnapshotRefused:
    with pytest.raises(SnapshotRefused) as caught:
        take_snapshot(source, store, limits())
    assert tree(store) == ["<absent>"], "a refused snapshot left something in the store"
    return caught.value


BAD_ZIP_ENTRIES = [
    ("zip-slip", "../../etc/cron.d/evil", None, c.ZIP_SLIP),
    ("zip-slip-inside", "files/../../outside.txt", None, c.ZIP_SLIP),
    ("absolute", "/etc/passwd", None, c.ABSOLUTE_PATH),
    ("drive-letter", "C:/Windows/evil.dll", None, c.ABSOLUTE_PATH),
    ("backslash", "files\\..\\evil.txt", None, c.BACKSLASH),
    ("empty-segment", "modules//product.json", None, c.BAD_PATH),
    ("symlink", "files/abc/link.png", SYMLINK_MODE, c.SYMLINK),
    ("char-device", "files/abc/dev", CHAR_DEVICE_MODE, c.SPECIAL_FILE),
]


@pytest.mark.parametrize(("name", "mode", "code"),
                         [case[1:] for case in BAD_ZIP_ENTRIES],
                         ids=[case[0] for case in BAD_ZIP_ENTRIES])
def test_hostile_zip_entry_is_refused_by_name(tmp_path: Path, name: str, mode: int | None,
                                             code: str) -> None:
    archive = write_zip(tmp_path / "export.zip", export_files())
    add_raw_entry(archive, name, b"/etc/passwd" if mode else b"payload", mode)
    refused = refuse(archive, tmp_path / "store")
    assert (code, name) in codes_at(refused.report.errors)
    message = next(d.format() for d in refused.report.errors if d.code == code)
    assert name in message


def test_duplicate_zip_entry_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip", export_files())
    with pytest.warns(UserWarning, match="Duplicate name"):
        add_raw_entry(archive, "modules/product.json", b"{}")
    refused = refuse(archive, tmp_path / "store")
    assert (c.DUPLICATE, "modules/product.json") in codes_at(refused.report.errors)


def test_case_colliding_zip_entries_are_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip", export_files())
    add_raw_entry(archive, "Modules/Product.json", b"{}")
    refused = refuse(archive, tmp_path / "store")
    colliding = [d for d in refused.report.errors if d.code == c.CASE_COLLISION]
    assert len(colliding) == 1
    assert "Modules/Product.json" in colliding[0].message
    assert "modules/product.json" in colliding[0].message


def test_case_colliding_folder_files_are_refused(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export", export_files())
    (folder / "files" / "5b1e2f3a-0c4d-4e5f-8a9b-1c2d3e4f5a6b" / "LOGO.png").write_bytes(b"x")
    refused = refuse(folder, tmp_path / "store")
    assert c.CASE_COLLISION in {d.code for d in refused.report.errors}


def test_symlink_in_folder_is_refused_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"do not copy me")
    folder = write_folder(tmp_path / "export", export_files())
    (folder / "files" / "abc").mkdir()
    os.symlink(secret, folder / "files" / "abc" / "leak.txt")
    os.symlink(tmp_path, folder / "files" / "loop")
    refused = refuse(folder, tmp_path / "store")
    assert {(c.SYMLINK, "files/abc/leak.txt"), (c.SYMLINK, "files/loop")} <= codes_at(
        refused.report.errors)


def test_fifo_in_folder_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "export", export_files())
    (folder / "files" / "abc").mkdir()
    os.mkfifo(folder / "files" / "abc" / "pipe.png")
    refused = refuse(folder, tmp_path / "store")
    found = [d for d in refused.report.errors if d.code == c.SPECIAL_FILE]
    assert [d.location.file for d in found] == ["files/abc/pipe.png"]
    assert "FIFO" in found[0].message


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    files = export_files(exported_at=None, modules={
        "product": "modules/product.json", "file": "modules/file.json",
        "offer": "modules/offer.json", "text_block": "modules/text_block.json"})
    files["modules/offer.xml"] = b"<objects/>"
    files["modules/offer.json"] = b"{}"
    archive = write_zip(tmp_path / "export.zip", files)
    add_raw_entry(archive, "../evil", b"x")
    add_raw_entry(archive, "/abs", b"x")
    add_raw_entry(archive, "files/x/link", b"/etc", SYMLINK_MODE)
    add_raw_entry(archive, "notes/readme.txt", b"hello")
    refused = refuse(archive, tmp_path / "store")
    assert {d.code for d in refused.report.errors} == {
        c.ZIP_SLIP, c.ABSOLUTE_PATH, c.SYMLINK, c.HEADER_KEY, c.MODULE_TWO_FORMS,
        c.MODULE_MISSING}
    assert codes_at(refused.report.warnings) == {(c.NOT_READ, "notes/readme.txt"),
                                                 (c.MODULE_UNNAMED, "modules/offer.xml")}
    assert refused.report.summary() == "6 errors, 2 warnings"


def test_files_outside_the_layout_warn_and_are_not_stored(tmp_path: Path) -> None:
    files = export_files()
    files["README.txt"] = b"notes"
    files["files/abc/deeper/x.png"] = b"x"
    folder = write_folder(tmp_path / "export", files)
    report = Report()
    snapshot = take_snapshot(folder, tmp_path / "store", limits(), report=report)
    assert codes_at(report.warnings) == {(c.NOT_READ, "README.txt"),
                                         (c.NOT_READ, "files/abc/deeper/x.png")}
    assert "README.txt" not in snapshot.paths()
    assert not report.errors


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "export.zip"
    bogus.write_bytes(b"PK\x03\x04 this is not really a zip")
    refused = refuse(bogus, tmp_path / "store")
    assert [d.code for d in refused.report.errors] == [c.ZIP_CORRUPT]


def test_corrupt_entry_data_is_refused(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "export.zip", export_files(), compression=zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    at = data.index(b"\x89PNG")  # flip a byte inside the stored master: CRC fails
    data[at + 100] ^= 0xFF
    archive.write_bytes(bytes(data))
    refused = refuse(archive, tmp_path / "store")
    assert codes_at(refused.report.errors) == {
        (c.ZIP_CORRUPT, "files/5b1e2f3a-0c4d-4e5f-8a9b-1c2d3e4f5a6b/logo.png")}

