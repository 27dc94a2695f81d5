"""`verify_package` on real packages: a clean one passes every check; each tampering is
caught by the check that owns it, naming the file."""

from __future__ import annotations

import hashlib
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from compiler.package import PublishedRelease, publish_release
from compiler.package.signing import generate_key_pair
from compiler.package.verify import CheckStatus, VerificationReport, verify_package
from tests.package.conftest import (
    build_spec,
    flip_byte,
    read_entries,
    refresh_tag_manifest,
    replace_entry,
    write_entries,
)

TOP = "nordlicht-2026.12.1"


@pytest.fixture
def published(tmp_path: Path) -> PublishedRelease:
    return publish_release(tmp_path / "releases", build_spec(tmp_path / "inputs"))


def failed(report: VerificationReport) -> dict[str, list[str]]:
    """Failed check name -> the diagnostics' one-line forms."""
    return {c.name: [p.format() for p in c.problems] for c in report.checks
            if c.status is CheckStatus.FAILED}


def only_failure(report: VerificationReport, check: str, file: str, code: str) -> None:
    """Exactly ``check`` failed, with a diagnostic of ``code`` naming ``file``."""
    failures = failed(report)
    assert set(failures) == {check}, failures
    assert any(file in line and code in line for line in failures[check]), failures[check]
    assert file in report.failing_files()


def test_a_clean_package_passes_every_check(published: PublishedRelease) -> None:
    report = verify_package(published.archive, check_ledger=True)
    assert report.ok, failed(report)
    assert [c.name for c in report.checks] == [
        "archive-sha256", "zip-entries", "bagit-txt", "bag-info", "payload-oxum",
        "payload-manifest", "tag-manifest", "index-schema", "index-paths", "audit-schema",
        "ledger"]
    assert report.archive_sha256 == published.sha256


def test_flipped_byte_in_a_payload_file(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    name = f"{TOP}/data/documents/brochure-9f8e7d6c.pdf"
    content = dict((i.filename, c) for i, c in entries)[name]
    write_entries(published.archive, replace_entry(entries, name, flip_byte(content, 5000)))
    report = verify_package(published.archive)
    failures = failed(report)
    assert set(failures) == {"payload-manifest", "index-paths"}, failures
    assert any("data/documents/brochure-9f8e7d6c.pdf" in line and "E-VERIFY-CHECKSUM" in line
               for line in failures["payload-manifest"])
    assert any("E-VERIFY-INDEX-PATH" in line for line in failures["index-paths"])
    # The altered file is named; index.xml, which only disagrees with it, is not.
    assert report.differing_files() == ["data/documents/brochure-9f8e7d6c.pdf"]


def test_flipped_byte_in_a_tag_file(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    name = f"{TOP}/audit/audit-report.html"
    content = dict((i.filename, c) for i, c in entries)[name]
    write_entries(published.archive, replace_entry(entries, name, flip_byte(content, 3)))
    only_failure(verify_package(published.archive), "tag-manifest", "audit/audit-report.html",
                 "E-VERIFY-CHECKSUM")


def test_flipped_byte_in_index_xml(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    name = f"{TOP}/data/index.xml"
    content = dict((i.filename, c) for i, c in entries)[name]
    at = content.index(b'sha256="') + 8
    tampered = content[:at] + (b"0" if content[at:at + 1] != b"0" else b"1") + content[at + 1:]
    write_entries(published.archive, replace_entry(entries, name, tampered))
    report = verify_package(published.archive)
    failures = failed(report)
    assert set(failures) == {"payload-manifest", "index-paths"}, failures
    assert any("data/index.xml" in line and "E-VERIFY-CHECKSUM" in line
               for line in failures["payload-manifest"])
    # index.xml was altered, not the file its changed line names.
    assert report.differing_files() == ["data/index.xml"]


def test_a_file_added(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    extra = zipfile.ZipInfo(f"{TOP}/data/content/smuggled.txt", date_time=(2026, 12, 1, 0, 0, 0))
    write_entries(published.archive, [*entries, (extra, b"not released\n")])
    report = verify_package(published.archive)
    failures = failed(report)
    assert set(failures) == {"payload-manifest", "payload-oxum"}, failures
    assert any("data/content/smuggled.txt" in line and "E-VERIFY-UNLISTED" in line
               for line in failures["payload-manifest"])


def test_a_file_removed(published: PublishedRelease) -> None:
    entries = [e for e in read_entries(published.archive)
               if not e[0].filename.endswith("data/content/disc-home/de.txt")]
    write_entries(published.archive, entries)
    report = verify_package(published.archive)
    failures = failed(report)
    assert set(failures) == {"payload-manifest", "payload-oxum", "index-paths"}, failures
    assert any("data/content/disc-home/de.txt" in line and "E-VERIFY-MISSING" in line
               for line in failures["payload-manifest"])
    assert report.differing_files() == ["data/content/disc-home/de.txt"]


def test_a_file_renamed(published: PublishedRelease) -> None:
    renamed = []
    for info, content in read_entries(published.archive):
        if info.filename.endswith("data/content/off-tg/de.txt"):
            info = zipfile.ZipInfo(info.filename.replace("de.txt", "en.txt"), info.date_time)
        renamed.append((info, content))
    write_entries(published.archive, renamed)
    failures = failed(verify_package(published.archive))
    assert set(failures) == {"payload-manifest", "index-paths"}, failures
    joined = "\n".join(failures["payload-manifest"])
    assert "E-VERIFY-MISSING" in joined and "data/content/off-tg/de.txt" in joined
    assert "E-VERIFY-UNLISTED" in joined and "data/content/off-tg/en.txt" in joined


def test_an_unlisted_tag_file(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    extra = zipfile.ZipInfo(f"{TOP}/audit/notes.txt", date_time=(2026, 12, 1, 0, 0, 0))
    write_entries(published.archive, [*entries, (extra, b"unlisted\n")])
    only_failure(verify_package(published.archive), "tag-manifest", "audit/notes.txt",
                 "E-VERIFY-UNLISTED")


def test_a_symlink_entry(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    link = zipfile.ZipInfo(f"{TOP}/data/link", date_time=(2026, 12, 1, 0, 0, 0))
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    write_entries(published.archive, [*entries, (link, b"/etc/passwd")])
    report = verify_package(published.archive)
    assert "zip-entries" in failed(report)
    assert any("data/link" in line and "E-VERIFY-SYMLINK" in line
               for line in failed(report)["zip-entries"])


@pytest.mark.parametrize("name", ["nordlicht-2026.12.1/../evil.txt", "/etc/evil.txt",
                                  "nordlicht-2026.12.1/data\\evil.txt"])
def test_an_unsafe_entry_path(published: PublishedRelease, name: str) -> None:
    entries = read_entries(published.archive)
    write_entries(published.archive, [*entries, (zipfile.ZipInfo(name), b"x")])
    lines = failed(verify_package(published.archive))["zip-entries"]
    assert any(name in line and "E-VERIFY-UNSAFE-PATH" in line for line in lines), lines


def test_a_case_colliding_entry(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    twin = zipfile.ZipInfo(f"{TOP}/data/INDEX.xml", date_time=(2026, 12, 1, 0, 0, 0))
    write_entries(published.archive, [*entries, (twin, b"<x/>")])
    lines = failed(verify_package(published.archive))["zip-entries"]
    assert any("data/INDEX.xml" in line and "E-VERIFY-DUPLICATE" in line for line in lines)


def test_a_wrong_sha256_file(published: PublishedRelease) -> None:
    published.sha256_file.write_text(f"{'0' * 64}  {published.archive.name}\n")
    only_failure(verify_package(published.archive), "archive-sha256", published.archive.name,
                 "E-VERIFY-ARCHIVE-SHA256")


def test_a_wrong_payload_oxum(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    name = f"{TOP}/bag-info.txt"
    info_text = dict((i.filename, c) for i, c in entries)[name].decode()
    oxum = next(line for line in info_text.splitlines() if line.startswith("Payload-Oxum"))
    octets, files = oxum.split(": ")[1].split(".")
    tampered = info_text.replace(oxum, f"Payload-Oxum: {int(octets) + 1}.{files}").encode()
    write_entries(published.archive, refresh_tag_manifest(replace_entry(entries, name, tampered)))
    only_failure(verify_package(published.archive), "payload-oxum", "bag-info.txt",
                 "E-VERIFY-PAYLOAD-OXUM")


def test_a_wrong_signature(tmp_path: Path) -> None:
    keys = generate_key_pair(tmp_path / "keys")
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"),
                              sign_key=keys.private_key)
    assert release.signature is not None
    assert verify_package(release.archive, public_key=keys.public_key).ok
    other = generate_key_pair(tmp_path / "other")
    only_failure(verify_package(release.archive, public_key=other.public_key), "signature",
                 release.signature.name, "E-VERIFY-SIGNATURE")
    signature = release.signature.read_bytes()
    release.signature.write_bytes(flip_byte(signature, 7))
    only_failure(verify_package(release.archive, public_key=keys.public_key), "signature",
                 release.signature.name, "E-VERIFY-SIGNATURE")


def test_a_broken_ledger_chain(tmp_path: Path) -> None:
    out = tmp_path / "releases"
    first = publish_release(out, build_spec(tmp_path / "a"))
    second = publish_release(out, build_spec(tmp_path / "b", "2026.12.2", _previous(first),
                                             text="Neu."))
    assert verify_package(second.archive, check_ledger=True).ok
    ledger = out / "ledger.jsonl"
    lines = ledger.read_bytes().splitlines(keepends=True)
    lines[0] = lines[0].replace(b'"created":"', b'"created":"1')
    ledger.write_bytes(b"".join(lines))
    report = verify_package(second.archive, check_ledger=True)
    only_failure(report, "ledger", "ledger.jsonl", "E-VERIFY-LEDGER")
    assert any("broken chain" in line for line in failed(report)["ledger"])


def test_a_package_missing_from_the_ledger(tmp_path: Path) -> None:
    first = publish_release(tmp_path / "releases", build_spec(tmp_path / "a"))
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    for path in (first.archive, first.sha256_file):
        shutil.copy(path, copy / path.name)
    report = verify_package(copy / first.archive.name, check_ledger=True)
    only_failure(report, "ledger", "ledger.jsonl", "E-VERIFY-LEDGER")


def test_not_a_zip(tmp_path: Path) -> None:
    package = tmp_path / "nordlicht-2026.12.1.zip"
    package.write_bytes(b"PK\x03\x04 this is not a zip")
    digest = hashlib.sha256(package.read_bytes()).hexdigest()
    (tmp_path / f"{package.name}.sha256").write_text(f"{digest}  {package.name}\n")
    report = verify_package(package)
    assert not report.ok
    assert "zip-entries" in failed(report)
    assert report.check("archive-sha256").status is CheckStatus.PASSED


def _previous(release: PublishedRelease):  # type: ignore[no-untyped-def]
    from compiler.package import PreviousRelease

    return PreviousRelease(release.archive.name.removesuffix(".zip").split("-", 1)[1],
                           release.sha256)


def test_a_bag_info_without_a_required_field(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    name = f"{TOP}/bag-info.txt"
    text = dict((i.filename, c) for i, c in entries)[name].decode()
    tampered = "".join(line for line in text.splitlines(keepends=True)
                       if not line.startswith("Cpc-Snapshot-Id")).encode()
    write_entries(published.archive, refresh_tag_manifest(replace_entry(entries, name, tampered)))
    report = verify_package(published.archive)
    only_failure(report, "bag-info", "bag-info.txt", "E-VERIFY-BAG-INFO")
    assert "Cpc-Snapshot-Id must appear once" in failed(report)["bag-info"][0]


def test_an_audit_manifest_breaking_its_schema(published: PublishedRelease) -> None:
    entries = read_entries(published.archive)
    tampered = refresh_tag_manifest(replace_entry(entries, "audit/audit-manifest.json",
                                                  b'{"format": "something else"}'))
    write_entries(published.archive, tampered)
    only_failure(verify_package(published.archive), "audit-schema", "audit/audit-manifest.json",
                 "E-VERIFY-AUDIT-SCHEMA")


def test_the_audit_check_is_skipped_never_passed_without_its_schema(
        published: PublishedRelease, monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.package.bag_checks as bag_checks

    monkeypatch.setattr(bag_checks, "audit_schema_file", lambda: None)  # as before it landed
    report = verify_package(published.archive)
    check = report.check("audit-schema")
    assert check.status is CheckStatus.SKIPPED and "NOT checked" in check.reason
    assert report.ok


def test_an_index_breaking_its_schema(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    entries = read_entries(release.archive)
    name = f"{TOP}/data/index.xml"
    index = dict((i.filename, c) for i, c in entries)[name]
    tampered = index.replace(b'regulated="true"', b'regulated="yess"')  # same length
    manifest_name = f"{TOP}/manifest-sha256.txt"
    manifest = dict((i.filename, c) for i, c in entries)[manifest_name].decode()
    manifest = manifest.replace(hashlib.sha256(index).hexdigest(),
                                hashlib.sha256(tampered).hexdigest())
    entries = replace_entry(replace_entry(entries, name, tampered), manifest_name,
                            manifest.encode())
    write_entries(release.archive, refresh_tag_manifest(entries))
    report = verify_package(release.archive)
    only_failure(report, "index-schema", "data/index.xml", "E-VERIFY-INDEX-SCHEMA")
    assert "yess" in failed(report)["index-schema"][0]
