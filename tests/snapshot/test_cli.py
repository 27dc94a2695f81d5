"""`cpc snapshot`: the id on stdout; every diagnostic and a summary on stderr, exit 1."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from compiler.cli.snapshot import command
from tests.snapshot.builders import add_raw_entry, export_files, write_folder, write_zip


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sample_export_folder_and_zip_print_the_same_id(tmp_path: Path,
                                                         sample_path: Path) -> None:
    store = tmp_path / "store"
    code, out, err = run(str(sample_path), "--store", str(store))
    assert code == 0, err
    assert re.fullmatch(r"[0-9a-f]{64}\n", out)
    archive = shutil.make_archive(str(tmp_path / "sample"), "zip", sample_path.parent,
                                  sample_path.name)
    code, out_zip, err = run(archive, "--store", str(store), "--quiet")
    assert (code, out_zip) == (0, out), err
    code, out_id, _ = run(out.strip()[:10], "--store", str(store))
    assert (code, out_id) == (0, out)


def test_refusal_prints_every_diagnostic_and_a_summary(tmp_path: Path) -> None:
    files = export_files(format="4allportal-export/2")
    archive = write_zip(tmp_path / "bad.zip", files)
    add_raw_entry(archive, "../../evil.sh", b"rm -rf /")
    add_raw_entry(archive, "extra/notes.txt", b"hello")
    code, out, err = run(str(archive), "--store", str(tmp_path / "store"))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert "error E-SNAPSHOT-ZIP-SLIP ../../evil.sh: entry name contains '..'" in err
    assert any(line.startswith("error E-SNAPSHOT-FORMAT export.json#/format: ")
               for line in lines)
    assert "warning W-SNAPSHOT-NOT-READ extra/notes.txt: " in err
    assert lines[-1] == "Error: snapshot refused: 2 errors, 1 warning"
    assert not (tmp_path / "store").exists()


def test_warnings_go_to_stderr_and_the_id_to_stdout(tmp_path: Path) -> None:
    files = export_files()
    files["thumbs.db"] = b"junk"
    folder = write_folder(tmp_path / "export", files)
    code, out, err = run(str(folder), "--store", str(tmp_path / "store"))
    assert code == 0
    assert re.fullmatch(r"[0-9a-f]{64}\n", out)
    assert err.splitlines() == [
        "warning W-SNAPSHOT-NOT-READ thumbs.db: not part of the export layout (export.json, "
        "modules/<module>.json|xml, files/<object-id>/<file-name>); not read, not stored",
        "0 errors, 1 warning"]


def test_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nope"), "--store", str(tmp_path / "store"))
    assert code == 2
    assert "no such export folder or .zip" in err
    code, _, err = run("abcdef12", "--store", str(tmp_path / "store"))
    assert code == 2
    assert "no snapshot with this id" in err


def test_bad_limits_in_cpc_toml_are_a_configuration_error(tmp_path: Path) -> None:
    config = tmp_path / "cpc.toml"
    config.write_text("[limits]\nmax_entries = -1\n")
    folder = write_folder(tmp_path / "export", export_files())
    code, _, err = run(str(folder), "--store", str(tmp_path / "store"), "--config", str(config))
    assert code == 2
    assert "limits.max_entries" in err


def test_file_objects_masters_are_checked(tmp_path: Path, sample_path: Path) -> None:
    import json

    export = Path(shutil.copytree(sample_path, tmp_path / "export"))
    objects = json.loads((export / "modules" / "file.json").read_bytes())["result"]
    hashed = [o for o in objects if "sha256" in o]
    changed, removed = (f"files/{o['id']}/{o['file_name'][0]['value']}" for o in hashed[:2])
    data = bytearray((export / changed).read_bytes())
    data[len(data) // 2] ^= 0x01
    (export / changed).write_bytes(bytes(data))
    (export / removed).unlink()
    code, out, err = run(str(export), "--store", str(tmp_path / "store"))
    assert (code, out) == (1, "")
    errors = [line for line in err.splitlines() if line.startswith("error ")]
    assert len(errors) == 2
    assert any(changed in line and "sha256" in line for line in errors), err
    assert any(line.startswith("error E-MASTER-MISSING ") and removed in line
               for line in errors), err
    assert not (tmp_path / "store").exists()
