"""`cpc build` end to end: the sample, determinism, versions, refusals, signatures."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import zipfile
from pathlib import Path

import bagit

from tests.build.conftest import SampleBuild, cpc
from tests.build.exports import EditableExport


def test_cpc_build_without_source_builds_the_sample(sample_build: SampleBuild) -> None:
    run = sample_build.run
    archive = sample_build.archive
    assert archive == sample_build.out / "releases" / "content-2026.11.1.zip"
    assert archive.is_file()
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert sample_build.sha256 == digest
    assert (archive.parent / f"{archive.name}.sha256").read_text() == f"{digest}  {archive.name}\n"
    assert run.lines[2].startswith("released 100, excluded 5, warnings ")
    assert run.lines[2].endswith("changes: 100 added, 0 changed, 0 removed")
    assert "0 errors" in run.stderr


def test_the_release_passes_cpc_verify_and_bagit(sample_build: SampleBuild,
                                                 tmp_path: Path) -> None:
    verified = cpc("verify", str(sample_build.archive), "--ledger", cwd=tmp_path)
    assert verified.code == 0, verified.stdout + verified.stderr
    with zipfile.ZipFile(sample_build.archive) as archive:
        archive.extractall(tmp_path)
    bag = bagit.Bag(str(tmp_path / "content-2026.11.1"))
    bag.validate()  # raises BagValidationError on any problem
    assert bag.info["External-Identifier"] == "urn:cpc:content:2026.11.1"


def test_two_builds_in_different_folders_at_different_times_are_identical(
        sample_build: SampleBuild, warm_out: Path) -> None:
    time.sleep(1.1)  # a different wall-clock second must not matter
    run = cpc("build", "--out", str(warm_out), cwd=warm_out.parent)
    assert run.code == 0, run.stderr
    assert run.lines[1] == sample_build.run.lines[1]
    assert Path(run.lines[0]).read_bytes() == sample_build.archive.read_bytes()


def test_a_zip_of_the_export_builds_the_same_release(sample_build: SampleBuild,
                                                     warm_out: Path, tmp_path: Path) -> None:
    export = EditableExport(tmp_path / "nordlicht")
    zipped = shutil.make_archive(str(tmp_path / "export"), "zip", tmp_path, "nordlicht")
    run = cpc("build", zipped, "--out", str(warm_out),
              "--exstream-data", str(Path(export.folder).parents[0] / "missing"),
              cwd=tmp_path)
    assert run.code == 2  # a missing Exstream data folder is a usage error
    from compiler.resources import sample_exstream_data

    run = cpc("build", zipped, "--out", str(warm_out), "--exstream-data",
              str(sample_exstream_data()), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.lines[1] == sample_build.run.lines[1]


def test_source_date_epoch_sets_every_timestamp(warm_out: Path) -> None:
    epoch = 1767225600  # 2026-01-01T00:00:00Z
    run = cpc("build", "--out", str(warm_out), cwd=warm_out.parent,
              env={"SOURCE_DATE_EPOCH": str(epoch)})
    assert run.code == 0, run.stderr
    with zipfile.ZipFile(run.lines[0]) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        manifest = archive.read("content-2026.11.1/audit/audit-manifest.json").decode()
        info = archive.read("content-2026.11.1/bag-info.txt").decode()
    assert stamps == {(2026, 1, 1, 0, 0, 0)}
    assert '"created": "2026-01-01T00:00:00Z"' in manifest
    # timestamps move; the date that decided validity does not
    assert "Cpc-Effective-Date: 2026-11-28\n" in info and "Bagging-Date: 2026-01-01\n" in info


def test_an_existing_version_is_a_no_op_or_refused(warm_out: Path, tmp_path: Path) -> None:
    first = cpc("build", "--out", str(warm_out), "--version", "2026.11.7", cwd=tmp_path)
    assert first.code == 0, first.stderr
    ledger = (warm_out / "releases" / "ledger.jsonl").read_bytes()
    again = cpc("build", "--out", str(warm_out), "--version", "2026.11.7", cwd=tmp_path)
    assert again.code == 0, again.stderr
    assert "already exists with identical content" in again.stderr
    assert (warm_out / "releases" / "ledger.jsonl").read_bytes() == ledger

    export = EditableExport(tmp_path / "changed")
    export.set_field("text_block", "key", "DISC-GENERAL", "body", "<p>Neu formuliert.</p>",
                     "de_DE")
    changed = cpc("build", str(export.folder), "--out", str(warm_out), "--version", "2026.11.7",
                  cwd=tmp_path)
    assert changed.code == 1
    assert "\nerror E-PACKAGE-VERSION-EXISTS " in "\n" + changed.stderr
    assert "Error: the release was not written (1 error" in changed.stderr
    assert "Error: error" not in changed.stderr
    assert (warm_out / "releases" / "ledger.jsonl").read_bytes() == ledger


def test_a_product_needing_a_draft_disclaimer_stops_the_build(warm_out: Path,
                                                              tmp_path: Path) -> None:
    export = EditableExport(tmp_path / "draft")
    export.set_field("text_block", "key", "DISC-HOME-EXCESS", "approval_status", "draft")
    run = cpc("build", str(export.folder), "--out", str(warm_out), cwd=tmp_path)
    assert run.code == 1
    assert "E-NEEDS-EXCLUDED" in run.stderr and "DISC-HOME-EXCESS" in run.stderr
    assert "HOME-BASIC" in run.stderr and "HOME-PLUS" in run.stderr
    assert "nothing was written" in run.stderr
    assert not (warm_out / "releases").exists()
    assert not list((warm_out / "snapshots").rglob("*.json"))  # nothing reached the store

    (tmp_path / "cpc.toml").write_text('[release]\ndependants = "exclude"\n', encoding="utf-8")
    run = cpc("build", str(export.folder), "--out", str(warm_out), cwd=tmp_path)
    assert run.code == 0, run.stderr
    with zipfile.ZipFile(run.lines[0]) as archive:
        manifest = archive.read("content-2026.11.1/audit/audit-manifest.json").decode()
    assert '"reason": "dependency_excluded"' in manifest


def test_strict_turns_warnings_into_a_refusal(warm_out: Path) -> None:
    run = cpc("build", "--out", str(warm_out), "--strict", cwd=warm_out.parent)
    assert run.code == 1
    assert "under --strict" in run.stderr
    assert not list((warm_out / "releases").glob("*.zip")) if (
        warm_out / "releases").exists() else True


def test_a_signed_release_verifies_with_its_public_key(warm_out: Path, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    made = cpc("keygen", str(keys), cwd=tmp_path)
    assert made.code == 0, made.stderr
    private, public = keys / "cpc-release.key", keys / "cpc-release.pub"
    run = cpc("build", "--out", str(warm_out), "--sign-key", str(private), cwd=tmp_path)
    assert run.code == 0, run.stderr
    archive = Path(run.lines[0])
    assert Path(f"{archive}.sig").is_file()
    assert cpc("verify", str(archive), "--public-key", str(public), cwd=tmp_path).code == 0
    signature = Path(f"{archive}.sig")
    signature.write_bytes(bytes([signature.read_bytes()[0] ^ 1]) + signature.read_bytes()[1:])
    refused = cpc("verify", str(archive), "--public-key", str(public), cwd=tmp_path)
    assert refused.code == 1


def test_nothing_is_written_outside_out(warm_out: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    run = cpc("build", "--out", str(warm_out), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sorted(p.name for p in warm_out.iterdir()) == ["cache", "releases", "snapshots"]
    assert os.listdir(warm_out / "releases")


def test_script_in_rich_text_keeps_the_block_out(warm_out: Path, tmp_path: Path) -> None:
    export = EditableExport(tmp_path / "hostile")
    export.set_field("text_block", "key", "TERMS-PRIVACY", "body",
                     "<p>Datenschutz</p><script>alert(1)</script>", "de_DE")
    from compiler.resources import sample_exstream_data

    run = cpc("build", str(export.folder), "--out", str(warm_out), "--exstream-data",
              str(sample_exstream_data()), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "(TERMS-PRIVACY): E-EXM-ACTIVE-ELEMENT [de_DE]: <script> is active content" \
        in run.stderr
    # The template that pulls the block is told it gets nothing for it.
    assert ("warning W-TEMPLATE-CONTENT-MISSING template-usage.json#/7/uses/2 (TERMS-PRIVACY) "
            "[mobile]: template APP_ONBOARDING uses TERMS-PRIVACY, which is excluded "
            "(invalid: E-EXM-ACTIVE-ELEMENT") in run.stderr
    with zipfile.ZipFile(run.lines[0]) as archive:
        names = archive.namelist()
        manifest = archive.read("content-2026.11.1/audit/audit-manifest.json").decode()
        assert not any(b"<script" in archive.read(n) for n in names if "/data/content/" in n)
    assert not any("/TERMS-PRIVACY/" in n for n in names)
    assert '"reason": "invalid"' in manifest

    export.set_field("text_block", "key", "DISC-HOME-EXCESS", "body",
                     '<p onclick="steal()">Selbstbeteiligung</p>', "de_DE")
    run = cpc("build", str(export.folder), "--out", str(warm_out), cwd=tmp_path)
    assert run.code == 1
    assert "E-EXM-EVENT-HANDLER" in run.stderr and "E-NEEDS-EXCLUDED" in run.stderr


def test_previous_package_can_be_named(sample_build: SampleBuild, warm_out: Path,
                                       tmp_path: Path) -> None:
    run = cpc("build", "--out", str(warm_out), "--version", "2026.11.2", "--previous",
              str(sample_build.archive), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.lines[2].endswith("changes: 0 added, 0 changed, 0 removed")
    with zipfile.ZipFile(run.lines[0]) as archive:
        info = archive.read("content-2026.11.2/bag-info.txt").decode()
    assert "Cpc-Previous-Version: 2026.11.1\n" in info
    assert f"Cpc-Previous-Archive-Sha256: {sample_build.sha256}\n" in info


def test_the_index_lists_every_kit_and_the_manifest_every_warning(
        sample_build: SampleBuild) -> None:
    import json

    from lxml import etree

    with zipfile.ZipFile(sample_build.archive) as archive:
        index = etree.fromstring(archive.read("content-2026.11.1/data/index.xml"))
        kits = etree.fromstring(archive.read("content-2026.11.1/data/kits.xml"))
        manifest = json.loads(archive.read("content-2026.11.1/audit/audit-manifest.json"))
    ns = {"i": "urn:cpc:index:1", "k": "urn:cpc:kits:1"}
    in_index = {(k.get("product"), k.get("locale")) for k in index.iterfind(".//i:kit", ns)}
    in_kits = {(k.get("product"), k.get("locale")) for k in kits.iterfind(".//k:kit", ns)}
    assert in_index == in_kits and len(in_index) == 26
    validation = next(c for c in manifest["checks"] if c["name"] == "validation")
    assert "6 warnings" in validation["detail"] or "warning" in validation["outcome"]
    by_key = {i["key"]: i for i in manifest["items"]}
    codes = {t["code"] for t in by_key["chelsea-die-katze-b7f914c3"]["transformations"]}
    assert "W-PRINT-RESOLUTION" in codes
    # Every build warning is in the manifest: on its item, or as a release finding.
    warnings = int(validation["detail"].split(", ")[1].split()[0])
    assert manifest["summary"]["warnings"] == warnings == 119
    assert [f["code"] for f in manifest["findings"]] == ["W-OFFER-UNCOVERED"]
    # template-usage.json names the home banner only in RENEWAL_EMAIL_HOME, but the
    # print letter pulls OFF-HOME-UPGRADE, which shows that banner: it is affected too.
    assert by_key["banner-hausrat-809eb0f0"]["used_by"] == [
        "RENEWAL_EMAIL_HOME", "RENEWAL_LETTER_HOME"]


def test_a_bad_version_is_a_usage_error(tmp_path: Path) -> None:
    run = cpc("build", "--version", "../../evil", "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert run.code == 2 and "--version" in run.stderr
    assert not (tmp_path / "b").exists()


def test_an_unknown_offer_fallback_stops_before_rendering(tmp_path: Path) -> None:
    (tmp_path / "cpc.toml").write_text('[offers]\nfallback = "OFF-NOPE"\n', encoding="utf-8")
    run = cpc("build", "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert run.code == 1
    assert "error E-OFFER-FALLBACK-UNKNOWN " in run.stderr
    assert "cpc.toml [offers.fallback]: offers.fallback names offer 'OFF-NOPE'" in run.stderr
    assert not (tmp_path / "b" / "cache").exists()  # nothing was rendered
    (tmp_path / "cpc.toml").write_text('[offers]\nfallback = "OFF-WELCOME-APP"\n',
                                       encoding="utf-8")
    run = cpc("build", "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert run.code == 0, run.stderr
    with zipfile.ZipFile(tmp_path / run.lines[0]) as archive:
        offers = archive.read("content-2026.11.1/data/offers.xml").decode()
    assert 'fallback="OFF-WELCOME-APP"' in offers


def test_a_sign_key_that_is_not_one_is_refused_before_any_work(tmp_path: Path) -> None:
    not_a_key = tmp_path / "export.json"
    not_a_key.write_text("{}", encoding="utf-8")
    run = cpc("build", "--out", str(tmp_path / "out"), "--sign-key", str(not_a_key),
              cwd=tmp_path)
    assert run.code == 2, run.stderr
    assert "not a readable, unencrypted PEM private key" in run.stderr
    assert not (tmp_path / "out").exists()  # no snapshot, no renders, nothing
