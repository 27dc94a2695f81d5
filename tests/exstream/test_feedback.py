"""cpc feedback: findings against a real release zip → 4ALLPORTAL CSV import, and bad findings."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from compiler.audit.manifest import build_manifest, dump_manifest
from compiler.cli.feedback import command
from compiler.exstream import package_items, read_findings
from compiler.release import Release

from .conftest import make_release

TOP = "nordlicht-2026.12.1"
HEADER = "key;locale;channel;severity;comment;reported_by;reported_at"


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in sorted(entries.items()):
            archive.writestr(f"{TOP}/{name}", data)
    return path


def manifest_package(tmp_path: Path, release: Release) -> Path:
    """A release zip whose audit manifest comes from the real manifest builder."""
    manifest = dump_manifest(build_manifest(release, None))
    return _zip(tmp_path / f"{TOP}.zip", {"audit/audit-manifest.json": manifest,
                                          "bagit.txt": b"BagIt-Version: 1.0\n"})


def index_package(tmp_path: Path, release: Release) -> Path:
    """A release zip with only data/index.xml (blocks with forms, assets with renditions)."""
    ns = "urn:cpc:index:1"
    root = etree.Element(f"{{{ns}}}index", nsmap={None: ns})
    sections = {"text_block": ("blocks", "block", "form"),
                "file": ("assets", "asset", "rendition")}
    for kind, (section_tag, tag, child) in sections.items():
        section = etree.SubElement(root, f"{{{ns}}}{section_tag}")
        for released in release.released(kind):
            element = etree.SubElement(section, f"{{{ns}}}{tag}", key=released.item.key,
                                       sourceId=released.item.id)
            for output in released.outputs:
                attrs = {k: v for k, v in (("locale", output.locale),
                                           ("channel", output.channel)) if v}
                etree.SubElement(element, f"{{{ns}}}{child}", path=output.path, **attrs)
    return _zip(tmp_path / f"{TOP}.zip", {"data/index.xml": etree.tostring(root)})


@pytest.fixture
def release(files: dict[str, bytes]) -> Release:
    return make_release(files, None)


def run(tmp_path: Path, *args: str) -> Result:
    # the command itself, so these tests do not depend on every other command importing
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


def key_id(release: Release, key: str) -> str:
    return next(r.item.id for r in release.items.values() if r.item.key == key)


FINDINGS = "\n".join([
    HEADER,
    "FEE-HOME-PLUS;de_DE;print;high;Die Selbstbeteiligung ist veraltet;a.meier;"
    "2026-12-02T10:00:00Z",
    'FEE-HOME-PLUS;en_GB;;low;"Typo: ""exess""; should be excess";j.smith;2026-12-02T11:00:00Z',
    "banner-hausrat-809eb0f0;;email;medium;Banner too dark in email;a.meier;2026-12-03T08:00Z",
]) + "\n"


@pytest.mark.parametrize("form", [manifest_package, index_package],
                         ids=["audit-manifest", "index-xml"])
def test_findings_round_trip_into_the_documented_csv(
        tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch, form: object) -> None:
    monkeypatch.chdir(tmp_path)
    package = form(tmp_path, release)  # type: ignore[operator]
    findings = tmp_path / "findings.csv"
    findings.write_text(FINDINGS, encoding="utf-8")
    result = run(tmp_path, str(findings), "--package", str(package))
    assert result.exit_code == 0, result.output
    out = tmp_path / "build" / "feedback" / f"{TOP}-findings.csv"
    assert str(out.relative_to(tmp_path)) in result.output
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8"), newline=""),
                           delimiter=";"))
    assert rows[0] == ["id", "approval_status", "review_comment"]
    by_id = {row[0]: row for row in rows[1:]}
    assert sorted(by_id) == sorted([key_id(release, "FEE-HOME-PLUS"),
                                    key_id(release, "banner-hausrat-809eb0f0")])
    assert [r[0] for r in rows[1:]] == sorted(by_id)
    fee = by_id[key_id(release, "FEE-HOME-PLUS")]
    assert fee[1] == "in_review"
    assert fee[2].split("\n") == [
        "[high] FEE-HOME-PLUS (de_DE/print): Die Selbstbeteiligung ist veraltet "
        "(a.meier, 2026-12-02T10:00:00Z)",
        '[low] FEE-HOME-PLUS (en_GB): Typo: "exess"; should be excess '
        "(j.smith, 2026-12-02T11:00:00Z)"]
    assert by_id[key_id(release, "banner-hausrat-809eb0f0")][2].startswith(
        "[medium] banner-hausrat-809eb0f0 (email): Banner too dark")


def test_field_names_and_review_value_come_from_the_config(
        tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cpc.toml").write_text(
        '[governance]\napproval_status = "freigabe"\n'
        '[feedback]\nreview_value = "in_pruefung"\ncomment_field = "pruefkommentar"\n')
    package = manifest_package(tmp_path, release)
    findings = tmp_path / "f.json"
    findings.write_text(json.dumps([{"key": "FEE-HOME-PLUS", "locale": "de_DE",
                                     "severity": "high", "comment": "veraltet"}]))
    out = tmp_path / "import.csv"
    assert run(tmp_path, str(findings), "--package", str(package), "--out",
               str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id;freigabe;pruefkommentar"
    assert lines[1].startswith(f"{key_id(release, 'FEE-HOME-PLUS')};in_pruefung;")


def test_unmappable_findings_are_all_reported_and_nothing_is_written(
        tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    package = manifest_package(tmp_path, release)
    findings = tmp_path / "findings.csv"
    findings.write_text("\n".join([
        HEADER,
        "NO-SUCH-KEY;de_DE;print;high;x;a;2026-12-02T10:00:00Z",
        "FEE-HOME-PLUS;fr_FR;print;high;x;a;2026-12-02T10:00:00Z",
        "FEE-HOME-PLUS;de_DE;fax;high;x;a;2026-12-02T10:00:00Z",
        "MOTOR-CLASSIC;;;high;excluded product;a;2026-12-02T10:00:00Z",
        "FEE-HOME-PLUS;de_DE;print;high;fine;a;2026-12-02T10:00:00Z"]), encoding="utf-8")
    result = run(tmp_path, str(findings), "--package", str(package))
    assert result.exit_code == 1
    for code, line in (("E-FINDING-KEY-UNKNOWN", 2), ("E-FINDING-LOCALE-UNKNOWN", 3),
                       ("E-FINDING-CHANNEL-UNKNOWN", 4), ("E-FINDING-KEY-UNKNOWN", 5)):
        assert f"{code} findings.csv:{line}" in result.output
    assert "4 problem(s)" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(("content", "code", "says"), [
    (HEADER.replace(";", ",") + "\nFEE-HOME-PLUS,de_DE,print,high,x,a,b\n",
     "E-FINDINGS-DELIMITER", "separated by comma (',')"),
    ("key;locale;severity;comment\nFEE-HOME-PLUS;de_DE;high;x\n",
     "E-FINDINGS-COLUMNS", "missing column(s) channel, reported_by, reported_at"),
    (HEADER + "\nFEE-HOME-PLUS;de_DE;print;high\n", "E-FINDINGS-ROW", "findings.csv:2"),
    (HEADER + "\nFEE-HOME-PLUS;de_DE;print;;;a;b\n", "E-FINDINGS-VALUE", "'severity' is empty"),
    (HEADER + "\nFEE-HOME-PLUS;de_DE;print;high;x;a;02.12.2026\n", "E-FINDINGS-VALUE",
     "findings.csv:2 [reported_at]: reported_at '02.12.2026' is not an ISO 8601 date"),
    ("", "E-FINDINGS-EMPTY", "header row"),
])
def test_malformed_csv_findings_get_clear_errors(tmp_path: Path, content: str, code: str,
                                                  says: str) -> None:
    path = tmp_path / "findings.csv"
    path.write_text(content, encoding="utf-8")
    found, problems = read_findings(path)
    assert problems
    # A row with a key still comes back, so its key, locale and channel are checked too.
    assert [f.key for f in found] == (["FEE-HOME-PLUS"] if code == "E-FINDINGS-VALUE" else [])
    assert problems[0].code == code
    assert says in problems[0].format()


def test_every_problem_is_reported_with_the_semantic_ones(tmp_path: Path) -> None:
    findings = tmp_path / "findings.json"
    findings.write_text(json.dumps([
        {"key": "FEE-HOME-PLUS", "locale": "xx_XX", "severity": 5, "comment": "Tippfehler"},
    ]), encoding="utf-8")
    read, problems = read_findings(findings)
    # "must be text", and not "is empty" as well
    assert [(p.code, p.field) for p in problems] == [("E-FINDINGS-VALUE", "severity")]
    assert "must be text, got 5" in problems[0].message
    assert [f.locale for f in read] == ["xx_XX"]  # still read: its locale gets checked


def test_bad_encoding_names_the_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "findings.csv"
    body = (HEADER + "\nFEE-HOME-PLUS;de_DE;print;high;").encode() + "Gebühr".encode("latin-1")
    path.write_bytes(body)
    _, problems = read_findings(path)
    assert [p.code for p in problems] == ["E-FINDINGS-ENCODING"]
    offset = body.index(b"\xfc")
    assert f"byte offset {offset} (line 2)" in problems[0].message


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "findings.json"
    path.write_text('[\n  {"key": "A",\n   "comment": }\n]')
    _, problems = read_findings(path)
    assert [p.code for p in problems] == ["E-FINDINGS-JSON"]
    assert "findings.json:3:15" in problems[0].format()


def test_json_findings_check_every_entry(tmp_path: Path) -> None:
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"findings": [
        {"key": "A", "severity": "high", "comment": "ok"}, 3,
        {"key": "B", "severity": 2, "comment": "x"}, {"key": "C"}]}))
    _, problems = read_findings(path)
    assert {str(p.location) for p in problems} == {
        "findings.json#/findings/1", "findings.json#/findings/2", "findings.json#/findings/3"}


def test_malformed_findings_exit_1_through_the_cli(
        tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    package = manifest_package(tmp_path, release)
    path = tmp_path / "findings.csv"
    path.write_text(HEADER.replace(";", "\t") + "\n")
    result = run(tmp_path, str(path), "--package", str(package))
    assert result.exit_code == 1 and "separated by tab" in result.output


def test_package_items_from_manifest_and_index_agree(tmp_path: Path, release: Release) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    from_manifest = package_items(manifest_package(tmp_path / "a", release))
    from_index = package_items(index_package(tmp_path / "b", release))
    for key, item in from_index.items():
        assert from_manifest[key] == item
    fee = from_manifest["FEE-HOME-PLUS"]
    assert fee.kind == "text_block" and fee.locales == {"de_DE", "en_GB"}
    assert fee.channels == {"print", "email", "web", "mobile"}


def test_a_zip_that_is_not_a_release_is_refused(tmp_path: Path) -> None:
    from compiler.errors import CpcError

    bad = tmp_path / "x.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("one/a.txt", b"")
        archive.writestr("two/b.txt", b"")
    with pytest.raises(CpcError, match="one top folder"):
        package_items(bad)
    (tmp_path / "y.zip").write_bytes(b"not a zip")
    with pytest.raises(CpcError, match="not a readable release zip"):
        package_items(tmp_path / "y.zip")


@pytest.mark.parametrize(("content", "says"), [
    (HEADER + "\nFEE-HOME-PLUS;de_DE;print;high;\"unclosed\n", "not readable as CSV"),
    (HEADER + "\nFEE-HOME-PLUS;de_DE;print;high;" + "x" * 200_000 + ";a;b\n",
     "not readable as CSV"),
])
def test_hostile_csv_is_refused_with_a_line(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "findings.csv"
    path.write_text(content, encoding="utf-8")
    found, problems = read_findings(path)
    assert found == [] and says in problems[-1].message
    assert problems[-1].location.line is not None


def test_the_import_file_is_deterministic(tmp_path: Path, release: Release,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    package = manifest_package(tmp_path, release)
    findings = tmp_path / "findings.csv"
    findings.write_text(FINDINGS, encoding="utf-8")
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"{n}.csv"
        assert run(tmp_path, str(findings), "--package", str(package), "--out",
                   str(out)).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].endswith(b"\r\n")
    assert not list(tmp_path.glob("*.part"))
