"""The audit stage: the audit manifest, its HTML report, provenance, and reading them back.

Compliance officers answer "what went out, why, on whose approval, and what changed"
from the package alone; `cpc diff` and `cpc audit` read these files, never the export.
"""

from compiler.audit.changes import compare
from compiler.audit.manifest import FORMAT, build_manifest, dump_manifest
from compiler.audit.provenance import build_provenance
from compiler.audit.read import (
    MANIFEST_PATH,
    PackageUnreadable,
    manifest_problems,
    read_manifest_from_package,
)
from compiler.audit.report import neutralise, render_report

__all__ = ["FORMAT", "MANIFEST_PATH", "PackageUnreadable", "build_manifest",
           "build_provenance", "compare", "dump_manifest", "manifest_problems", "neutralise",
           "read_manifest_from_package", "render_report"]
