"""The code stays linted (ruff) and typed (mypy --strict): CI runs both through pytest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=CHECKOUT, capture_output=True, text=True, timeout=600,
                          check=False)


def test_ruff_finds_nothing() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    done = _run(ruff, "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing() -> None:
    done = _run(sys.executable, "-m", "mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_missing_tool_fails_where_ci_promises_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import require_tool

    monkeypatch.setenv("CPC_REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="should have installed it"):
        require_tool("/nonexistent/chromium", "test")
    monkeypatch.delenv("CPC_REQUIRE_TOOLS")
    with pytest.raises(pytest.skip.Exception):
        require_tool("no-such-tool-anywhere", "test")
