"""A deterministic zip writer: the same entries give the same bytes, on any machine, at any time.

Entries are written sorted by name, each with the release's effective time, mode 0644,
create_system Unix, no extra fields; text is deflated at a fixed level and formats
that are already compressed are stored. File content is streamed from disk in 1 MiB
chunks, so memory stays flat however large the payload.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from compiler.package.hashing import iter_chunks

DEFLATE_LEVEL = 6  # zlib default: text shrinks nearly as much as at 9, much faster
UNIX = 3  # ZipInfo.create_system: the "version made by" host, fixed so Windows builds match
FILE_MODE = stat.S_IFREG | 0o644
_EARLIEST = datetime(1980, 1, 1, tzinfo=UTC)  # the DOS date format starts here
_LATEST = datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)

DosTime = tuple[int, int, int, int, int, int]

# Formats whose bytes are already compressed: deflating them again costs time, gains nothing.
STORED_SUFFIXES = frozenset({
    ".jpg", ".jpeg", ".png", ".webp", ".gif", ".zip", ".pdf", ".gz", ".mp4", ".woff2",
})


def zip_timestamp(moment: datetime) -> DosTime:
    """The DOS timestamp for ``moment`` in UTC, clamped to the range zip can hold.

    A naive datetime is taken as UTC; DOS time has a 2-second resolution, so seconds
    are rounded down to an even number to keep the value explicit.
    """
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    utc = min(max(aware.astimezone(UTC), _EARLIEST), _LATEST)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second - utc.second % 2)


def compression_for(name: str) -> int:
    """ZIP_STORED for already-compressed formats, ZIP_DEFLATED for everything else."""
    suffix = name[name.rfind("."):].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED


def _entry_info(name: str, size: int, stamp: DosTime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)
    info.create_system = UNIX
    info.external_attr = FILE_MODE << 16
    info.compress_type = compression_for(name)
    info._compresslevel = DEFLATE_LEVEL  # type: ignore[attr-defined]  # no public setter for open()
    info.extra = b""
    info.comment = b""
    info.file_size = size  # known up front, so zip64 is chosen by size alone
    return info


def _size_of(content: bytes | Path) -> int:
    return content.stat().st_size if isinstance(content, Path) else len(content)


def write_zip(target: BinaryIO, entries: Mapping[str, bytes | Path],
              moment: datetime) -> dict[str, str]:
    """Write ``entries`` (archive name -> bytes or file) to the seekable ``target``.

    Returns the sha256 of each entry's content as written, so a caller can check
    that a file did not change between being listed in a manifest and being archived.
    """
    stamp = zip_timestamp(moment)
    written: dict[str, str] = {}
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        archive.comment = b""
        for name in sorted(entries):
            content = entries[name]
            info = _entry_info(name, _size_of(content), stamp)
            digest = hashlib.sha256()
            with archive.open(info, "w") as sink:
                if isinstance(content, Path):
                    for block in iter_chunks(content):
                        digest.update(block)
                        sink.write(block)
                else:
                    digest.update(content)
                    sink.write(content)
            written[name] = digest.hexdigest()
    return written
