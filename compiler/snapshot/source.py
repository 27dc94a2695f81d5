"""Listing an export safely, as a folder or as a zip of that folder.

An :class:`ExportSource` lists the export's regular files as :class:`Entry` objects
(relative POSIX path, declared size, how to open a stream) and the problems found
while listing (bad names, links, device files, duplicates, too many entries). A bad
entry is reported and left out; it is never opened. Nothing here trusts declared
sizes for safety: :mod:`compiler.snapshot.staging` counts bytes as it streams.
"""

from __future__ import annotations

import functools
import os
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

from compiler.diagnostics import Diagnostic, Location, error
from compiler.errors import UsageProblem
from compiler.snapshot import codes
from compiler.snapshot.limits import SnapshotLimits
from compiler.snapshot.paths import collision_problems, path_problems

HEADER_NAME = "export.json"

# st_mode file type -> words for the message (anything not a file, folder or link)
_SPECIAL_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _special_kind(mode: int) -> str | None:
    for test, words in _SPECIAL_KINDS:
        if test(mode):
            return words
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    """One regular file of the export.

    ``path`` is relative to the export root (a zip's single top folder stripped);
    ``label`` is the name the user sees (the raw zip entry name or folder-relative
    path); ``size`` is declared (stat or zip header) and only used for progress and
    early refusal; ``compressed_size`` is set for zip entries.
    """

    path: str
    label: str
    size: int
    opener: Callable[[], BinaryIO] = field(repr=False, compare=False)
    compressed_size: int | None = None

    def open(self) -> BinaryIO:
        """A binary stream of the entry's bytes."""
        return self.opener()


@dataclass
class ExportSource:
    """The listed export: its safe entries and the problems found listing it."""

    name: str
    entries: list[Entry]
    problems: list[Diagnostic]
    outside: list[str] = field(default_factory=list)  # zip entries beside the top folder
    listed: bool = True  # False when the listing itself was refused (nothing else to judge)
    _closer: Callable[[], None] = field(default=lambda: None, repr=False)

    def close(self) -> None:
        """Release the zip file handle, if any."""
        self._closer()

    def __enter__(self) -> ExportSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_source(source: Path, limits: SnapshotLimits) -> ExportSource:
    """List a folder or a .zip export; raises :class:`UsageProblem` for anything else."""
    if source.is_dir():
        return _list_folder(source, limits)
    if source.is_file():
        return _list_zip(source, limits)
    raise UsageProblem(f"{source}: no such export folder or .zip file")


def _too_many(limits: SnapshotLimits, where: str) -> Diagnostic:
    return error(codes.TOO_MANY_ENTRIES,
                 f"the export has more than limits.max_entries = {limits.max_entries} "
                 "entries; refusing it (raise the limit in cpc.toml if it is genuine)",
                 location=Location(file=where))


# --- folders -----------------------------------------------------------------------

def _open_regular(path: Path) -> BinaryIO:
    # O_NOFOLLOW: a file swapped for a link after listing is refused, not followed;
    # O_NONBLOCK: a file swapped for a FIFO cannot hang us on open.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(f"{path} is no longer a regular file")
    return os.fdopen(fd, "rb", buffering=0)


def _walk(root: Path, problems: list[Diagnostic]) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every item under ``root`` (never through a link), iteratively: a hostile depth
    cannot exhaust the stack."""
    folders = [""]
    while folders:
        rel = folders.pop()
        try:
            with os.scandir(root / rel if rel else root) as listing:
                items = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            problems.append(error(codes.UNREADABLE, f"cannot list folder: {exc.strerror}",
                                  location=Location(file=rel or ".")))
            continue
        for item in items:
            path = f"{rel}/{item.name}" if rel else item.name
            yield path, item
            if item.is_dir(follow_symlinks=False):
                folders.append(path)


def _list_folder(root: Path, limits: SnapshotLimits) -> ExportSource:
    entries: list[Entry] = []
    problems: list[Diagnostic] = []
    for seen, (path, item) in enumerate(_walk(root, problems), start=1):
        if seen > limits.max_entries:  # files and folders, as in a zip
            problems.append(_too_many(limits, str(root)))
            return ExportSource(str(root), [], problems, listed=False)
        where = Location(file=path)
        if item.is_dir(follow_symlinks=False):
            problems.extend(path_problems(path, path))
            continue
        if item.is_symlink():
            target = os.readlink(item.path)
            problems.append(error(codes.SYMLINK, f"{path!r} is a symbolic link (to {target!r}); "
                                  "links are never followed: replace it with the file itself",
                                  location=where))
            continue
        info = item.stat(follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            kind = _special_kind(info.st_mode) or "not a regular file"
            problems.append(error(codes.SPECIAL_FILE, f"{path!r} is {kind}; an export holds "
                                  "only regular files", location=where))
            continue
        bad = path_problems(path, path)
        if bad:
            problems.extend(bad)
            continue
        file_path = root / path
        entries.append(Entry(_nfc(path), path, info.st_size,
                             functools.partial(_open_regular, file_path)))
    entries.sort(key=lambda e: e.path)
    problems.extend(collision_problems((e.path, e.label) for e in entries))
    return ExportSource(str(root), entries, problems)


# --- zips --------------------------------------------------------------------------

_UTF8_FLAG = 0x800
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP: version, crc32 of the raw name, UTF-8 name


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field's name, when it matches the raw name."""
    extra = info.extra
    at = 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        data = extra[at + 4:at + 4 + size]
        at += 4 + size
        if kind == _UNICODE_PATH_EXTRA and len(data) >= 5 and data[0] == 1 \
                and struct.unpack_from("<I", data, 1)[0] == zlib.crc32(raw):
            try:
                return data[5:].decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def entry_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its writer meant it.

    Without the UTF-8 flag, zipfile decodes names as cp437, but Info-ZIP and most
    tools on Linux and macOS write UTF-8 there (with a Unicode Path extra field, or
    nothing); so the same export zipped by two tools keeps the same paths.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")  # zipfile's decoding, reversed exactly
    unicode_path = _unicode_path(info, raw)
    if unicode_path is not None:
        return unicode_path
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return info.filename


def _nfc(path: str) -> str:
    # one spelling for the manifest: macOS writes names decomposed (NFD)
    return unicodedata.normalize("NFC", path)


def _zip_entry_problems(info: zipfile.ZipInfo, name: str) -> list[Diagnostic]:
    where = Location(file=name)
    found = path_problems(name.rstrip("/") if info.is_dir() else name, name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        found.append(error(codes.SYMLINK, f"zip entry {name!r} is a symbolic link; links are "
                           "never followed: zip the file itself", location=where))
    elif (kind := _special_kind(mode)) is not None:
        found.append(error(codes.SPECIAL_FILE, f"zip entry {name!r} is {kind}; an export holds "
                           "only regular files", location=where))
    elif info.flag_bits & 0x1:
        found.append(error(codes.ZIP_ENCRYPTED, f"zip entry {name!r} is encrypted; cpc reads "
                           "unencrypted exports only", location=where))
    return found


def _open_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    # by ZipInfo, never by name: with duplicate names, a name opens the last one
    return cast(BinaryIO, archive.open(info))


def _top_folder(paths: list[str]) -> str:
    """The prefix to strip: '' when export.json is at the root, else one top folder."""
    if HEADER_NAME in paths:
        return ""
    holders = {p.split("/", 1)[0] for p in paths if p.count("/") == 1
               and p.endswith("/" + HEADER_NAME)}
    if len(holders) == 1:
        return holders.pop() + "/"
    tops = {p.split("/", 1)[0] for p in paths}
    if len(tops) == 1 and all("/" in p for p in paths):
        return tops.pop() + "/"
    return ""


def _list_zip(path: Path, limits: SnapshotLimits) -> ExportSource:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        problem = error(codes.ZIP_CORRUPT, f"cannot read {path.name} as a zip: {exc}",
                        location=Location(file=path.name))
        return ExportSource(str(path), [], [problem], listed=False)
    infos = archive.infolist()
    problems: list[Diagnostic] = []
    if len(infos) > limits.max_entries:  # files and folders
        archive.close()
        return ExportSource(str(path), [], [_too_many(limits, path.name)], listed=False)
    good: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        name = entry_name(info)
        bad = _zip_entry_problems(info, name)
        problems.extend(bad)
        if not bad and not info.is_dir():
            good.append((name, info))
    problems.extend(collision_problems((_nfc(name), name) for name, _ in good))
    prefix = _top_folder([_nfc(name) for name, _ in good])
    entries: list[Entry] = []
    outside: list[str] = []
    for name, info in sorted(good, key=lambda pair: _nfc(pair[0])):
        normal = _nfc(name)
        if not normal.startswith(prefix):
            outside.append(name)
            continue
        entries.append(Entry(normal[len(prefix):], name, info.file_size,
                             functools.partial(_open_zip_entry, archive, info),
                             compressed_size=info.compress_size))
    return ExportSource(str(path), entries, problems, outside, _closer=archive.close)
