"""Builds through the real command line, sharing one warm rendition cache between tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    """A finished `cpc` process."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def cpc(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `python -m compiler ARGS` in ``cwd`` as a user would, in its own process."""
    environment = {**os.environ, "PYTHONPATH": str(CHECKOUT), **(env or {})}
    if "SOURCE_DATE_EPOCH" not in (env or {}):
        environment.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=600, check=False)
    return Run(done.returncode, done.stdout, done.stderr)


@dataclass
class SampleBuild:
    """The first, cold build of the sample: its output folder and what it printed."""

    out: Path
    run: Run

    @property
    def archive(self) -> Path:
        printed = Path(self.run.lines[0])  # relative to the folder cpc ran in
        return printed if printed.is_absolute() else self.out.parent / printed

    @property
    def sha256(self) -> str:
        return self.run.lines[1].split()[1]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """`cpc build` with no arguments, in a fresh folder, with a cold cache."""
    work = tmp_path_factory.mktemp("first")
    run = cpc("build", "--jobs", "2", cwd=work)
    assert run.code == 0, run.stderr
    return SampleBuild(work / "build", run)


@pytest.fixture
def warm_out(sample_build: SampleBuild, tmp_path: Path) -> Path:
    """An output folder whose rendition cache is already warm (so tests stay fast)."""
    out = tmp_path / "build"
    shutil.copytree(sample_build.out / "cache", out / "cache")
    return out
