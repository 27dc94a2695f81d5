"""A customer's own module and field names, mapped in cpc.toml, build the same content.

Nothing in cpc may hard-code a field name: the sample with German field names, a
renamed module and a German approval value must release exactly the same files.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.build.conftest import SampleBuild, cpc
from tests.build.exports import EditableExport, rename_field, rename_module

CPC_TOML = """
[modules]
text_block = "textbaustein"

[fields.product]
sku = "artikelnummer"

[fields.text_block]
body = "inhalt"
key = "schluessel"

[governance]
approval_status = "freigabestatus"
approved_values = ["freigegeben"]
"""


def _content_lines(archive: Path) -> set[str]:
    """The payload manifest's lines for compiled content and renditions."""
    with zipfile.ZipFile(archive) as z:
        top = archive.name.removesuffix(".zip")
        text = z.read(f"{top}/manifest-sha256.txt").decode()
    return {line for line in text.splitlines()
            if "data/content/" in line or "data/assets/" in line or "data/documents/" in line}


def test_german_field_and_module_names_release_the_same_files(sample_build: SampleBuild,
                                                              warm_out: Path,
                                                              tmp_path: Path) -> None:
    export = EditableExport(tmp_path / "kunde")
    for module in ("product", "file", "text_block"):
        rename_field(export, module, "approval_status", "freigabestatus",
                     {"approved": "freigegeben"})
    rename_field(export, "product", "sku", "artikelnummer")
    rename_field(export, "text_block", "body", "inhalt")
    rename_field(export, "text_block", "key", "schluessel")
    rename_module(export, "text_block", "textbaustein")
    # the offers module is XML: its approval field is renamed there too
    offers = export.folder / "modules" / "offer.xml"
    offers.write_text(offers.read_text(encoding="utf-8")
                      .replace('name="approval_status"', 'name="freigabestatus"')
                      .replace(">approved<", ">freigegeben<"), encoding="utf-8")
    (tmp_path / "cpc.toml").write_text(CPC_TOML, encoding="utf-8")

    run = cpc("build", str(export.folder), "--out", str(warm_out), cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert run.lines[2].startswith("released 100, excluded 5,")
    assert _content_lines(Path(run.lines[0])) == _content_lines(sample_build.archive)

    # Without the mapping, nothing is approved: the export's own names are not guessed.
    (tmp_path / "cpc.toml").unlink()
    unmapped = cpc("validate", str(export.folder), "--format", "json", cwd=tmp_path)
    assert unmapped.code == 1
