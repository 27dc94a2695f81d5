"""Reading an audit manifest back from a release package, safely, and checking its schema.

A package is untrusted input here (`cpc diff`/`cpc audit` take any zip): the manifest
is found under the single top-level folder, its size is capped before it is read, and
every failure names the file and what is wrong (exit 1).
"""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from compiler.errors import CpcError
from compiler.resources import schema_path

MANIFEST_PATH = "audit/audit-manifest.json"
SCHEMA_NAME = "audit-manifest.schema.json"
# Far above any real manifest (one entry per item); refuses zip bombs before inflating.
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


class PackageUnreadable(CpcError):
    """A package, or the audit manifest in it, cannot be read (exit 1)."""


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path(SCHEMA_NAME).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def manifest_problems(manifest: Any) -> list[str]:
    """Every way the manifest breaks its schema, as ``/json/pointer: message``, sorted."""
    found = []
    for problem in _validator().iter_errors(manifest):
        pointer = "/" + "/".join(str(p) for p in problem.absolute_path)
        found.append(f"{pointer}: {problem.message}")
    return sorted(found)


def _top_folder(names: list[str], package: Path) -> str:
    tops = {name.split("/", 1)[0] for name in names if name}
    if len(tops) != 1 or not any("/" in n for n in names):
        raise PackageUnreadable(
            f"{package}: a release package holds exactly one top-level folder "
            f"<name>-<version>/; found {len(tops)} top-level entries")
    return tops.pop()


def read_manifest_from_package(package: Path | str, *, validate: bool = True) -> dict[str, Any]:
    """The audit manifest of a release zip (``<top>/audit/audit-manifest.json``).

    Raises :class:`PackageUnreadable` (exit 1) naming the file when the zip cannot be
    opened, has no manifest, the manifest is too large, not JSON, or (with
    ``validate``) does not match ``schemas/audit-manifest.schema.json``.
    """
    path = Path(package)
    try:
        with zipfile.ZipFile(path) as archive:
            top = _top_folder(archive.namelist(), path)
            member = f"{top}/{MANIFEST_PATH}"
            try:
                info = archive.getinfo(member)
            except KeyError:
                raise PackageUnreadable(
                    f"{path}: no {member} in the package; is it a cpc release?") from None
            if info.file_size > MAX_MANIFEST_BYTES:
                raise PackageUnreadable(
                    f"{path}: {member} claims {info.file_size} bytes, more than the "
                    f"{MAX_MANIFEST_BYTES} an audit manifest may have")
            with archive.open(info) as handle:
                data = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise PackageUnreadable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PackageUnreadable(f"{path}: is a folder; give the release's .zip") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError,
            NotImplementedError, EOFError) as exc:
        raise PackageUnreadable(f"{path}: not a readable zip archive: {exc}") from None
    if len(data) > MAX_MANIFEST_BYTES:
        raise PackageUnreadable(f"{path}: {member} is larger than it claims; refused")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageUnreadable(f"{path}: {member} is not UTF-8 JSON: {exc}") from None
    if validate:
        problems = manifest_problems(manifest)
        if problems:
            listing = "\n".join(f"  {p}" for p in problems[:50])
            more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
            raise PackageUnreadable(
                f"{path}: {member} does not match {SCHEMA_NAME} "
                f"({len(problems)} problems):\n{listing}{more}")
    if not isinstance(manifest, dict):
        raise PackageUnreadable(f"{path}: {member} is not a JSON object")
    return manifest
