"""Non-ASCII names: the same export zipped by different tools keeps the same paths."""

from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

from compiler.snapshot import take_snapshot
from tests.snapshot.builders import LOGO, export_files, limits, write_folder, write_zip

NAME = "files/0ba07cc6-2f7b-5697-8f06-a78a78b2095f/Reise Küste.jpg"


def _files() -> dict[str, bytes]:
    files = export_files()
    files[NAME] = LOGO
    return files


def _zip_with_raw_name(path: Path, raw: bytes, extra: bytes = b"") -> Path:
    """A zip of the export whose NAME entry has the raw bytes ``raw`` and no UTF-8 flag
    (as Info-ZIP on Linux writes it)."""
    files = _files()
    del files[NAME]
    placeholder = "files/0ba07cc6-2f7b-5697-8f06-a78a78b2095f/" + "Q" * (
        len(raw) - len(b"files/0ba07cc6-2f7b-5697-8f06-a78a78b2095f/"))
    write_zip(path, files)
    info = zipfile.ZipInfo(placeholder)
    info.extra = extra
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(info, LOGO)
    data = path.read_bytes().replace(placeholder.encode(), raw)
    path.write_bytes(data)
    return path


def _unicode_path_extra(raw: bytes, name: str) -> bytes:
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + name.encode()
    return struct.pack("<HH", 0x7075, len(body)) + body


def test_utf8_names_without_the_utf8_flag(tmp_path: Path) -> None:
    folder = take_snapshot(write_folder(tmp_path / "e", _files()), tmp_path / "s", limits())
    raw = NAME.encode("utf-8")
    zipped = take_snapshot(_zip_with_raw_name(tmp_path / "e.zip", raw), tmp_path / "s",
                           limits())
    assert zipped.id == folder.id
    assert zipped.read_bytes(NAME) == LOGO


def test_info_zip_unicode_path_extra_field(tmp_path: Path) -> None:
    folder = take_snapshot(write_folder(tmp_path / "e", _files()), tmp_path / "s", limits())
    raw = NAME.encode("cp437")  # what an old DOS-minded tool writes, plus the extra field
    archive = _zip_with_raw_name(tmp_path / "e.zip", raw, _unicode_path_extra(raw, NAME))
    assert take_snapshot(archive, tmp_path / "s", limits()).id == folder.id


def test_decomposed_names_from_macos_match_composed_ones(tmp_path: Path) -> None:
    folder = take_snapshot(write_folder(tmp_path / "e", _files()), tmp_path / "s", limits())
    decomposed = {unicodedata.normalize("NFD", p): d for p, d in _files().items()}
    zipped = take_snapshot(write_zip(tmp_path / "nfd.zip", decomposed), tmp_path / "s",
                           limits())
    assert zipped.id == folder.id
    assert NAME in zipped.paths()
