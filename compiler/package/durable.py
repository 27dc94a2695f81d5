"""Crash-safe file writing: temp file in the same folder, fsync, atomic rename, fsync of the folder.

Every temp file cpc makes in a release folder starts with :data:`TEMP_PREFIX`, so a
later run holding the folder's lock can recognise and remove what a killed run left.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TEMP_PREFIX = ".cpc-tmp-"


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextmanager
def temp_file(folder: Path, label: str) -> Iterator[tuple[Path, BinaryIO]]:
    """A new temp file in ``folder``, flushed and fsynced when the block ends.

    The file is removed if the block raises; a SIGKILL leaves it for the next run's
    :func:`remove_stale_temp_files`.
    """
    path = folder / f"{TEMP_PREFIX}{os.getpid()}-{label}"
    stream = path.open("wb")
    try:
        yield path, stream
        stream.flush()
        os.fsync(stream.fileno())
    except BaseException:
        stream.close()
        path.unlink(missing_ok=True)
        raise
    stream.close()


def write_durably(target: Path, content: bytes) -> None:
    """Replace ``target`` with ``content`` atomically: readers see the old or the new file."""
    with temp_file(target.parent, target.name) as (path, stream):
        stream.write(content)
    os.replace(path, target)
    fsync_folder(target.parent)


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Remove temp files a killed run left in ``folder``; call only while holding its lock."""
    removed = sorted(folder.glob(TEMP_PREFIX + "*"))
    for path in removed:
        path.unlink(missing_ok=True)
    if removed:
        fsync_folder(folder)
    return removed
