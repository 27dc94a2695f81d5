"""One sequential read of a package zip: the archive's sha256 and every entry's sha256.

The central directory gives the entries; then the file is read once, front to back,
in 1 MiB chunks. Each chunk goes to a second thread that hashes the whole archive
(hashlib releases the GIL, so the two hashes run on two cores) while this thread
walks the local headers and hashes each entry's content, inflating deflated entries
in bounded steps. Memory stays flat: a few chunks in flight, plus the small tag files
kept for parsing. Bytes outside any entry (gaps, overlaps, prepended data) are
reported, as are encrypted entries and unknown compression methods.
"""

from __future__ import annotations

import hashlib
import queue
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from compiler.diagnostics import Diagnostic, Location, error

CHUNK = 1 << 20
KEEP_LIMIT = 256 << 20  # a tag file or index larger than this is refused, not parsed
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What one entry's content turned out to be."""

    sha256: str
    size: int


@dataclass
class ZipScan:
    """The result of reading a zip once."""

    archive_sha256: str = ""
    infos: list[zipfile.ZipInfo] = field(default_factory=list)
    entries: dict[str, EntryFacts] = field(default_factory=dict)
    kept: dict[str, bytes] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


class _ArchiveHasher:
    """Hashes every byte handed to it, on its own thread."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._thread = threading.Thread(target=self._run, name="archive-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            self._digest.update(chunk)

    def feed(self, chunk: bytes) -> None:
        self._queue.put(chunk)

    def finish(self) -> str:
        self._queue.put(None)
        self._thread.join()
        return self._digest.hexdigest()


class _Reader:
    """Sequential reads over the archive; every byte read is also fed to the hasher."""

    def __init__(self, stream: BinaryIO, hasher: _ArchiveHasher) -> None:
        self._stream = stream
        self._hasher = hasher
        self._view = memoryview(b"")
        self.offset = 0  # absolute offset of the next byte to hand out

    def pieces(self, count: int) -> Iterator[memoryview]:
        """Up to ``count`` next bytes, as views into the chunks read (fewer at EOF)."""
        while count > 0:
            if not self._view:
                chunk = self._stream.read(CHUNK)
                if not chunk:
                    return
                self._hasher.feed(chunk)
                self._view = memoryview(chunk)
            piece = self._view[:count]
            self._view = self._view[len(piece):]
            self.offset += len(piece)
            count -= len(piece)
            yield piece

    def read(self, count: int) -> bytes:
        return b"".join(bytes(p) for p in self.pieces(count))

    def drain(self) -> int:
        skipped = 0
        for piece in self.pieces(1 << 62):
            skipped += len(piece)
        return skipped


def _problem(code: str, message: str, name: str = "") -> Diagnostic:
    return error(code, message, location=Location(name) if name else Location())


def _read_entry(reader: _Reader, info: zipfile.ZipInfo, keep: bool,
                problems: list[Diagnostic]) -> tuple[EntryFacts | None, bytes | None]:
    """Hash one entry's content from its local header on; None when it cannot be read."""
    name = info.filename
    header = reader.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        problems.append(_problem("E-VERIFY-ZIP", "no local file header where the central "
                                 "directory says the entry starts", name))
        return None, None
    fields = _LOCAL_HEADER.unpack(header)
    raw_name = reader.read(fields[9])
    reader.read(fields[10])  # the local extra field: its bytes are hashed, not trusted
    expected_name = name.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    if raw_name != expected_name:
        problems.append(_problem("E-VERIFY-ZIP", f"the local header names {raw_name!r}, "
                                 "the central directory another file", name))
    digest = hashlib.sha256()
    kept: list[bytes] = []
    size = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    too_big = False
    for piece in reader.pieces(info.compress_size):
        data: bytes | memoryview = piece
        while data and not too_big:
            if inflater is not None:
                out: bytes | memoryview = inflater.decompress(data, CHUNK)
                data = inflater.unconsumed_tail
                crc = zlib.crc32(out, crc)  # stored entries rely on the manifests' sha256
            else:
                out, data = data, b""
            size += len(out)
            too_big = size > info.file_size
            digest.update(out)
            if keep and size <= KEEP_LIMIT:
                kept.append(bytes(out))
    if inflater is not None and not too_big:
        tail = inflater.flush()
        size += len(tail)
        digest.update(tail)
        crc = zlib.crc32(tail, crc)
        kept.append(tail)
        if not inflater.eof:
            problems.append(_problem("E-VERIFY-ZIP", "the deflated data is truncated", name))
        elif crc != info.CRC:
            problems.append(_problem("E-VERIFY-ZIP", "CRC-32 mismatch: the entry is corrupt",
                                     name))
    if too_big or size != info.file_size:
        problems.append(_problem("E-VERIFY-ZIP", f"the entry holds more or less than the "
                                 f"{info.file_size} bytes the central directory declares", name))
        return None, None
    if keep and size > KEEP_LIMIT:
        problems.append(_problem("E-VERIFY-ZIP", f"{size} bytes is too large to parse "
                                 f"(limit {KEEP_LIMIT})", name))
        keep = False
    return EntryFacts(digest.hexdigest(), size), b"".join(kept) if keep else None


def _entry_problems(info: zipfile.ZipInfo) -> list[Diagnostic]:
    name = info.filename
    problems = []
    if info.flag_bits & 0x1:
        problems.append(_problem("E-VERIFY-ZIP", "the entry is encrypted", name))
    if info.compress_type not in _METHODS:
        problems.append(_problem("E-VERIFY-ZIP", f"compression method {info.compress_type} is "
                                 "not one cpc writes (stored or deflated)", name))
    return problems


def scan_zip(path: Path, keep: Callable[[str], bool]) -> ZipScan:
    """Read the zip at ``path`` once; keep the content of the entries ``keep`` accepts."""
    scan = ZipScan()
    hasher = _ArchiveHasher()
    with path.open("rb") as stream:
        reader = _Reader(stream, hasher)
        try:
            with zipfile.ZipFile(path) as archive:
                scan.infos = archive.infolist()
                directory_start = int(getattr(archive, "start_dir", 0))
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            scan.problems.append(_problem("E-VERIFY-ZIP", f"not a readable zip archive: {exc}"))
            reader.drain()
            scan.archive_sha256 = hasher.finish()
            return scan
        ordered = sorted(scan.infos, key=lambda i: i.header_offset)
        next_offsets = [i.header_offset for i in ordered[1:]] + [directory_start]
        for info, next_offset in zip(ordered, next_offsets, strict=True):
            scan.problems.extend(_entry_problems(info))
            if info.header_offset != reader.offset:
                where = "overlaps the one before" if info.header_offset < reader.offset else (
                    f"follows {info.header_offset - reader.offset} bytes that belong to no entry")
                scan.problems.append(_problem("E-VERIFY-ZIP", f"the entry {where}", info.filename))
                if info.header_offset < reader.offset:
                    continue
                reader.read(info.header_offset - reader.offset)
            wanted = keep(info.filename)
            facts, content = _read_entry(reader, info, wanted, scan.problems)
            descriptor = next_offset - reader.offset
            if info.flag_bits & 0x8 and descriptor in (12, 16, 20, 24):
                reader.read(descriptor)  # a data descriptor (with or without signature, zip64)
            if facts is not None and info.filename not in scan.entries:
                scan.entries[info.filename] = facts
            if content is not None:
                scan.kept[info.filename] = content
        if reader.offset != directory_start:
            scan.problems.append(_problem("E-VERIFY-ZIP", f"{directory_start - reader.offset} "
                                          "bytes between the last entry and the central "
                                          "directory belong to no entry"))
        reader.drain()
    scan.archive_sha256 = hasher.finish()
    return scan
