"""Zip bombs and oversized exports are refused from counted bytes, not declared ones."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

import pytest

from compiler.errors import ConfigError
from compiler.snapshot import (
    SnapshotLimits,
    SnapshotRefused,
    limits_from_config,
    take_snapshot,
)
from compiler.snapshot import codes as c
from compiler.snapshot.source import Entry
from compiler.snapshot.staging import stage_entries
from compiler.snapshot.store import SnapshotStore
from tests.snapshot.builders import export_files, limits, tree, write_folder, write_zip

BOMB = "files/abc/bomb.bin"


def refused_codes(source: Path, store: Path, caps: SnapshotLimits) -> list[tuple[str, str]]:
    with pytest.raises(SnapshotRefused) as caught:
        take_snapshot(source, store, caps)
    assert tree(store) == ["<absent>"]
    return [(d.code, d.location.file) for d in caught.value.report.errors]


def test_compression_ratio_cap_refuses_a_bomb_entry(tmp_path: Path) -> None:
    files = export_files()
    files[BOMB] = bytes(8 << 20)  # 8 MiB of zeros deflate ~1000:1
    archive = write_zip(tmp_path / "bomb.zip", files)
    assert refused_codes(archive, tmp_path / "store", limits()) == [(c.COMPRESSION_RATIO, BOMB)]


def test_compressible_small_files_are_not_bombs(tmp_path: Path) -> None:
    files = export_files()
    files["modules/product.json"] = b"{" + b" " * 200_000 + b"}"  # 200 kB at ~1000:1
    archive = write_zip(tmp_path / "export.zip", files)
    take_snapshot(archive, tmp_path / "store", limits())


def _lie_about_size(archive: Path, name: str, declared: int) -> None:
    """Rewrite the central directory's uncompressed size of ``name`` (a lying header)."""
    data = bytearray(archive.read_bytes())
    encoded = name.encode()
    at = data.rfind(encoded)  # the central-directory copy of the name comes last
    header = at - 46
    assert data[header:header + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, header + 24, declared)
    archive.write_bytes(bytes(data))


def test_ratio_is_counted_while_streaming_not_taken_from_the_header(tmp_path: Path) -> None:
    files = export_files()
    files[BOMB] = bytes(8 << 20)
    archive = write_zip(tmp_path / "liar.zip", files)
    _lie_about_size(archive, BOMB, 100)  # claims 100 bytes: header check passes
    # zipfile stops at the declared 100 bytes, so the lie ends as a CRC failure; the
    # ratio cap would stop it too (at 200 x compressed size) if the reader trusted it
    assert refused_codes(archive, tmp_path / "store", limits()) == [(c.ZIP_CORRUPT, BOMB)]


def test_total_size_cap_counts_streamed_bytes(tmp_path: Path) -> None:
    files = export_files()
    files[BOMB] = bytes(range(256)) * 8192  # 2 MiB, compresses moderately
    folder = write_folder(tmp_path / "export", files)
    found = refused_codes(folder, tmp_path / "store", limits(max_total_bytes=1 << 20))
    assert [code for code, _ in found] == [c.TOO_LARGE]


def test_total_size_cap_on_a_zip(tmp_path: Path) -> None:
    files = export_files()
    files[BOMB] = bytes(range(256)) * 8192
    archive = write_zip(tmp_path / "big.zip", files, compression=zipfile.ZIP_STORED)
    found = refused_codes(archive, tmp_path / "store", limits(max_total_bytes=1 << 20))
    assert c.TOO_LARGE in [code for code, _ in found]


def test_entry_count_cap(tmp_path: Path) -> None:
    files = export_files()
    for n in range(10):
        files[f"files/obj-{n}/f.txt"] = b"x"
    archive = write_zip(tmp_path / "many.zip", files)
    folder = write_folder(tmp_path / "many", files)
    caps = limits(max_entries=8)
    assert [code for code, _ in refused_codes(archive, tmp_path / "s1", caps)] == [
        c.TOO_MANY_ENTRIES]
    assert [code for code, _ in refused_codes(folder, tmp_path / "s2", caps)] == [
        c.TOO_MANY_ENTRIES]


def test_limits_come_from_the_config_limits_table() -> None:
    caps = limits_from_config({"limits": {"max_total_bytes": 10, "max_entries": 2,
                                          "max_compression_ratio": 50}})
    assert caps == SnapshotLimits(10, 2, 50)


def test_bad_limits_name_every_option() -> None:
    with pytest.raises(ConfigError) as caught:
        limits_from_config({"limits": {"max_total_bytes": "big", "max_entries": 0,
                                       "max_compression_ratio": 10}})
    message = str(caught.value.message)
    assert "limits.max_total_bytes: expected a positive integer, got 'big'" in message
    assert "limits.max_entries: expected a positive integer, got 0" in message
    assert "max_compression_ratio" not in message


def test_limits_from_the_loaded_configuration() -> None:
    from compiler.config import load_config

    caps = limits_from_config(load_config(None, cwd=Path("/nonexistent")))
    assert caps == SnapshotLimits(4_294_967_296, 100_000, 200)


def _lying_entry(path: Path, compressed_size: int | None) -> Entry:
    """An entry that declares 1 byte but streams the whole file."""
    def opener() -> BinaryIO:
        return path.open("rb")

    return Entry("files/abc/liar.bin", "files/abc/liar.bin", 1, opener, compressed_size)


def test_streamed_bytes_are_counted_against_the_ratio_whatever_was_declared(
        tmp_path: Path) -> None:
    data = tmp_path / "data.bin"
    data.write_bytes(bytes(3 << 20))
    store = SnapshotStore(tmp_path / "store")
    with store.staging() as staging:
        result = stage_entries([_lying_entry(data, 1000)], staging, limits(), "liar.zip")
        assert [d.code for d in result.problems] == [c.COMPRESSION_RATIO]
        assert not list(staging.objects.iterdir())
    assert tree(tmp_path / "store") == ["<absent>"]


def test_streamed_bytes_are_counted_against_the_total_whatever_was_declared(
        tmp_path: Path) -> None:
    data = tmp_path / "data.bin"
    data.write_bytes(bytes(3 << 20))
    store = SnapshotStore(tmp_path / "store")
    with store.staging() as staging:
        result = stage_entries([_lying_entry(data, None)], staging,
                               limits(max_total_bytes=2 << 20), "liar")
        assert [d.code for d in result.problems] == [c.TOO_LARGE]
        assert not result.complete


def test_several_bombs_are_reported_in_entry_order(tmp_path: Path) -> None:
    files = export_files()
    names = [f"files/bomb-{n}/zeros.bin" for n in range(4)]
    for name in names:
        files[name] = bytes(3 << 20)
    archive = write_zip(tmp_path / "bombs.zip", files)
    assert refused_codes(archive, tmp_path / "store", limits(max_compression_ratio=50)) == [
        (c.COMPRESSION_RATIO, name) for name in names]
