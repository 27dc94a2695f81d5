"""The CommonMark spec examples: no crash, and XSD-valid EXM or a coded rejection each."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from compiler.diagnostics import Severity
from compiler.markup import convert, exm
from tests.markup.support import DATA, SETTINGS, context, resolve_asset

EXAMPLES: list[dict[str, Any]] = json.loads((DATA / "commonmark.json").read_text(encoding="utf-8"))


def test_the_corpus_is_the_full_spec() -> None:
    assert len(EXAMPLES) == 652


@pytest.mark.parametrize("section", sorted({e["section"] for e in EXAMPLES}))
def test_spec_examples(section: str) -> None:
    outcomes: Counter[str] = Counter()
    for example in (e for e in EXAMPLES if e["section"] == section):
        result = convert(example["markdown"], "markdown", context(), SETTINGS, resolve_asset)
        errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
        if result.exm is None:
            assert errors, f"example {example['example']} rejected without a coded error"
            assert all(d.code.startswith("E-EXM-") for d in errors)
            assert all(d.code != "E-EXM-INVALID" for d in errors), example["example"]
            outcomes["rejected"] += 1
        else:
            assert not errors
            assert exm.validation_errors(result.exm) == [], example["example"]
            outcomes["accepted"] += 1
    assert sum(outcomes.values()) > 0


def test_most_examples_are_accepted() -> None:
    # Rejections are links to http:/relative targets, images by URL and raw active HTML;
    # the bulk of the spec (emphasis, lists, code, entities …) must convert.
    accepted = sum(
        convert(e["markdown"], "markdown", context(), SETTINGS, resolve_asset).exm is not None
        for e in EXAMPLES
    )
    assert accepted > len(EXAMPLES) * 0.6
