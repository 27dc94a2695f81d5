"""Versions, the ledger, the lock and crash safety of publish_release."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from compiler.package import (
    PackagingError,
    PreviousRelease,
    next_version,
    previous_release,
    publish_release,
    read_ledger,
)
from compiler.package.durable import TEMP_PREFIX
from compiler.package.ledger import line_sha256
from compiler.package.release import release_lock
from compiler.package.verify import verify_package
from tests.conftest import require_tool
from tests.package.conftest import build_spec


def test_rebuilding_a_version_with_identical_bytes_is_a_no_op(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = publish_release(out, build_spec(tmp_path / "a"))
    ledger_before = (out / "ledger.jsonl").read_bytes()
    again = publish_release(out, build_spec(tmp_path / "b"))
    assert again.unchanged and not first.unchanged
    assert again.sha256 == first.sha256 and again.ledger_entry is None
    assert (out / "ledger.jsonl").read_bytes() == ledger_before


def test_rebuilding_a_version_with_different_bytes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = publish_release(out, build_spec(tmp_path / "a"))
    archive_before = first.archive.read_bytes()
    with pytest.raises(PackagingError) as caught:
        publish_release(out, build_spec(tmp_path / "b", text="Geänderter Text."))
    message = str(caught.value)
    assert "E-PACKAGE-VERSION-EXISTS" in message and first.sha256 in message
    assert caught.value.exit_code == 1
    new_sha = message.split("new ")[1].split(")")[0]
    assert len(new_sha) == 64 and new_sha != first.sha256
    assert first.archive.read_bytes() == archive_before
    assert len(read_ledger(out).entries) == 1
    assert not list(out.glob(TEMP_PREFIX + "*"))


def test_next_version_counts_releases_in_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    assert next_version(out, "nordlicht", date(2026, 12, 1)) == "2026.12.1"
    first = publish_release(out, build_spec(tmp_path / "a"))
    assert next_version(out, "nordlicht", date(2026, 12, 15)) == "2026.12.2"
    assert next_version(out, "nordlicht", date(2027, 1, 2)) == "2027.01.1"
    assert next_version(out, "other", date(2026, 12, 1)) == "2026.12.1"
    # an earlier effective date never makes a version that goes backwards
    assert next_version(out, "nordlicht", date(2026, 11, 28)) == "2026.12.2"
    previous = previous_release(out, "nordlicht")
    assert previous == PreviousRelease("2026.12.1", first.sha256)
    assert previous_release(out, "nordlicht", "2026.12.1") is None  # rebuilding the first


def test_the_ledger_is_a_hash_chain_and_each_bag_names_its_predecessor(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = publish_release(out, build_spec(tmp_path / "a"))
    previous = previous_release(out, "nordlicht")
    second = publish_release(out, build_spec(tmp_path / "b", "2026.12.2", previous, text="Neu."))
    lines = (out / "ledger.jsonl").read_bytes().splitlines()
    entries = [json.loads(line) for line in lines]
    assert entries[0]["previous_line_sha256"] is None
    assert entries[1]["previous_line_sha256"] == line_sha256(lines[0])
    assert entries[1]["previous_archive_sha256"] == first.sha256
    assert entries[1]["archive_sha256"] == second.sha256
    assert set(entries[1]) == {"name", "version", "created", "archive", "archive_sha256",
                               "previous_archive_sha256", "previous_line_sha256"}
    assert verify_package(second.archive, check_ledger=True).ok


def test_a_bag_naming_the_wrong_predecessor_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    publish_release(out, build_spec(tmp_path / "a"))
    with pytest.raises(PackagingError, match="E-PACKAGE-PREVIOUS"):
        publish_release(out, build_spec(tmp_path / "b", "2026.12.2", None))


def test_a_second_build_into_a_locked_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    out.mkdir()
    with release_lock(out), pytest.raises(PackagingError, match="E-PACKAGE-LOCKED"):
        publish_release(out, build_spec(tmp_path / "a"))
    publish_release(out, build_spec(tmp_path / "a"))  # free again afterwards


def test_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    out.mkdir()
    stale = out / f"{TEMP_PREFIX}12345-nordlicht-2026.12.1.zip"
    stale.write_bytes(b"half an archive")
    publish_release(out, build_spec(tmp_path / "a"))
    assert not stale.exists()


def test_a_deleted_archive_is_restored_only_with_its_recorded_bytes(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = publish_release(out, build_spec(tmp_path / "a"))
    first.archive.unlink()
    with pytest.raises(PackagingError, match="recorded in the ledger"):
        publish_release(out, build_spec(tmp_path / "b", text="Anders."))
    restored = publish_release(out, build_spec(tmp_path / "c"))
    assert restored.sha256 == first.sha256 and restored.ledger_entry is None
    assert len(read_ledger(out).entries) == 1


def test_signing_writes_a_detached_signature(tmp_path: Path) -> None:
    from compiler.package.signing import generate_key_pair

    keys = generate_key_pair(tmp_path / "keys")
    assert oct(keys.private_key.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(Exception, match="refusing to overwrite"):
        generate_key_pair(tmp_path / "keys")
    spec = build_spec(tmp_path / "a")
    release = publish_release(tmp_path / "releases", replace(spec), sign_key=keys.private_key)
    assert release.signature is not None and len(release.signature.read_bytes()) == 64
    assert verify_package(release.archive, public_key=keys.public_key).ok
    assert os.environ.get("CPC_PACKAGE_CRASH_AT") is None


def test_the_signature_verifies_with_openssl_alone(tmp_path: Path) -> None:
    import subprocess

    from compiler.package.signing import generate_key_pair

    require_tool("openssl", "the signature is checked by a second implementation")
    keys = generate_key_pair(tmp_path / "keys")
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "a"),
                              sign_key=keys.private_key)
    assert release.signature is not None
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(keys.public_key),
               "-rawin", "-in", str(release.archive), "-sigfile", str(release.signature)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    release.signature.write_bytes(bytes(64))
    assert subprocess.run(command, capture_output=True).returncode != 0
