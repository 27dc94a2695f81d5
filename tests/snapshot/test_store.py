"""The store: stable ids, objects stored once, verified read-back, clean refusals."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from compiler.diagnostics import Diagnostic, Location, error
from compiler.errors import UsageProblem
from compiler.snapshot import (
    ExportReader,
    SnapshotCorrupted,
    SnapshotRefused,
    canonical_json,
    load_snapshot,
    resolve_source,
    take_snapshot,
)
from compiler.snapshot import codes as c
from tests.snapshot.builders import (
    LOGO,
    MASTER,
    add_raw_entry,
    export_files,
    limits,
    tree,
    write_folder,
    write_zip,
)


def test_folder_and_zips_give_the_same_id(tmp_path: Path) -> None:
    files = export_files()
    folder = write_folder(tmp_path / "export", files)
    at_root = write_zip(tmp_path / "root.zip", files)
    in_top = write_zip(tmp_path / "top.zip", files, top="export-2026-11-28")
    store = tmp_path / "store"
    ids = {take_snapshot(s, store, limits()).id for s in (folder, at_root, in_top)}
    assert len(ids) == 1
    assert len(os.listdir(store / "snapshots")) == 1


def test_a_changed_byte_gives_a_new_id(tmp_path: Path) -> None:
    files = export_files()
    first = take_snapshot(write_folder(tmp_path / "a", files), tmp_path / "store", limits())
    changed = dict(files)
    changed[MASTER] = LOGO[:-1] + bytes([LOGO[-1] ^ 1])
    second = take_snapshot(write_folder(tmp_path / "b", changed), tmp_path / "store", limits())
    renamed = dict(files)
    renamed["files/5b1e2f3a-0c4d-4e5f-8a9b-1c2d3e4f5a6b/logo2.png"] = renamed.pop(MASTER)
    third = take_snapshot(write_folder(tmp_path / "c", renamed), tmp_path / "store", limits())
    assert len({first.id, second.id, third.id}) == 3


def test_manifest_is_canonical_and_hashes_to_the_id(tmp_path: Path) -> None:
    snapshot = take_snapshot(write_folder(tmp_path / "e", export_files()), tmp_path / "s",
                             limits())
    data = (tmp_path / "s" / "snapshots" / f"{snapshot.id}.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == snapshot.id
    assert canonical_json(json.loads(data)) == data
    manifest = json.loads(data)
    assert manifest["format"] == "cpc-snapshot/1"
    assert manifest["header"] == snapshot.header
    assert [f["path"] for f in manifest["files"]] == sorted(export_files())
    logo = next(f for f in manifest["files"] if f["path"] == MASTER)
    assert logo == {"path": MASTER, "size": len(LOGO),
                    "sha256": hashlib.sha256(LOGO).hexdigest()}


def test_objects_are_stored_once_and_read_only(tmp_path: Path) -> None:
    files = export_files()
    files["files/other-id/copy.png"] = LOGO  # same bytes, second path
    snapshot = take_snapshot(write_folder(tmp_path / "e", files), tmp_path / "s", limits())
    objects = [p for p in (tmp_path / "s" / "objects").rglob("*") if p.is_file()]
    assert len(objects) == len(files) - 1
    sha = hashlib.sha256(LOGO).hexdigest()
    stored = tmp_path / "s" / "objects" / sha[:2] / sha[2:]
    assert stored.read_bytes() == LOGO
    assert not stored.stat().st_mode & 0o222
    assert snapshot.read_bytes("files/other-id/copy.png") == LOGO


def test_second_snapshot_stores_nothing_new(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "e", export_files())
    store = tmp_path / "s"
    first = take_snapshot(folder, store, limits())
    before = {p: p.stat().st_mtime_ns for p in store.rglob("*")}
    second = take_snapshot(folder, store, limits())
    after = {p: p.stat().st_mtime_ns for p in store.rglob("*")}
    assert first.id == second.id
    assert before == after  # no file added, none rewritten
    assert tree(store) == sorted(p.relative_to(store).as_posix() for p in before)


def test_read_back_is_verified(tmp_path: Path) -> None:
    files = export_files()
    snapshot = take_snapshot(write_folder(tmp_path / "e", files), tmp_path / "s", limits())
    assert isinstance(snapshot, ExportReader)
    assert snapshot.paths() == sorted(files)
    for path, data in files.items():
        assert snapshot.read_bytes(path) == data
        with snapshot.open(path) as stream:
            assert stream.read() == data
    assert snapshot.materialize(MASTER).read_bytes() == LOGO
    assert snapshot.exists(MASTER) and not snapshot.exists("files/nope")


def _corrupt(snapshot_store: Path, data: bytes) -> Path:
    sha = hashlib.sha256(data).hexdigest()
    target = snapshot_store / "objects" / sha[:2] / sha[2:]
    target.chmod(0o644)
    target.write_bytes(data[:-1] + bytes([data[-1] ^ 0x40]))
    return target


def test_corrupted_object_is_named_on_read(tmp_path: Path) -> None:
    snapshot = take_snapshot(write_folder(tmp_path / "e", export_files()), tmp_path / "s",
                             limits())
    target = _corrupt(tmp_path / "s", LOGO)
    for read in (snapshot.read_bytes, lambda p: snapshot.open(p).read(),
                 snapshot.materialize):
        with pytest.raises(SnapshotCorrupted) as caught:
            read(MASTER)
        assert caught.value.diagnostic.code == c.CORRUPT_OBJECT
        assert str(target) in caught.value.message
        assert MASTER in caught.value.message
    assert snapshot.read_bytes("export.json")  # the other objects still read
    assert f"delete {target}" in caught.value.message  # what repairs the store


def test_a_missing_or_deleted_object_is_named_and_a_new_snapshot_restores_it(
        tmp_path: Path) -> None:
    export = write_folder(tmp_path / "e", export_files())
    snapshot = take_snapshot(export, tmp_path / "s", limits())
    target = _corrupt(tmp_path / "s", LOGO)
    target.unlink()  # what the message of a damaged object says to do
    with pytest.raises(SnapshotCorrupted) as caught:
        snapshot.read_bytes(MASTER)
    assert caught.value.diagnostic.code == c.CORRUPT_OBJECT
    assert f"store object {target}" in caught.value.message and "is missing" in (
        caught.value.message)
    again = take_snapshot(export, tmp_path / "s", limits())
    assert again.id == snapshot.id and snapshot.read_bytes(MASTER) == LOGO


def test_corrupted_manifest_is_refused(tmp_path: Path) -> None:
    snapshot = take_snapshot(write_folder(tmp_path / "e", export_files()), tmp_path / "s",
                             limits())
    manifest = tmp_path / "s" / "snapshots" / f"{snapshot.id}.json"
    manifest.chmod(0o644)
    manifest.write_bytes(manifest.read_bytes().replace(b"de_DE", b"fr_FR"))
    with pytest.raises(SnapshotCorrupted) as caught:
        load_snapshot(tmp_path / "s", snapshot.id)
    assert caught.value.diagnostic.code == c.CORRUPT_MANIFEST


def test_resolve_source_by_folder_zip_id_and_prefix(tmp_path: Path) -> None:
    files = export_files()
    store = tmp_path / "s"
    by_folder = resolve_source(str(write_folder(tmp_path / "e", files)), store, limits())
    by_zip = resolve_source(str(write_zip(tmp_path / "e.zip", files)), store, limits())
    assert by_folder.id == by_zip.id
    assert resolve_source(by_folder.id, store, limits()).id == by_folder.id
    assert resolve_source(by_folder.id[:8], store, limits()).id == by_folder.id
    assert resolve_source("sha256:" + by_folder.id[:10], store, limits()).id == by_folder.id
    with pytest.raises(UsageProblem, match="no snapshot with this id"):
        resolve_source("deadbeef", store, limits())


def test_ambiguous_prefix_is_a_usage_problem(tmp_path: Path) -> None:
    store = tmp_path / "s"
    ids = set()
    for n in range(17):  # 17 ids over 16 first hex digits: two share one
        files = export_files(exported_at=f"2026-11-{n % 28 + 1:02d}T00:00:{n:02d}Z")
        ids.add(take_snapshot(write_folder(tmp_path / f"e{n}", files), store, limits()).id)
    firsts = [i[:1] for i in ids]
    shared = next(f for f in firsts if firsts.count(f) > 1)
    with pytest.raises(UsageProblem, match="ambiguous"):
        load_snapshot(store, shared)


def test_refusal_leaves_an_existing_store_untouched(tmp_path: Path) -> None:
    store = tmp_path / "s"
    take_snapshot(write_folder(tmp_path / "good", export_files()), store, limits())
    before = tree(store)
    bad = export_files()
    bad[MASTER + ".extra"] = b"new bytes"  # a new object that must not be committed
    del bad["modules/file.json"]
    with pytest.raises(SnapshotRefused):
        take_snapshot(write_folder(tmp_path / "bad", bad), store, limits())
    assert tree(store) == before


def _master_check(reader: ExportReader) -> list[Diagnostic]:
    """A small stand-in for the lead's master check: every file object's sha256 field."""
    problems = []
    module = json.loads(reader.read_bytes("modules/file.json"))
    for index, obj in enumerate(module["result"]):
        master = f"files/{obj['id']}/{obj['file_name'][0]['value']}"
        expected = obj["sha256"][0]["value"]
        where = Location(file="modules/file.json", pointer=f"#/result/{index}")
        if not reader.exists(master):
            problems.append(error("E-TEST-MASTER-MISSING", f"{master} is missing",
                                  location=where, object_id=obj["id"]))
        elif reader.sha256(master) != expected or \
                hashlib.sha256(reader.read_bytes(master)).hexdigest() != expected:
            problems.append(error("E-TEST-MASTER-SHA256", f"{master} does not match",
                                  location=where, object_id=obj["id"]))
    return problems


def test_checks_run_on_the_staged_export_and_refuse(tmp_path: Path) -> None:
    files = export_files()
    files[MASTER] = b"not the logo the module describes"
    store = tmp_path / "s"
    with pytest.raises(SnapshotRefused) as caught:
        take_snapshot(write_folder(tmp_path / "e", files), store, limits(), [_master_check])
    assert [d.code for d in caught.value.report.errors] == ["E-TEST-MASTER-SHA256"]
    assert tree(store) == ["<absent>"]


def test_checks_pass_on_a_good_export_and_see_the_header(tmp_path: Path) -> None:
    seen: list[str] = []

    def header_check(reader: ExportReader) -> list[Diagnostic]:
        seen.append(str(reader.header["format"]))
        return []

    take_snapshot(write_folder(tmp_path / "e", export_files()), tmp_path / "s", limits(),
                  [_master_check, header_check])
    assert seen == ["4allportal-export/1"]


def test_check_diagnostics_join_entry_problems(tmp_path: Path) -> None:
    files = export_files()
    del files[MASTER]
    archive = write_zip(tmp_path / "e.zip", files)
    add_raw_entry(archive, "../escape", b"x")
    with pytest.raises(SnapshotRefused) as caught:
        take_snapshot(archive, tmp_path / "s", limits(), [_master_check])
    assert {d.code for d in caught.value.report.errors} == {
        c.ZIP_SLIP, "E-TEST-MASTER-MISSING"}


def test_large_masters_same_id_from_folder_stored_zip_and_deflated_zip(tmp_path: Path) -> None:
    import random
    import zipfile

    files = export_files()
    generator = random.Random(7)
    for n, size in enumerate((3 * (1 << 20), (1 << 20) * 2 + 12345, 1 << 20)):
        files[f"files/big-{n}/master.bin"] = generator.randbytes(size)
    store = tmp_path / "s"
    folder = take_snapshot(write_folder(tmp_path / "e", files), store, limits())
    stored = take_snapshot(write_zip(tmp_path / "s.zip", files, compression=zipfile.ZIP_STORED),
                           store, limits())
    deflated = take_snapshot(write_zip(tmp_path / "d.zip", files, top="export"), store,
                             limits())
    assert folder.id == stored.id == deflated.id
    for path, data in files.items():
        assert folder.read_bytes(path) == data


def test_refusal_removes_the_store_folders_it_created(tmp_path: Path) -> None:
    files = export_files()
    del files["export.json"]
    with pytest.raises(SnapshotRefused):
        take_snapshot(write_folder(tmp_path / "e", files), tmp_path / "build" / "snapshots",
                      limits())
    assert not (tmp_path / "build").exists()


def test_progress_reports_every_byte(tmp_path: Path) -> None:
    files = export_files()
    calls: list[tuple[int, int]] = []
    take_snapshot(write_folder(tmp_path / "e", files), tmp_path / "s", limits(),
                  progress=lambda done, total: calls.append((done, total)))
    total = sum(len(data) for data in files.values())
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_staging_left_by_a_killed_snapshot_is_removed_next_time(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    abandoned = tmp_path / "s" / "tmp" / "0123abcd"
    (abandoned / "objects").mkdir(parents=True)
    (abandoned / "objects" / "half-written").write_bytes(b"x" * 100)
    (abandoned / "owner.pid").write_text(f"{dead}\n")
    take_snapshot(write_folder(tmp_path / "e", export_files()), tmp_path / "s", limits())
    assert not (tmp_path / "s" / "tmp").exists()
