"""The BagIt checks of `cpc verify`, on the facts of one zip read (see zipscan.py).

Each check is a function from the :class:`BagView` to its diagnostics; the table
:data:`BAG_CHECKS` names them in the order they are printed.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from compiler.diagnostics import Diagnostic, Location, error
from compiler.package.bag import BAG_INFO, BAGIT, BAGIT_TXT, PAYLOAD_MANIFEST, TAG_MANIFEST
from compiler.package.consistency import indexed_file_problems
from compiler.package.index_xml import INDEX_PATH, indexed_files
from compiler.package.paths import case_collisions, path_problems
from compiler.package.schema_checks import (
    audit_schema_errors,
    audit_schema_file,
    index_schema_errors,
)
from compiler.package.zipscan import EntryFacts, ZipScan

AUDIT_PATH = "audit/audit-manifest.json"
KEPT = (BAGIT, BAG_INFO, PAYLOAD_MANIFEST, TAG_MANIFEST, INDEX_PATH, AUDIT_PATH)
REQUIRED_INFO = ("Source-Organization", "External-Identifier", "Bagging-Date", "Payload-Oxum",
                 "Bag-Software-Agent", "Bag-Group-Identifier", "Cpc-Version",
                 "Cpc-Effective-Date", "Cpc-Snapshot-Id", "Cpc-Previous-Version",
                 "Cpc-Previous-Archive-Sha256")
_OPTIONAL_EMPTY = {"Cpc-Previous-Version", "Cpc-Previous-Archive-Sha256"}
_LINE = re.compile(r"([0-9a-fA-F]{64})[ \t]+(.+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SkipCheck(Exception):
    """A check that cannot run here; the message says why (printed as 'skipped')."""


@dataclass
class BagView:
    """The package as the checks see it: files by bag path, the kept tag files, the top."""

    top: str
    files: dict[str, EntryFacts]
    kept: dict[str, bytes]
    archive_stem: str

    def text(self, path: str) -> bytes | None:
        return self.kept.get(path)


def _err(code: str, message: str, path: str, line: int | None = None) -> Diagnostic:
    return error(code, message, location=Location(path, line=line))


def make_view(scan: ZipScan, archive_stem: str) -> tuple[BagView, list[Diagnostic]]:
    """The bag inside the zip, and every problem with its entries (paths, types, top folder)."""
    problems = list(scan.problems)
    names = [info.filename for info in scan.infos]
    tops = sorted({name.split("/", 1)[0] for name in names})
    top = archive_stem if archive_stem in tops else (tops[0] if tops else archive_stem)
    if len(tops) != 1:
        problems.append(_err("E-VERIFY-UNSAFE-PATH", f"the archive must hold exactly one top "
                             f"folder, found {len(tops)}: {', '.join(tops) or 'none'}", ""))
    elif tops[0] != archive_stem:
        problems.append(_err("E-VERIFY-UNSAFE-PATH", f"the top folder {tops[0]!r} does not "
                             f"match the archive's name {archive_stem!r}", tops[0]))
    for info in scan.infos:
        name = info.filename
        is_dir = name.endswith("/")
        mode = info.external_attr >> 16
        kind = stat.S_IFMT(mode)
        if kind == stat.S_IFLNK:
            problems.append(_err("E-VERIFY-SYMLINK", "the entry is a symbolic link", name))
        elif kind != 0 and kind != (stat.S_IFDIR if is_dir else stat.S_IFREG):
            problems.append(_err("E-VERIFY-SYMLINK", f"the entry is not a regular file "
                                 f"(mode {oct(mode)})", name))
        for reason in path_problems(name[:-1] if is_dir else name):
            problems.append(_err("E-VERIFY-UNSAFE-PATH", reason, name))
    for first, second in case_collisions(n.rstrip("/") for n in names):
        problems.append(_err("E-VERIFY-DUPLICATE", f"the entry collides with {first!r} "
                             "(same name, or same without regard to case)", second))
    prefix = top + "/"
    # entries with unsafe paths are reported above and kept out of the bag's view
    files = {name[len(prefix):]: facts for name, facts in scan.entries.items()
             if name.startswith(prefix) and not name.endswith("/") and not path_problems(name)}
    kept = {name[len(prefix):]: content for name, content in scan.kept.items()
            if name.startswith(prefix)}
    return BagView(top=top, files=files, kept=kept, archive_stem=archive_stem), problems


def check_bagit_txt(view: BagView) -> list[Diagnostic]:
    """bagit.txt declares BagIt 1.0 in UTF-8, and nothing else."""
    content = view.text(BAGIT)
    if content is None:
        return [_err("E-VERIFY-BAGIT-TXT", "bagit.txt is missing", BAGIT)]
    if content != BAGIT_TXT:
        shown = content[:200].decode("utf-8", "replace")
        return [_err("E-VERIFY-BAGIT-TXT", f"expected exactly 'BagIt-Version: 1.0' and "
                     f"'Tag-File-Character-Encoding: UTF-8', found {shown!r}", BAGIT)]
    return []


def parse_bag_info(content: bytes) -> tuple[dict[str, list[str]], list[Diagnostic]]:
    """bag-info.txt as label -> values, with every malformed line reported."""
    problems: list[Diagnostic] = []
    fields: dict[str, list[str]] = {}
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [_err("E-VERIFY-BAG-INFO", f"not UTF-8: {exc}", BAG_INFO)]
    last: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if line == "" and number == text.count("\n") + 1:
            break
        if line[:1] in (" ", "\t") and last is not None:
            fields[last][-1] += " " + line.strip()  # a folded continuation line
            continue
        label, colon, value = line.partition(":")
        if not colon or not label or label != label.strip():
            problems.append(_err("E-VERIFY-BAG-INFO", f"not a 'Label: value' line: {line!r}",
                                 BAG_INFO, number))
            continue
        last = label
        fields.setdefault(label, []).append(value.strip())
    if text and not text.endswith("\n"):
        problems.append(_err("E-VERIFY-BAG-INFO", "the last line has no line feed", BAG_INFO))
    return fields, problems


def check_bag_info(view: BagView) -> list[Diagnostic]:
    """bag-info.txt is well-formed and carries every field of package-format.md, consistently."""
    content = view.text(BAG_INFO)
    if content is None:
        return [_err("E-VERIFY-BAG-INFO", "bag-info.txt is missing", BAG_INFO)]
    fields, problems = parse_bag_info(content)
    one: dict[str, str] = {}
    for label in REQUIRED_INFO:
        values = fields.get(label, [])
        if len(values) != 1:
            problems.append(_err("E-VERIFY-BAG-INFO", f"{label} must appear once, found "
                                 f"{len(values)} times", BAG_INFO))
        elif not values[0] and label not in _OPTIONAL_EMPTY:
            problems.append(_err("E-VERIFY-BAG-INFO", f"{label} is empty", BAG_INFO))
        else:
            one[label] = values[0]
    name, version = one.get("Bag-Group-Identifier"), one.get("Cpc-Version")
    if name and version:
        if f"{name}-{version}" != view.top:
            problems.append(_err("E-VERIFY-BAG-INFO", f"Bag-Group-Identifier and Cpc-Version "
                                 f"say {name}-{version}, the top folder is {view.top}", BAG_INFO))
        if one.get("External-Identifier") not in (None, f"urn:cpc:{name}:{version}"):
            problems.append(_err("E-VERIFY-BAG-INFO", f"External-Identifier must be "
                                 f"urn:cpc:{name}:{version}", BAG_INFO))
    for label in ("Bagging-Date", "Cpc-Effective-Date"):
        if label in one and not _DATE.fullmatch(one[label]):
            problems.append(_err("E-VERIFY-BAG-INFO", f"{label} is not a YYYY-MM-DD date",
                                 BAG_INFO))
    previous = one.get("Cpc-Previous-Archive-Sha256", "")
    if previous and not re.fullmatch(r"[0-9a-f]{64}", previous):
        problems.append(_err("E-VERIFY-BAG-INFO", "Cpc-Previous-Archive-Sha256 is not a sha256",
                             BAG_INFO))
    if bool(previous) != bool(one.get("Cpc-Previous-Version", "")):
        problems.append(_err("E-VERIFY-BAG-INFO", "Cpc-Previous-Version and "
                             "Cpc-Previous-Archive-Sha256 must both be given or both empty",
                             BAG_INFO))
    if not one.get("Bag-Software-Agent", "cpc ").startswith("cpc "):
        problems.append(_err("E-VERIFY-BAG-INFO", "Bag-Software-Agent must be 'cpc <version>'",
                             BAG_INFO))
    return problems


def check_payload_oxum(view: BagView) -> list[Diagnostic]:
    """Payload-Oxum matches the payload's octets and file count."""
    content = view.text(BAG_INFO)
    if content is None:
        raise SkipCheck("bag-info.txt is missing")
    oxum = parse_bag_info(content)[0].get("Payload-Oxum", [""])[0]
    match = re.fullmatch(r"(\d+)\.(\d+)", oxum)
    if not match:
        return [_err("E-VERIFY-PAYLOAD-OXUM", f"Payload-Oxum {oxum!r} is not "
                     "'<octets>.<files>'", BAG_INFO)]
    payload = [facts for path, facts in view.files.items() if path.startswith("data/")]
    actual = (sum(f.size for f in payload), len(payload))
    if (int(match.group(1)), int(match.group(2))) != actual:
        return [_err("E-VERIFY-PAYLOAD-OXUM", f"Payload-Oxum says {oxum}, the payload is "
                     f"{actual[0]}.{actual[1]}", BAG_INFO)]
    return []


def _manifest(view: BagView, manifest: str) -> tuple[dict[str, str], list[Diagnostic]]:
    content = view.text(manifest)
    if content is None:
        return {}, [_err("E-VERIFY-MISSING", f"{manifest} is missing", manifest)]
    listed: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for number, line in enumerate(content.decode("utf-8", "replace").splitlines(), start=1):
        match = _LINE.fullmatch(line)
        if not match:
            problems.append(_err("E-VERIFY-MANIFEST", f"not a '<sha256>  <path>' line: "
                                 f"{line!r}", manifest, number))
            continue
        path = unquote(match.group(2).strip()) if "%" in match.group(2) else match.group(2).strip()
        if path in listed:
            problems.append(_err("E-VERIFY-MANIFEST", f"{path} is listed twice", manifest, number))
        listed[path] = match.group(1).lower()
    return listed, problems


def _compare(view: BagView, manifest: str, expected: set[str]) -> list[Diagnostic]:
    listed, problems = _manifest(view, manifest)
    for path in sorted(listed):
        if path not in expected:
            why = "is not in the package" if path not in view.files else "does not belong here"
            code = "E-VERIFY-MISSING" if path not in view.files else "E-VERIFY-MANIFEST"
            problems.append(_err(code, f"{path} is listed in {manifest} but {why}", path))
        elif view.files[path].sha256 != listed[path]:
            problems.append(_err("E-VERIFY-CHECKSUM", f"sha256 is {view.files[path].sha256}, "
                                 f"{manifest} says {listed[path]}", path))
    for path in sorted(expected - set(listed)):
        problems.append(_err("E-VERIFY-UNLISTED", f"{path} is in the package but not listed in "
                             f"{manifest}", path))
    return problems


def check_payload_manifest(view: BagView) -> list[Diagnostic]:
    """Every payload file is listed in manifest-sha256.txt with its sha256, and nothing else."""
    return _compare(view, PAYLOAD_MANIFEST, {p for p in view.files if p.startswith("data/")})


def check_tag_manifest(view: BagView) -> list[Diagnostic]:
    """Every tag file is listed in tagmanifest-sha256.txt with its sha256, and nothing else."""
    problems = [_err("E-VERIFY-MANIFEST", "cpc packages carry sha256 manifests only", path)
                for path in sorted(view.files)
                if re.fullmatch(r"(tag)?manifest-\w+\.txt", path)
                and path not in (PAYLOAD_MANIFEST, TAG_MANIFEST)]
    tags = {p for p in view.files if not p.startswith("data/") and p != TAG_MANIFEST}
    return problems + _compare(view, TAG_MANIFEST, tags)


def check_index_schema(view: BagView) -> list[Diagnostic]:
    """data/index.xml validates against schemas/index.xsd."""
    content = view.text(INDEX_PATH)
    if content is None:
        return [_err("E-VERIFY-INDEX-SCHEMA", "data/index.xml is missing", INDEX_PATH)]
    return [_err("E-VERIFY-INDEX-SCHEMA", message, INDEX_PATH, line)
            for line, message in index_schema_errors(content)]


def check_index_paths(view: BagView) -> list[Diagnostic]:
    """Every file index.xml names is in the package with the sha256 and size it claims."""
    content = view.text(INDEX_PATH)
    if content is None:
        raise SkipCheck("data/index.xml is missing")
    try:
        files = indexed_files(content)
    except etree.XMLSyntaxError as exc:
        raise SkipCheck(f"data/index.xml is not well-formed XML ({exc.msg})") from None
    actual = {path: (facts.sha256, facts.size) for path, facts in view.files.items()}
    return indexed_file_problems(files, actual, "E-VERIFY-INDEX-PATH")


def check_audit_schema(view: BagView) -> list[Diagnostic]:
    """audit/audit-manifest.json validates against schemas/audit-manifest.schema.json."""
    content = view.text(AUDIT_PATH)
    if content is None:
        return [_err("E-VERIFY-AUDIT-SCHEMA", "audit/audit-manifest.json is missing",
                     AUDIT_PATH)]
    schema = audit_schema_file()
    if schema is None:
        raise SkipCheck("schemas/audit-manifest.schema.json is not available in this version "
                        "of cpc; the audit manifest was NOT checked")
    return [error("E-VERIFY-AUDIT-SCHEMA", message, location=Location(AUDIT_PATH, pointer))
            for pointer, message in audit_schema_errors(content, schema)]


# (check name, what it checks, function): the order `cpc verify` prints them in.
BAG_CHECKS: tuple[tuple[str, str, Callable[[BagView], list[Diagnostic]]], ...] = (
    ("bagit-txt", "bagit.txt declares BagIt 1.0, UTF-8", check_bagit_txt),
    ("bag-info", "bag-info.txt is well-formed with every field", check_bag_info),
    ("payload-oxum", "Payload-Oxum matches the payload", check_payload_oxum),
    ("payload-manifest", "payload files match manifest-sha256.txt", check_payload_manifest),
    ("tag-manifest", "tag files match tagmanifest-sha256.txt", check_tag_manifest),
    ("index-schema", "data/index.xml validates against index.xsd", check_index_schema),
    ("index-paths", "files named in index.xml are present with their checksums",
     check_index_paths),
    ("audit-schema", "audit-manifest.json validates against its JSON Schema",
     check_audit_schema),
)
