"""Two releases of the sample from two exports that differ as real ones do.

Between the exports: a disclaimer reworded (de_DE), a fee changed in en_GB only, an
image replaced, a product withdrawn, an offer expired, a block's approval revoked. The
second release's audit manifest, `cpc diff` and `cpc audit` must say exactly that.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from compiler.resources import sample_exstream_data
from tests.build.conftest import Run, SampleBuild, cpc
from tests.build.exports import EditableExport
from tests.conftest import require_tool

IMAGE = "hausrat-wohnzimmer-1a3f40bf"
CHANGED = {"DISC-HOME-EXCESS", "FEE-HOME-PLUS", IMAGE}
REMOVED = {"LIAB-DOG": None, "OFF-MOTOR-EV-SWITCH": "expired", "TERMS-PRIVACY": "not_approved"}
CHROMIUM = Path("/usr/bin/chromium")


def _second_export(folder: Path) -> EditableExport:
    export = EditableExport(folder)
    export.set_exported_at("2026-12-01T08:00:00Z")
    old = export.text_of("text_block", "key", "DISC-HOME-EXCESS", "body", "de_DE")
    export.set_field("text_block", "key", "DISC-HOME-EXCESS", "body",
                     old.replace("</p>", " Die Selbstbeteiligung gilt je Schadenfall.</p>", 1),
                     "de_DE")
    fee = export.text_of("text_block", "key", "FEE-HOME-PLUS", "body", "en_GB")
    assert "89" in fee or "£" in fee or "€" in fee
    export.set_field("text_block", "key", "FEE-HOME-PLUS", "body", fee + "<p>From 2027: £94.</p>",
                     "en_GB")
    export.replace_master(IMAGE)
    export.remove("product", "sku", "LIAB-DOG")
    export.set_offer_field("OFF-MOTOR-EV-SWITCH", "valid_until", "2026-11-27")
    export.set_field("text_block", "key", "TERMS-PRIVACY", "approval_status", "draft")
    return export


@pytest.fixture(scope="module")
def releases(sample_build: SampleBuild, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, Path, Run]:
    work = tmp_path_factory.mktemp("two")
    out = work / "build"
    shutil.copytree(sample_build.out / "cache", out / "cache")
    first = cpc("build", "--out", str(out), cwd=work)
    assert first.code == 0, first.stderr
    export = _second_export(work / "export-v2")
    second = cpc("build", str(export.folder), "--out", str(out), "--effective-date",
                 "2026-11-28", "--exstream-data", str(sample_exstream_data()), cwd=work)
    assert second.code == 0, second.stderr
    return work / Path(first.lines[0]), work / Path(second.lines[0]), second


def _manifest(archive: Path) -> dict[str, Any]:
    with zipfile.ZipFile(archive) as z:
        top = archive.name.removesuffix(".zip")
        return json.loads(z.read(f"{top}/audit/audit-manifest.json"))  # type: ignore[no-any-return]


def test_the_manifest_records_exactly_the_changes(releases: tuple[Path, Path, Run]) -> None:
    first, second, run = releases
    manifest = _manifest(second)
    changes = manifest["changes"]
    assert changes["added"] == []
    assert {c["key"] for c in changes["changed"]} == CHANGED
    by_key = {c["key"]: c for c in changes["changed"]}
    assert {f["field"]: f["locales"] for f in by_key["DISC-HOME-EXCESS"]["fields"]} == {
        "body": ["de_DE"]}
    assert {f["field"]: f["locales"] for f in by_key["FEE-HOME-PLUS"]["fields"]} == {
        "body": ["en_GB"]}
    assert {f["field"] for f in by_key[IMAGE]["fields"]} >= {"sha256", "size"}
    assert "RENEWAL_LETTER_HOME" in by_key["DISC-HOME-EXCESS"]["templates"]
    assert "RENEWAL_LETTER_HOME" in by_key["FEE-HOME-PLUS"]["templates"]
    removed = {r["key"]: (r.get("excluded") or {}).get("reason") for r in changes["removed"]}
    assert removed == REMOVED
    assert run.lines[2].endswith("changes: 0 added, 3 changed, 3 removed")
    excluded = {e["key"]: e["reason"] for e in manifest["excluded"]}
    assert excluded["OFF-MOTOR-EV-SWITCH"] == "expired"
    assert excluded["TERMS-PRIVACY"] == "not_approved"
    previous = manifest["release"]["previous"]
    assert previous["version"] == "2026.11.1"
    assert previous["archive_sha256"] == (first.parent / f"{first.name}.sha256").read_text(
    ).split()[0]
    unchanged = [i["key"] for i in manifest["items"] if i["change"] == "unchanged"]
    assert "HOME-BASIC" in unchanged and "DISC-GENERAL" in unchanged


def test_cpc_diff_shows_the_same(releases: tuple[Path, Path, Run], tmp_path: Path) -> None:
    first, second, _ = releases
    text = cpc("diff", str(first), str(second), cwd=tmp_path)
    assert text.code == 0, text.stderr
    for key in [*CHANGED, *REMOVED]:
        assert key in text.stdout
    assert "RENEWAL_LETTER_HOME" in text.stdout
    as_json = cpc("diff", str(first), str(second), "--format", "json", cwd=tmp_path)
    data = json.loads(as_json.stdout)
    assert {c["key"] for c in data["changed"]} == CHANGED
    assert {r["key"] for r in data["removed"]} == set(REMOVED)


def test_bag_info_names_its_predecessor(releases: tuple[Path, Path, Run]) -> None:
    first, second, _ = releases
    with zipfile.ZipFile(second) as z:
        info = z.read(f"{second.name.removesuffix('.zip')}/bag-info.txt").decode()
    digest = (first.parent / f"{first.name}.sha256").read_text().split()[0]
    assert "Cpc-Previous-Version: 2026.11.1\n" in info
    assert f"Cpc-Previous-Archive-Sha256: {digest}\n" in info
    verified = cpc("verify", str(second), "--ledger", cwd=second.parent)
    assert verified.code == 0, verified.stdout


@pytest.mark.browser
def test_the_report_shows_the_changes_in_a_browser(releases: tuple[Path, Path, Run],
                                                   tmp_path: Path) -> None:
    require_tool(CHROMIUM, "the report is checked in a real browser")
    _, second, _ = releases
    page = tmp_path / "report.html"
    written = cpc("audit", str(second), "--html", str(page), cwd=tmp_path)
    assert written.code == 0, written.stderr
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom_text = subprocess.run([str(CHROMIUM), *flags, "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120, check=True).stdout
    dom = lxml.html.document_fromstring(dom_text)
    rows = [r.text_content() for r in dom.xpath("//section[@id='changes']//tbody/tr")]
    for key in [*CHANGED, *REMOVED]:
        assert any(key in row for row in rows), key
    assert dom.xpath("//script") == []
    shot = Path(__file__).resolve().parents[2] / "build" / "audit-report-two-releases.png"
    shot.parent.mkdir(exist_ok=True)
    subprocess.run([str(CHROMIUM), *flags, f"--screenshot={shot}", "--window-size=1280,2400",
                    "--hide-scrollbars", page.as_uri()], capture_output=True, timeout=120,
                   check=True)
