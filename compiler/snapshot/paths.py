"""Rules for entry paths: what a safe path inside an export looks like.

Every rule reports, never raises, so one run lists every bad entry. The rules are a
table (code, test, explanation), checked in order; the first rule an entry breaks is
reported for it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from compiler.diagnostics import Diagnostic, Location, error
from compiler.snapshot import codes

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _parts(path: str) -> list[str]:
    return path.split("/")


PathRule = tuple[str, Callable[[str], bool], str]

# (code, breaks the rule?, why it is refused and what to do)
PATH_RULES: tuple[PathRule, ...] = (
    (codes.BACKSLASH, lambda p: "\\" in p,
     "entry name contains a backslash; zip entries must use '/' (re-create the zip "
     "with a standard tool)"),
    (codes.ABSOLUTE_PATH, lambda p: p.startswith("/") or bool(_DRIVE.match(p)),
     "entry name is an absolute path; an export's entries must be relative to its root"),
    (codes.ZIP_SLIP, lambda p: ".." in _parts(p),
     "entry name contains '..' and would point outside the export (zip slip)"),
    (codes.BAD_PATH,
     lambda p: bool(_CONTROL.search(p)) or any(c in ("", ".") for c in _parts(p)),
     "entry name has an empty or '.' segment or a control character"),
)


def path_problems(path: str, entry: str) -> list[Diagnostic]:
    """The first path rule ``path`` breaks, as a diagnostic located at ``entry``."""
    for code, broken, why in PATH_RULES:
        if broken(path):
            return [error(code, f"{why}: {path!r}", location=Location(file=entry))]
    return []


def fold(path: str) -> str:
    """The form two names collide in on a case-insensitive file system."""
    return unicodedata.normalize("NFC", path).casefold()


def collision_problems(paths: Iterable[tuple[str, str]]) -> list[Diagnostic]:
    """Duplicate and case-colliding names among ``(path, entry label)`` pairs."""
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    found: list[Diagnostic] = []
    for path, label in paths:
        if path in seen:
            found.append(error(codes.DUPLICATE,
                               f"entry {path!r} appears more than once; an export holds "
                               "each path once", location=Location(file=label)))
            continue
        seen[path] = label
        key = fold(path)
        other = folded.get(key)
        if other is not None:
            found.append(error(codes.CASE_COLLISION,
                               f"entry {path!r} differs from {other!r} only in letter case "
                               "(or Unicode normalisation); they would overwrite each other "
                               "on Windows and macOS", location=Location(file=label)))
            continue
        folded[key] = path
    return found
