"""Bag path rules: NFC, ASCII-safe, no '.'/'..' or empty segments, unique without regard to case."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from compiler.package.paths import case_collisions, path_problems

SAFE_SEGMENT = st.from_regex(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,11}", fullmatch=True).filter(
    lambda s: s not in (".", ".."))


@given(st.lists(SAFE_SEGMENT, min_size=1, max_size=5))
def test_safe_paths_have_no_problems(segments: list[str]) -> None:
    assert path_problems("/".join(segments)) == []


@given(st.text(min_size=1, max_size=30))
def test_any_path_with_a_character_outside_the_set_is_refused(text: str) -> None:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", text) is None:
        assert path_problems(text)


def test_each_kind_of_bad_path_says_why() -> None:
    cases = {
        "/abs/x": "absolute", "C:x": "absolute", "a/../b": "'..'", "a//b": "empty segment",
        "a\\b": "backslash", "a/b/": "empty segment", "ä": "characters",
        "e\u0301": "NFC",
    }
    for path, reason in cases.items():
        assert any(reason in problem for problem in path_problems(path)), (path, reason)


def test_case_collisions_pair_each_repeat_with_the_first() -> None:
    assert case_collisions(["data/A.txt", "data/b.txt", "data/a.TXT", "data/A.txt"]) == [
        ("data/A.txt", "data/a.TXT"), ("data/A.txt", "data/A.txt")]
