"""Copying an export's files into a staging area, hashing them in the same pass.

One read of every byte: a chunk read from the source is handed to a writer thread
and hashed in this thread at the same time (hashlib and os.write release the GIL,
so the two overlap on two cores). New objects are written with ``O_DIRECT`` where the
file system allows it: whole 1 MiB chunks go from our page-aligned buffers straight
to the disk, which skips a copy into the page cache and the later writeback (three
times faster than buffered writes plus fsync on the disks measured); the unaligned
tail of a file, and file systems without ``O_DIRECT`` (tmpfs), use plain writes.

Bytes are counted as they stream, whatever the zip header declared: the total stops
at ``limits.max_total_bytes`` and a zip entry stops at ``limits.max_compression_ratio``
times its compressed size. Memory stays at
``DEPTH`` chunks of ``CHUNK`` bytes whatever the file sizes.
"""

from __future__ import annotations

import errno
import hashlib
import mmap
import os
import threading
import uuid
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from compiler.diagnostics import Diagnostic, Location, error
from compiler.snapshot import codes
from compiler.snapshot.limits import RATIO_FLOOR_BYTES, SnapshotLimits
from compiler.snapshot.reader import FileRecord
from compiler.snapshot.source import Entry
from compiler.snapshot.store import Staging

CHUNK = 1 << 20
DEPTH = 4
SYNCERS = 4
# files copied at once: hashing is the bottleneck and each file's hash is sequential,
# so two files on two cores beat one (openssl dgst uses one)
LANES = max(1, min(4, os.cpu_count() or 1))
ALIGN = 4096  # O_DIRECT wants offsets, lengths and buffer addresses aligned to blocks
O_DIRECT = getattr(os, "O_DIRECT", 0)

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes expected) as files stream in."""


class _TotalExceeded(Exception):
    """The export holds more bytes than limits.max_total_bytes: stop copying at once."""


@dataclass
class StagingResult:
    """What staging produced: a record per stored path, and the problems it found."""

    records: dict[str, FileRecord] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    complete: bool = True  # False when copying stopped early (total size cap)


def _open_object(path: Path) -> int:
    """A new temp object, with O_DIRECT when the file system supports it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    if O_DIRECT:
        try:
            return os.open(path, flags | O_DIRECT, 0o644)
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise
    return os.open(path, flags, 0o644)


def _buffered(fd: int) -> None:
    import fcntl  # only where O_DIRECT exists (Linux); absent on Windows

    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~O_DIRECT)


def _write_all(fd: int, view: memoryview) -> None:
    if O_DIRECT and len(view) % ALIGN:
        _buffered(fd)  # the tail of a file: not block-sized
    while view:
        try:
            view = view[os.write(fd, view):]
        except OSError as exc:
            if exc.errno != errno.EINVAL or not O_DIRECT:
                raise
            _buffered(fd)  # O_DIRECT refused after all (alignment rules differ)


def _fill(stream: object, buffer: memoryview) -> int:
    """Read until ``buffer`` is full or the stream ends (zip streams return less)."""
    got = 0
    while got < len(buffer):
        n = stream.readinto(buffer[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


def _finish(fd: int, tmp: Path, keep_as: Path | None, stored: Path | None) -> None:
    """Close a temp object: keep it (fsync, read-only, rename) or drop it."""
    try:
        if keep_as is not None and (stored is None or not stored.exists()) \
                and not keep_as.exists():
            os.fchmod(fd, 0o444)
            os.fsync(fd)
            os.close(fd)
            fd = -1
            os.rename(tmp, keep_as)
            return
    finally:
        if fd >= 0:
            os.close(fd)
    tmp.unlink(missing_ok=True)


class _Shared:
    """What the lanes share: the byte budget, progress, the sync threads."""

    def __init__(self, staging: Staging, limits: SnapshotLimits,
                 progress: Progress | None, expected: int) -> None:
        self.staging, self.limits = staging, limits
        self._progress, self._expected = progress, expected
        self._lock = threading.Lock()
        self.total = 0
        self.stopped = False  # the total cap was hit: every lane stops
        self.finishes: list[Future[None]] = []
        # fsync waits for the disk, not the CPU: several at once share journal commits
        # and keep the writers streaming the next file meanwhile
        self.syncer = ThreadPoolExecutor(max_workers=SYNCERS,
                                         thread_name_prefix="cpc-snapshot-sync")

    def count(self, n: int) -> None:
        """Add ``n`` streamed bytes; raise :class:`_TotalExceeded` past the cap."""
        with self._lock:
            self.total += n
            if self.total > self.limits.max_total_bytes:
                self.stopped = True
            if self.stopped:
                raise _TotalExceeded
            if self._progress is not None:
                self._progress(self.total, self._expected)


class _Lane:
    """Hash-while-copy of one file after another, with its own writer thread."""

    def __init__(self, shared: _Shared) -> None:
        self._shared = shared
        # mmap gives page-aligned memory, as O_DIRECT requires
        self._maps = [mmap.mmap(-1, CHUNK) for _ in range(DEPTH)]
        self._buffers = [memoryview(m) for m in self._maps]
        self._in_use: list[Future[None] | None] = [None] * DEPTH
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpc-snapshot")

    def close(self) -> None:
        """Wait for the writer, then drop the buffers (freed once no view is left)."""
        self._writer.shutdown(wait=True)
        self._in_use.clear()
        self._buffers.clear()
        self._maps.clear()

    def copy(self, entry: Entry) -> tuple[FileRecord | None, Diagnostic | None]:
        """Stage one entry: its record, or the problem that stopped it."""
        staging = self._shared.staging
        tmp = staging.root / f"{uuid.uuid4().hex}.part"
        fd = _open_object(tmp)
        digest = hashlib.sha256()
        size, slot, problem = 0, 0, None
        entry_cap = _entry_cap(entry, self._shared.limits)
        try:
            with entry.open() as stream:
                while True:
                    pending = self._in_use[slot]
                    if pending is not None:
                        pending.result()  # the writer is done with this buffer
                    buffer = self._buffers[slot]
                    n = _fill(stream, buffer)
                    if not n:
                        break
                    size += n
                    self._shared.count(n)
                    if entry_cap is not None and size > entry_cap:
                        problem = _ratio_problem(entry, self._shared.limits)
                        break
                    view = buffer[:n]
                    self._in_use[slot] = self._writer.submit(_write_all, fd, view)
                    digest.update(view)
                    slot = (slot + 1) % DEPTH
        except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
            problem = error(codes.ZIP_CORRUPT, f"cannot read zip entry: {exc}",
                            location=Location(file=entry.label))
        except OSError as exc:
            problem = error(codes.UNREADABLE, f"cannot read or stage: {exc.strerror or exc}",
                            location=Location(file=entry.label))
        except _TotalExceeded:
            self._finish(fd, tmp, None, None)
            raise
        if problem is not None:
            self._finish(fd, tmp, None, None)
            return None, problem
        sha = digest.hexdigest()
        self._finish(fd, tmp, staging.staged_path(sha), staging.store.object_path(sha))
        return FileRecord(entry.path, size, sha), None

    def _finish(self, fd: int, tmp: Path, keep_as: Path | None, stored: Path | None) -> None:
        """After the file's last write (writer order), close it on a sync thread."""
        shared = self._shared

        def hand_over() -> None:
            shared.finishes.append(shared.syncer.submit(_finish, fd, tmp, keep_as, stored))

        shared.finishes.append(self._writer.submit(hand_over))


def _entry_cap(entry: Entry, limits: SnapshotLimits) -> int | None:
    if entry.compressed_size is None:
        return None
    ratio_cap = int(limits.max_compression_ratio * max(entry.compressed_size, 1))
    return max(ratio_cap, RATIO_FLOOR_BYTES)


def _ratio_problem(entry: Entry, limits: SnapshotLimits) -> Diagnostic:
    return error(codes.COMPRESSION_RATIO,
                 f"zip entry expands beyond {limits.max_compression_ratio:g} times "
                 f"its compressed size of {entry.compressed_size} bytes "
                 "(limits.max_compression_ratio): refused as a zip bomb",
                 location=Location(file=entry.label))


def declared_problems(entries: list[Entry], limits: SnapshotLimits,
                       source: str) -> list[Diagnostic]:
    """Refuse early on declared sizes (the streamed counts are checked again anyway)."""
    problems: list[Diagnostic] = []
    for entry in entries:
        compressed = entry.compressed_size
        if compressed is not None and entry.size > RATIO_FLOOR_BYTES and \
                entry.size > limits.max_compression_ratio * max(compressed, 1):
            problems.append(error(
                codes.COMPRESSION_RATIO,
                f"zip entry declares {entry.size} bytes from {compressed} compressed, more "
                f"than limits.max_compression_ratio = {limits.max_compression_ratio:g}: "
                "refused as a zip bomb", location=Location(file=entry.label)))
    declared = sum(e.size for e in entries)
    if declared > limits.max_total_bytes:
        problems.append(_too_large(limits, source, f"declares {declared} bytes"))
    return problems


def _too_large(limits: SnapshotLimits, source: str, what: str) -> Diagnostic:
    return error(codes.TOO_LARGE,
                 f"the export {what}, more than limits.max_total_bytes = "
                 f"{limits.max_total_bytes}: refused (raise the limit in cpc.toml if it is "
                 "genuine)", location=Location(file=source))


def stage_entries(entries: list[Entry], staging: Staging, limits: SnapshotLimits,
                  source: str, progress: Progress | None = None) -> StagingResult:
    """Copy and hash every entry into ``staging``, counting bytes against the caps."""
    result = StagingResult()
    result.problems.extend(declared_problems(entries, limits, source))
    refused = {d.location.file for d in result.problems}
    if any(d.code == codes.TOO_LARGE for d in result.problems):
        result.complete = False
        return result
    todo = [e for e in entries if e.label not in refused]
    shared = _Shared(staging, limits, progress, sum(e.size for e in todo))
    outcomes: list[tuple[FileRecord | None, Diagnostic | None]] = [(None, None)] * len(todo)
    queue = iter(range(len(todo)))
    queue_lock = threading.Lock()

    def run_lane() -> None:
        lane = _Lane(shared)
        try:
            while True:
                with queue_lock:
                    index = next(queue, None)
                if index is None or shared.stopped:
                    return
                outcomes[index] = lane.copy(todo[index])
        finally:
            lane.close()

    try:
        with ThreadPoolExecutor(max_workers=LANES, thread_name_prefix="cpc-lane") as lanes:
            for future in [lanes.submit(run_lane) for _ in range(min(LANES, len(todo)))]:
                try:
                    future.result()
                except _TotalExceeded:
                    result.complete = False
    finally:
        shared.syncer.shutdown(wait=True)
        for finish in shared.finishes:
            finish.result()
    if not result.complete:
        result.problems.append(_too_large(limits, source, "holds (counted while reading) "
                                          f"{shared.total} bytes or more"))
        return result
    for record, problem in outcomes:  # entry order: the same report every run
        if record is not None:
            result.records[record.path] = record
        if problem is not None:
            result.problems.append(problem)
    return result
