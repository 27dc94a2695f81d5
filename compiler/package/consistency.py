"""Before an archive is written: does data/index.xml validate, and does every file it
names exist in the payload with the checksum and size it claims?"""

from __future__ import annotations

from lxml import etree

from compiler.diagnostics import Diagnostic, Location, error
from compiler.package.bag import BagSpec
from compiler.package.index_xml import INDEX_PATH, IndexedFile, indexed_files
from compiler.package.schema_checks import index_schema_errors


def indexed_file_problems(files: list[IndexedFile], actual: dict[str, tuple[str, int]],
                          code: str) -> list[Diagnostic]:
    """Every indexed file that is missing from ``actual`` (bag path -> sha256, size) or differs."""
    problems: list[Diagnostic] = []
    for item in files:
        where = Location(INDEX_PATH, line=item.line)
        found = actual.get(item.path)
        if found is None:
            problems.append(error(code, f"{item.path} is listed in index.xml but not in the "
                                  "package", location=where, key=item.path))
        elif found[0] != item.sha256 or found[1] != item.size:
            problems.append(error(code, f"{item.path}: index.xml says sha256 {item.sha256}, "
                                  f"size {item.size}; the file has sha256 {found[0]}, size "
                                  f"{found[1]}", location=where, key=item.path))
    return problems


def index_problems(spec: BagSpec, hashed: dict[str, tuple[str, int]]) -> list[Diagnostic]:
    """Schema and checksum problems of the bag's data/index.xml (none when it has none)."""
    content = spec.payload.get(INDEX_PATH)
    if content is None:
        return []
    xml = content if isinstance(content, bytes) else content.read_bytes()
    problems = [error("E-PACKAGE-INDEX", message, location=Location(INDEX_PATH, line=line))
                for line, message in index_schema_errors(xml)]
    try:
        files = indexed_files(xml)
    except etree.XMLSyntaxError:
        return problems  # already reported as not well-formed
    return problems + indexed_file_problems(files, hashed, "E-PACKAGE-INDEX")
