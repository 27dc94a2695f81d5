"""The one-pass zip reader on zips cpc did not write: data descriptors, hidden bytes, lies."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from pathlib import Path

from compiler.package.zipscan import scan_zip


class _Unseekable(io.RawIOBase):
    """A sink zipfile cannot seek in, so it writes data descriptors."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        self.data += chunk
        return len(chunk)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_entries_with_data_descriptors_are_read(tmp_path: Path) -> None:
    sink = _Unseekable()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("t/a.txt", b"hello" * 1000)
        archive.writestr("t/b.txt", b"x" * 10)
    path = tmp_path / "t.zip"
    path.write_bytes(bytes(sink.data))
    scan = scan_zip(path, lambda name: True)
    assert all(info.flag_bits & 0x8 for info in scan.infos)
    assert scan.problems == []
    assert scan.entries["t/a.txt"].sha256 == hashlib.sha256(b"hello" * 1000).hexdigest()
    assert scan.kept["t/b.txt"] == b"x" * 10
    assert scan.archive_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_bytes_before_the_first_entry_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "t.zip"
    path.write_bytes(b"#!/bin/sh\nexit 0\n" + _zip({"t/a.txt": b"a"}))
    messages = [p.message for p in scan_zip(path, lambda name: False).problems]
    assert any("bytes that belong to no entry" in m for m in messages), messages


def test_an_entry_larger_than_declared_is_refused(tmp_path: Path) -> None:
    data = bytearray(_zip({"t/bomb.txt": b"0" * 100_000}))
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 10)  # declare 10 bytes uncompressed
    path = tmp_path / "t.zip"
    path.write_bytes(bytes(data))
    scan = scan_zip(path, lambda name: True)
    assert "t/bomb.txt" not in scan.entries
    assert any("declares" in p.message and p.location.file == "t/bomb.txt"
               for p in scan.problems)


def test_a_corrupt_deflated_entry_fails_its_crc(tmp_path: Path) -> None:
    data = bytearray(_zip({"t/a.txt": b"abc" * 1000}))
    central = data.index(b"PK\x01\x02")
    crc = struct.unpack_from("<I", data, central + 16)[0]
    struct.pack_into("<I", data, central + 16, crc ^ 1)
    path = tmp_path / "t.zip"
    path.write_bytes(bytes(data))
    assert any("CRC-32" in p.message for p in scan_zip(path, lambda name: False).problems)
