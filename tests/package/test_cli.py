"""`cpc verify` and `cpc keygen` through the command line: output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main
from compiler.package import publish_release
from tests.package.conftest import build_spec, flip_byte, read_entries, replace_entry, write_entries

REPO = Path(__file__).resolve().parents[2]


def test_verify_prints_every_check_and_exits_0(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    assert CliRunner().invoke(main, ["keygen", str(keys)]).exit_code == 0
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"),
                              keys / "cpc-release.key")
    result = CliRunner().invoke(main, ["verify", str(release.archive), "--ledger",
                                       "--public-key", str(keys / "cpc-release.pub")])
    assert result.exit_code == 0, result.output
    for name in ("archive-sha256", "zip-entries", "payload-manifest", "tag-manifest",
                 "payload-oxum", "index-schema", "index-paths", "signature", "ledger"):
        assert any(line.split()[:2] == ["ok", name] for line in result.output.splitlines()), name
    assert release.sha256 in result.output


def test_verify_names_the_failing_file_and_exits_1(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    entries = read_entries(release.archive)
    name = "nordlicht-2026.12.1/audit/audit-report.html"
    content = dict((i.filename, c) for i, c in entries)[name]
    write_entries(release.archive, replace_entry(entries, name, flip_byte(content, 2)))
    result = CliRunner().invoke(main, ["verify", str(release.archive)])
    assert result.exit_code == 1
    assert any(line.split()[:2] == ["FAILED", "tag-manifest"]
               for line in result.output.splitlines()), result.output
    assert "E-VERIFY-CHECKSUM audit/audit-report.html" in result.stderr
    assert "altered, missing or unlisted files: audit/audit-report.html\n" in result.stderr
    assert "Traceback" not in result.output


def test_verify_names_the_altered_payload_file_not_the_records_about_it(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    entries = read_entries(release.archive)
    name = "nordlicht-2026.12.1/data/documents/brochure-9f8e7d6c.pdf"
    content = dict((i.filename, c) for i, c in entries)[name]
    write_entries(release.archive, replace_entry(entries, name, content + b"%"))
    result = CliRunner().invoke(main, ["verify", str(release.archive)])
    assert result.exit_code == 1
    # index.xml and bag-info.txt disagree with the file (their diagnostics say so), but
    # the summary names the one file that was changed.
    assert "E-VERIFY-INDEX-PATH data/index.xml" in result.stderr
    assert "E-VERIFY-PAYLOAD-OXUM bag-info.txt" in result.stderr
    assert "altered, missing or unlisted files: data/documents/brochure-9f8e7d6c.pdf\n" in (
        result.stderr
    )


def test_python_m_compiler_verify_exit_codes(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "compiler", "verify", str(release.archive)]
    good = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr
    release.sha256_file.write_text(f"{'f' * 64}  {release.archive.name}\n")
    bad = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "E-VERIFY-ARCHIVE-SHA256" in bad.stderr


def test_keygen_refuses_to_overwrite(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["keygen", str(tmp_path)]).exit_code == 0
    private = (tmp_path / "cpc-release.key").read_bytes()
    again = runner.invoke(main, ["keygen", str(tmp_path)])
    assert again.exit_code == 2 and "refusing to overwrite" in again.output
    assert (tmp_path / "cpc-release.key").read_bytes() == private


def test_a_public_key_that_is_not_a_key_is_a_usage_error(tmp_path: Path) -> None:
    release = publish_release(tmp_path / "releases", build_spec(tmp_path / "in"))
    bogus = tmp_path / "bogus.pub"
    bogus.write_text("not a key")
    result = CliRunner().invoke(main, ["verify", str(release.archive), "--public-key",
                                       str(bogus)])
    assert result.exit_code == 2 and "not a readable PEM public key" in result.output
