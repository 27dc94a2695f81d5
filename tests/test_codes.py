"""Every diagnostic code cpc can print is documented, and docs/diagnostics.md is current.

Codes are found as string constants in the syntax tree of every module under compiler/
(comments and docstrings that merely mention a code do not count). A documentation
table is a module-level ``CODES``, ``*_CODES`` or ``REASONS`` assignment.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from compiler import codes

ROOT = Path(__file__).parents[1]
CODE = re.compile(r"^[EW]-[A-Z0-9]+(-[A-Z0-9]+)*$")
MODULES = sorted((ROOT / "compiler").rglob("*.py"))
REGENERATE = "python -m compiler.codes > docs/diagnostics.md"


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_table(node: ast.stmt) -> bool:
    """A module-level documentation table (its entries are not uses of the codes)."""
    targets = (node.targets if isinstance(node, ast.Assign)
               else [node.target] if isinstance(node, ast.AnnAssign) else [])
    return any(isinstance(t, ast.Name) and (t.id.endswith("CODES") or t.id == "REASONS")
               for t in targets)


def _constant_name(node: ast.stmt) -> str | None:
    """``NAME`` of a module-level ``NAME = "E-…"`` (or annotated) assignment."""
    value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
    targets = (node.targets if isinstance(node, ast.Assign)
               else [node.target] if isinstance(node, ast.AnnAssign) else [])
    if (isinstance(value, ast.Constant) and isinstance(value.value, str)
            and CODE.match(value.value) and len(targets) == 1
            and isinstance(targets[0], ast.Name)):
        return targets[0].id
    return None


def _code_literals(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and CODE.match(node.value):
            yield node.value


def _code_literals_by_module() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in MODULES:
        for code in _code_literals(_tree(path)):
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_scan_finds_codes_of_every_stage() -> None:
    """Guards the scan itself: a broken pattern or path would make the next test vacuous."""
    found = _code_literals_by_module()
    for prefix in ("E-JSON-", "E-SNAPSHOT-", "E-EXM-", "W-EXM-", "E-RENDER-", "W-RENDER-",
                   "E-PACKAGE-", "E-VERIFY-", "E-EXSTREAM-", "E-OFFER-", "W-OFFER-",
                   "E-KIT-", "E-FINDINGS-", "E-FINDING-"):
        assert any(code.startswith(prefix) for code in found), prefix
    assert "E-" not in found and "W-" not in found  # prefixes alone are not codes


def test_every_code_in_the_compiler_is_documented() -> None:
    documented = codes.all_codes()
    missing = {code: sorted(where) for code, where in _code_literals_by_module().items()
               if code not in documented}
    assert not missing, (f"codes without documentation (add them to their stage's CODES "
                         f"table, then {REGENERATE}): {missing}")


def test_every_documented_code_is_emitted() -> None:
    """A documented code is used outside the tables: as a literal, or by its constant's name."""
    used_literals: set[str] = set()
    used_names: set[str] = set()
    constants: dict[str, list[str]] = {}
    for path in MODULES:
        tree = _tree(path)
        for statement in tree.body:
            if _is_table(statement):
                continue
            name = _constant_name(statement)
            if name is not None:
                assert isinstance(statement, ast.Assign | ast.AnnAssign)
                assert isinstance(statement.value, ast.Constant)
                constants.setdefault(str(statement.value.value), []).append(name)
                continue
            for node in ast.walk(statement):
                if isinstance(node, ast.Name):
                    used_names.add(node.id)
                elif isinstance(node, ast.Attribute):
                    used_names.add(node.attr)
                elif isinstance(node, ast.alias):
                    used_names.add(node.asname or node.name)
            used_literals.update(_code_literals(statement))
    dead = sorted(code for code in codes.all_codes()
                  if code not in used_literals
                  and not used_names.intersection(constants.get(code, [])))
    assert not dead, f"documented but never emitted (remove them from the table): {dead}"


def test_every_code_is_in_one_table_only_and_well_formed() -> None:
    seen: dict[str, str] = {}
    for section in codes.all_tables():
        for key, (meaning, todo) in section.table.items():
            assert meaning.strip() and todo.strip(), key
            if section.key_column == "code":
                assert CODE.match(key), key
                assert key not in seen, f"{key} is in {seen[key]} and {section.title}"
                seen[key] = section.title
            else:
                assert re.fullmatch(r"[a-z_]+", key), key


@pytest.mark.parametrize("section", codes.all_tables(), ids=lambda s: s.title)
def test_markdown_has_a_row_for_every_entry(section: codes.Section) -> None:
    text = codes.markdown()
    assert f"## {section.title}\n" in text
    lines = text.splitlines()
    for key, (meaning, todo) in section.table.items():
        meaning, todo = (cell.replace("|", "\\|") for cell in (meaning, todo))
        assert f"| `{key}` | {meaning} | {todo} |" in lines


def test_committed_document_is_current() -> None:
    committed = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    assert committed == codes.markdown(), f"docs/diagnostics.md is stale: {REGENERATE}"
