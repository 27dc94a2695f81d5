"""Fixture pairs: every input in cases/ against its expected EXM or expected error codes.

``<name>.html|.md`` converts to ``<name>.exm.xml`` byte for byte, or is rejected with
exactly the error codes of ``<name>.error.txt``; ``<name>.codes.txt`` lists every
diagnostic code (warnings included) the conversion must report, and no other.
Cases named ``print-*`` convert for the print channel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.diagnostics import Severity
from compiler.markup import exm
from tests.markup.support import Case, cases, codes_of

CASES = cases()


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 60
    assert sum(case.expected("error.txt").exists() for case in CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case) -> None:
    result = case.convert()
    listed = case.expected("codes.txt")
    expected_codes = _lines(listed) if listed.exists() else []
    assert codes_of(result) == expected_codes, [d.format() for d in result.diagnostics]
    if case.expected("error.txt").exists():
        assert result.exm is None
        errors = sorted({d.code for d in result.diagnostics if d.severity is Severity.ERROR})
        assert errors == _lines(case.expected("error.txt"))
    else:
        assert result.exm is not None, [d.format() for d in result.diagnostics]
        assert result.exm == case.expected("exm.xml").read_bytes()
        assert exm.validation_errors(result.exm) == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_diagnostic_names_the_block(case: Case) -> None:
    for diagnostic in case.convert().diagnostics:
        assert diagnostic.key == "FEE-HOME-PLUS"
        assert diagnostic.locale == "de_DE"
        assert diagnostic.channel == (case.channel or "")
        assert diagnostic.code.startswith(("E-EXM-", "W-EXM-"))
        assert diagnostic.message


def test_every_diagnostic_code_has_a_fixture() -> None:
    from compiler.markup import findings

    defined = {
        value
        for name, value in vars(findings).items()
        if name.isupper() and isinstance(value, str) and value.startswith(("E-EXM-", "W-EXM-"))
    }
    listed = {
        code
        for case in CASES
        for suffix in ("codes.txt", "error.txt")
        if case.expected(suffix).exists()
        for code in _lines(case.expected(suffix))
    }
    # TOO-LARGE needs megabytes of input (test_hostile.py); INVALID is the safety net
    # behind the converter, which builds only valid EXM.
    assert defined - listed == {"E-EXM-TOO-LARGE", "E-EXM-INVALID"}
    assert listed <= defined
