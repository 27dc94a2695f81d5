"""The report in a real browser: headless Chromium renders it, and we read the DOM it built.

Skipped only when Chromium is not installed (`.ci/run` installs it). The screenshot
goes to build/audit-report.png for people to look at.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from compiler.audit import neutralise, render_report
from tests.audit.conftest import HOSTILE
from tests.audit.releases import two_manifests
from tests.conftest import require_tool

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = Path(__file__).resolve().parents[2] / "build" / "audit-report.png"
# A payload that would leave a trace in the DOM if any script ran.
TRACE = "<script>document.body.setAttribute('data-pwned', '1')</script>"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser]


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    require_tool(CHROMIUM, "the report is checked in a real browser")


def _chromium(profile: Path, *args: str) -> str:
    done = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _render(manifest: dict[str, Any], tmp_path: Path, name: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_bytes(render_report(manifest))
    return page


@pytest.fixture(scope="module")
def manifests() -> tuple[dict[str, Any], dict[str, Any]]:
    first, second = two_manifests()
    second["items"][0]["title"] = {"*": TRACE}
    return first, second


def test_browser_shows_changes_and_summary(manifests: tuple[dict[str, Any], dict[str, Any]],
                                           tmp_path: Path) -> None:
    page = _render(manifests[1], tmp_path, "second")
    dom = lxml.html.document_fromstring(_chromium(tmp_path / "profile", "--dump-dom",
                                                  page.as_uri()))
    assert dom.xpath("string(//*[@id='released-total'])") == "4"
    rows = [r.text_content() for r in dom.xpath("//section[@id='changes']//tbody/tr")]
    assert len(rows) == 6
    assert any("FEE-HOME-PLUS" in r and "en_GB" in r and "WELCOME_EMAIL" in r for r in rows)
    assert any("DESC-HOSTILE" in r and "not_approved" in r for r in rows)
    assert dom.xpath("//body/@data-pwned") == [] and dom.xpath("//script") == []
    assert TRACE in dom.text_content()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    _chromium(tmp_path / "profile", f"--screenshot={SCREENSHOT}", "--window-size=1280,2000",
              "--hide-scrollbars", page.as_uri())
    assert SCREENSHOT.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_browser_shows_hostile_title_as_text(manifests: tuple[dict[str, Any], dict[str, Any]],
                                             tmp_path: Path) -> None:
    page = _render(manifests[0], tmp_path, "first")
    dom = lxml.html.document_fromstring(_chromium(tmp_path / "profile", "--dump-dom",
                                                  page.as_uri()))
    assert dom.xpath("//script | //img") == []
    assert dom.xpath("//@*[starts-with(name(), 'on')]") == []
    assert neutralise(HOSTILE) in dom.text_content()
    assert "\u202e" not in dom.text_content()
