"""Crash safety: a publishing process killed with SIGKILL at any point leaves no partial
archive, checksum, signature or ledger line; earlier releases are untouched; the next
publish succeeds and the result verifies.

Two ways to kill: the child kills itself at each named point of publish_release
(CPC_PACKAGE_CRASH_AT), and the parent kills it after delays spread over a measured
publish (with a 24 MiB payload file, so kills land while the archive is being written).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from compiler.package import PreviousRelease, publish_release, read_ledger
from compiler.package.durable import TEMP_PREFIX
from compiler.package.release import CRASH_ENV, CRASH_POINTS, JOURNAL_NAME
from compiler.package.signing import generate_key_pair
from compiler.package.verify import verify_package
from tests.package.publish_child import spec_for

REPO = Path(__file__).resolve().parents[2]
BIG_MIB = 24
V1, V2 = "2026.12.1", "2026.12.2"
SUFFIXES = (".zip", ".zip.sha256", ".zip.sig")


@dataclass
class World:
    """A folder holding release 1, and the exact files release 2 must have."""

    base: Path
    work: Path
    key: Path
    public_key: Path
    previous: PreviousRelease
    expected: dict[str, bytes]  # file name of release 2 -> its bytes
    base_files: dict[str, bytes]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("crash")
    keys = generate_key_pair(root / "keys")
    work = root / "work"
    base = root / "base"
    first = publish_release(base, spec_for(work, V1, None, 0), keys.private_key)
    previous = PreviousRelease(V1, first.sha256)
    reference = root / "reference"
    shutil.copytree(base, reference)
    second = publish_release(reference, spec_for(work, V2, previous, BIG_MIB), keys.private_key)
    expected = {f"nordlicht-{V2}{s}": (reference / f"nordlicht-{V2}{s}").read_bytes()
                for s in SUFFIXES}
    assert second.archive.name in expected
    base_files = {p.name: p.read_bytes() for p in base.iterdir() if p.is_file()}
    return World(base, work, keys.private_key, keys.public_key, previous, expected, base_files)


def _child(world: World, out: Path, env_extra: dict[str, str]) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "tests.package.publish_child", str(out), str(world.work), V2,
            world.previous.version, world.previous.archive_sha256, str(world.key), str(BIG_MIB)]
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_extra}
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)


def _fresh(world: World, tmp_path: Path) -> Path:
    out = tmp_path / "releases"
    shutil.copytree(world.base, out)
    return out


def _assert_no_partial_state(world: World, out: Path) -> None:
    for name, content in world.base_files.items():
        if name != "ledger.jsonl":
            assert (out / name).read_bytes() == content, f"release 1 file {name} was touched"
    visible = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    for name in visible - set(world.base_files):
        assert name in world.expected, f"unexpected file {name}"
        assert (out / name).read_bytes() == world.expected[name], f"partial {name}"
    ledger = (out / "ledger.jsonl").read_bytes()
    old = world.base_files["ledger.jsonl"]
    assert ledger.startswith(old)
    added = ledger[len(old):]
    archive = f"nordlicht-{V2}.zip"
    if added:
        assert added.endswith(b"\n") and added.count(b"\n") == 1, "a partial ledger line"
        assert json.loads(added)["archive_sha256"] == read_ledger(out).entries[-1].archive_sha256
        assert set(world.expected) <= visible, "a ledger line without its release files"
    if archive in visible:
        assert {archive + ".sha256", archive + ".sig"} <= visible, "archive before its sidecars"


def _assert_next_publish_succeeds(world: World, out: Path) -> None:
    result = publish_release(out, spec_for(world.work, V2, world.previous, BIG_MIB), world.key)
    assert result.archive.read_bytes() == world.expected[result.archive.name]
    for version in (V1, V2):
        report = verify_package(out / f"nordlicht-{version}.zip", public_key=world.public_key,
                                check_ledger=True)
        assert report.ok, [p.format() for p in report.problems]
    assert [e.version for e in read_ledger(out).entries] == [V1, V2]
    assert not list(out.glob(TEMP_PREFIX + "*")) and not (out / JOURNAL_NAME).exists()


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_killed_at_a_named_point(world: World, tmp_path: Path, point: str) -> None:
    out = _fresh(world, tmp_path)
    child = _child(world, out, {CRASH_ENV: point})
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, f"the child did not reach {point}"
    _assert_no_partial_state(world, out)
    _assert_next_publish_succeeds(world, out)


def _measured_publish_seconds(world: World, tmp_path: Path) -> float:
    out = tmp_path / "timing"
    shutil.copytree(world.base, out)
    child = _child(world, out, {})
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    start = time.monotonic()
    assert child.stdout.readline().strip() == "done"
    elapsed = time.monotonic() - start
    child.wait(timeout=60)
    return elapsed


def test_killed_after_delays_spread_over_a_publish(world: World, tmp_path: Path) -> None:
    duration = _measured_publish_seconds(world, tmp_path)
    steps = 8
    seen: set[str] = set()
    for step in range(steps + 1):
        case = tmp_path / f"kill-{step}"
        case.mkdir()
        out = _fresh(world, case)
        child = _child(world, out, {})
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(duration * step / steps)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        seen.add(_state(world, out))
        _assert_no_partial_state(world, out)
        _assert_next_publish_succeeds(world, out)
    # the kills must have landed in different phases, or this test proves little
    assert len(seen) >= 2, seen


def _state(world: World, out: Path) -> str:
    if (out / "ledger.jsonl").read_bytes() != world.base_files["ledger.jsonl"]:
        return "complete"
    if (out / JOURNAL_NAME).exists():
        return "committing"
    if list(out.glob(TEMP_PREFIX + "*")):
        return "writing"
    return "not started"
