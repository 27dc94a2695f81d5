"""Writing a release into the output folder: archive, checksum, signature, ledger line.

A release appears whole or not at all. Under the folder's lock, every file is first
written to a temp file and fsynced; then a small journal names the renames and the
ledger line; then the files are renamed into place (signature, checksum, archive) and
the ledger line is added last. A run killed at any point leaves either temp files
(removed by the next run) or a journal that the next run completes.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from compiler.diagnostics import Location, error
from compiler.package.bag import BagSpec, PreviousRelease, lay_out, spec_problems
from compiler.package.consistency import index_problems
from compiler.package.durable import (
    fsync_folder,
    remove_stale_temp_files,
    temp_file,
    write_durably,
)
from compiler.package.errors import PackagingError
from compiler.package.hashing import sha256_file
from compiler.package.ledger import LedgerEntry, append_entry, read_ledger
from compiler.package.signing import load_private_key, sign_file
from compiler.package.zipwriter import write_zip

LOCK_NAME = ".cpc-release.lock"
JOURNAL_NAME = ".cpc-pending.json"
CRASH_ENV = "CPC_PACKAGE_CRASH_AT"  # fault injection for the crash-safety tests


@dataclass(frozen=True, slots=True)
class PublishedRelease:
    """What :func:`publish_release` did: the files, the archive's sha256, and whether the
    version already existed with identical bytes (``unchanged``: nothing was written)."""

    archive: Path
    sha256: str
    sha256_file: Path
    signature: Path | None
    ledger_entry: LedgerEntry | None
    unchanged: bool


def _crash_point(name: str) -> None:
    """Kill this process here when the crash-safety test asks for it by name."""
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextmanager
def release_lock(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s release lock; CpcError at once when another build holds it.

    flock is released by the kernel when a holder dies, so a killed build never
    leaves the folder locked.
    """
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PackagingError([error(
                "E-PACKAGE-LOCKED", "another cpc build is writing a release into this folder; "
                "wait for it to finish and build again", location=Location(str(folder)))]) from None
        yield
    finally:
        os.close(handle)


def sha256_line(sha256: str, file_name: str) -> bytes:
    """The ``sha256sum`` line for a file: ``<hex>  <name>``."""
    return f"{sha256}  {file_name}\n".encode()


def _pending(folder: Path) -> dict[str, Any] | None:
    path = folder / JOURNAL_NAME
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def recover(folder: Path) -> list[str]:
    """Finish what a killed run started in ``folder``; call only while holding its lock.

    A journal means every file was complete and fsynced: its renames and ledger line
    are completed (roll forward). Other temp files are removed. Returns what was done.
    """
    done: list[str] = []
    journal = _pending(folder)
    if journal is not None:
        for temp_name, final_name in journal["renames"]:
            if (folder / temp_name).exists():
                os.replace(folder / temp_name, folder / final_name)
            elif not (folder / final_name).exists():
                raise PackagingError([error(
                    "E-PACKAGE-RECOVERY", f"an interrupted release cannot be completed: "
                    f"{final_name} and its temp file are both gone; remove {JOURNAL_NAME} "
                    "after checking the folder", location=Location(str(folder)))])
        fsync_folder(folder)
        entry = LedgerEntry(**journal["entry"])
        if read_ledger(folder).find(entry.name, entry.version) is None:
            append_entry(folder, entry)
        (folder / JOURNAL_NAME).unlink()
        fsync_folder(folder)
        done.append(f"completed the interrupted release {entry.archive}")
    done.extend(f"removed {p.name}" for p in remove_stale_temp_files(folder))
    return done


def _known_versions(folder: Path, name: str) -> list[LedgerEntry | str]:
    ledger = read_ledger(folder)
    known: list[LedgerEntry | str] = [e for e in ledger.entries if e.name == name]
    journal = _pending(folder)
    if journal is not None and journal["entry"]["name"] == name:
        known.append(journal["entry"]["version"])
    known.extend(p.name[len(name) + 1:-4] for p in folder.glob(f"{name}-*.zip"))
    return known


def next_version(folder: Path, name: str, effective_date: date) -> str:
    """The next calendar version ``YYYY.MM.N`` of ``name`` after those already in ``folder``.

    Counts releases in the ledger, archives on disk and an interrupted release. The
    month is the effective date's, or the latest month already released when that is
    later (a version never goes backwards); N starts at 1 in each month.
    """
    taken: list[tuple[int, int, int]] = []
    for item in _known_versions(folder, name) if folder.exists() else []:
        version = item.version if isinstance(item, LedgerEntry) else item
        match = re.fullmatch(r"(\d{4})\.(\d{2})\.(\d+)", version)
        if match:
            taken.append((int(match.group(1)), int(match.group(2)), int(match.group(3))))
    year, month = max([(effective_date.year, effective_date.month),
                       *((y, m) for y, m, _ in taken)])
    number = max([0, *(n for y, m, n in taken if (y, m) == (year, month))]) + 1
    return f"{year:04d}.{month:02d}.{number}"


def previous_release(folder: Path, name: str, version: str | None = None) -> PreviousRelease | None:
    """The release of ``name`` that ``version`` follows, from the ledger (None for the first).

    Without ``version``, the latest release; with it, the one recorded before that
    version (so rebuilding an existing version names the same predecessor).
    """
    if not folder.exists():
        return None
    ledger = read_ledger(folder)
    journal = _pending(folder)
    entries = list(ledger.entries)
    if journal is not None and ledger.find(journal["entry"]["name"],
                                           journal["entry"]["version"]) is None:
        entries.append(LedgerEntry(**journal["entry"]))
    candidates = []
    for entry in entries:
        if entry.name != name:
            continue
        if version is not None and entry.version == version:
            break
        candidates.append(entry)
    if not candidates:
        return None
    return PreviousRelease(candidates[-1].version, candidates[-1].archive_sha256)


def publish_release(out_dir: Path, bag: BagSpec, sign_key: Path | None = None, *,
                    created: datetime | None = None) -> PublishedRelease:
    """Write ``<out_dir>/<name>-<version>.zip``, its ``.sha256``, optionally its ``.sig``,
    and the ledger line, crash-safely (see the module docstring).

    ``created`` is the ledger's record of when the release was made (default: now).
    Raises PackagingError when the bag is invalid, the folder is locked or its ledger
    broken, the bag's previous release is not the folder's, or the version exists
    with different bytes (naming both sha256s).
    """
    problems = spec_problems(bag)
    if problems:
        raise PackagingError(problems)
    key = load_private_key(sign_key) if sign_key is not None else None
    facts = bag.release
    out_dir.mkdir(parents=True, exist_ok=True)
    with release_lock(out_dir):
        _crash_point("locked")
        recover(out_dir)
        _check_history(out_dir, bag)
        layout, hashed = lay_out(bag)
        index_issues = index_problems(bag, hashed)
        if index_issues:
            raise PackagingError(index_issues)
        final = out_dir / f"{facts.bag_name}.zip"
        with temp_file(out_dir, final.name) as (temp_zip, stream):
            written = write_zip(stream, layout.entries, facts.effective_time)
        changed = sorted(name for name, digest in written.items()
                         if name in layout.hashed and layout.hashed[name] != digest)
        if changed:
            temp_zip.unlink()
            raise PackagingError([error("E-PACKAGE-CHANGED", "the file changed while it was "
                                        "being packaged; build again", location=Location(name))
                                  for name in changed])
        _crash_point("archive-written")
        digest = sha256_file(temp_zip)[0]
        if final.exists():
            return _existing_version(out_dir, final, temp_zip, digest, key)
        return _commit_new(out_dir, final, temp_zip, digest, key, bag, created)


def _check_history(out_dir: Path, bag: BagSpec) -> None:
    ledger = read_ledger(out_dir)
    if ledger.problems:
        raise PackagingError([*ledger.problems, error(
            "E-PACKAGE-LEDGER", "the ledger is broken; no release is added to a broken chain "
            "(see `cpc verify --ledger`)", location=Location(str(ledger.path)))])
    facts = bag.release
    expected = previous_release(out_dir, facts.name, facts.version)
    # A folder without a release of this name may start its chain after a release kept
    # elsewhere (`cpc build --previous PACKAGE`); otherwise the ledger decides.
    if facts.previous != expected and expected is not None:
        raise PackagingError([error(
            "E-PACKAGE-PREVIOUS", f"the bag names {facts.previous} as the previous release, "
            f"but the folder's ledger has {expected}; build again (the folder changed since "
            "the build began)", location=Location(str(ledger.path)))])


def _existing_version(out_dir: Path, final: Path, temp_zip: Path, digest: str,
                      key: Ed25519PrivateKey | None) -> PublishedRelease:
    existing = sha256_file(final)[0]
    temp_zip.unlink()
    if existing != digest:
        raise PackagingError([error(
            "E-PACKAGE-VERSION-EXISTS", f"{final.name} already exists with different content "
            f"(existing sha256 {existing}, new {digest}); a released version is immutable: "
            "choose a new --version", location=Location(str(final)))])
    checksum = final.with_name(final.name + ".sha256")
    if not checksum.exists():
        write_durably(checksum, sha256_line(digest, final.name))
    signature = final.with_name(final.name + ".sig")
    if key is not None and not signature.exists():
        write_durably(signature, sign_file(final, key))
    return PublishedRelease(final, digest, checksum, signature if signature.exists() else None,
                            None, unchanged=True)


def _write_sidecars(out_dir: Path, final: Path, temp_zip: Path, digest: str,
                    key: Ed25519PrivateKey | None) -> list[tuple[Path, Path]]:
    """Temp files for the signature and the checksum, in the order they are renamed."""
    renames: list[tuple[Path, Path]] = []
    try:
        if key is not None:
            with temp_file(out_dir, final.name + ".sig") as (temp_sig, stream):
                stream.write(sign_file(temp_zip, key))
            renames.append((temp_sig, final.with_name(final.name + ".sig")))
        with temp_file(out_dir, final.name + ".sha256") as (temp_sum, stream):
            stream.write(sha256_line(digest, final.name))
        renames.append((temp_sum, final.with_name(final.name + ".sha256")))
        fsync_folder(out_dir)
    except BaseException:
        for temp, _ in renames:
            temp.unlink(missing_ok=True)
        raise
    return renames


def _commit_new(out_dir: Path, final: Path, temp_zip: Path, digest: str,
                key: Ed25519PrivateKey | None, bag: BagSpec,
                created: datetime | None) -> PublishedRelease:
    facts = bag.release
    ledger = read_ledger(out_dir)
    recorded = ledger.find(facts.name, facts.version)
    if recorded is not None and recorded.archive_sha256 != digest:
        temp_zip.unlink()
        raise PackagingError([error(
            "E-PACKAGE-VERSION-EXISTS", f"{final.name} is recorded in the ledger with sha256 "
            f"{recorded.archive_sha256} (its archive is missing here); the new build has "
            f"{digest}; a released version is immutable: choose a new --version",
            location=Location(str(final)))])
    # sidecars are renamed first and the archive last: an archive is never seen without them
    renames: list[tuple[Path, Path]] = [(temp_zip, final)]
    try:
        renames = _write_sidecars(out_dir, final, temp_zip, digest, key) + renames
    except BaseException:  # a failure (not a kill) before the journal: leave nothing behind
        temp_zip.unlink(missing_ok=True)
        raise
    _crash_point("sidecars-written")
    moment = created or datetime.now(UTC)
    entry = LedgerEntry(
        name=facts.name, version=facts.version,
        created=moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        archive=final.name, archive_sha256=digest,
        previous_archive_sha256=facts.previous.archive_sha256 if facts.previous else None,
        previous_line_sha256=ledger.head_sha256())
    if recorded is not None:  # restoring a deleted archive with the recorded bytes
        entry = recorded
    journal = {"entry": asdict(entry), "renames": [[t.name, f.name] for t, f in renames]}
    write_durably(out_dir / JOURNAL_NAME, json.dumps(journal, sort_keys=True).encode())
    _crash_point("journal-written")
    for temp, target in renames:
        os.replace(temp, target)
        _crash_point(f"renamed-{target.name[len(final.name):] or '.zip'}")
    fsync_folder(out_dir)
    if recorded is None:
        append_entry(out_dir, entry)
    _crash_point("ledger-appended")
    (out_dir / JOURNAL_NAME).unlink()
    fsync_folder(out_dir)
    signature = final.with_name(final.name + ".sig")
    return PublishedRelease(final, digest, final.with_name(final.name + ".sha256"),
                            signature if key is not None else None,
                            None if recorded else entry, unchanged=False)


CRASH_POINTS = ("locked", "archive-written", "sidecars-written", "journal-written",
                "renamed-.sig", "renamed-.sha256", "renamed-.zip", "ledger-appended")
