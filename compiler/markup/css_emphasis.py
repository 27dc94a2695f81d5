"""Emphasis written as inline CSS, as Google Docs, CKEditor and Word paste it.

``<span style="font-weight:bold">`` is bold to a reader. EXM drops inline CSS (the
template's styles apply), but emphasis is content, so these declarations become EXM
elements (strong, em, u, s, sup, sub) and only the rest of the style is dropped and
warned. The reverse matters as much: Google Docs wraps a whole paste in
``<b style="font-weight:normal" id="docs-internal-guid-…">``, which is not bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DECLARATION = re.compile(r"([A-Za-z-]+)\s*:\s*([^;]*)")

#: EXM emphasis in the order it is nested (outermost first): output is deterministic.
ORDER = ("strong", "em", "u", "s", "sup", "sub")


@dataclass(frozen=True)
class CssEmphasis:
    """What a style attribute says about emphasis, and what is left of it."""

    on: tuple[str, ...]  # EXM elements the style turns on, outermost first
    off: frozenset[str]  # EXM elements the style turns off (font-weight:normal, …)
    rest: str  # the declarations that are not about emphasis
    off_declarations: tuple[str, ...] = ()  # the declarations that turn emphasis off

    @property
    def mapped(self) -> bool:
        """True when the style said anything about emphasis."""
        return bool(self.on or self.off)


def _weight(value: str) -> tuple[set[str], set[str]]:
    if value in ("bold", "bolder") or (value.isdigit() and int(value) >= 600):
        return {"strong"}, set()
    if value in ("normal", "lighter") or (value.isdigit() and int(value) < 600):
        return set(), {"strong"}
    return set(), set()


def _style(value: str) -> tuple[set[str], set[str]]:
    if value in ("italic", "oblique") or value.startswith("oblique "):
        return {"em"}, set()
    return (set(), {"em"}) if value == "normal" else (set(), set())


def _decoration(value: str) -> tuple[set[str], set[str]]:
    words = set(value.split())
    on = {name for word, name in (("underline", "u"), ("line-through", "s")) if word in words}
    return (on, set()) if on else ((set(), {"u", "s"}) if "none" in words else (set(), set()))


def _vertical(value: str) -> tuple[set[str], set[str]]:
    return ({value}, set()) if value in ("super", "sub") else (set(), set())


_PROPERTIES = {
    "font-weight": _weight, "font-style": _style, "text-decoration": _decoration,
    "text-decoration-line": _decoration, "vertical-align": _vertical,
}  # fmt: skip


def css_emphasis(style: str) -> CssEmphasis:
    """Read the emphasis out of an inline style (``font-weight:bold; color:red`` → strong,
    rest ``color:red``). ``super`` maps to EXM's ``sup``."""
    on: set[str] = set()
    off: set[str] = set()
    rest: list[str] = []
    off_declarations: list[str] = []
    for declaration in style.split(";"):
        match = _DECLARATION.fullmatch(declaration.strip())
        reader = _PROPERTIES.get(match.group(1).lower()) if match else None
        if match is None or reader is None:
            if declaration.strip():
                rest.append(declaration.strip())
            continue
        value = match.group(2).strip().lower().removesuffix("!important").strip()
        turned_on, turned_off = reader(value)
        if not turned_on and not turned_off:
            rest.append(declaration.strip())
            continue
        on |= {"sup" if name == "super" else name for name in turned_on}
        off |= turned_off
        if turned_off:
            off_declarations.append(declaration.strip())
    return CssEmphasis(tuple(name for name in ORDER if name in on), frozenset(off),
                       ";".join(rest), tuple(off_declarations))


#: A style that says nothing about emphasis (or no style at all).
NO_EMPHASIS = CssEmphasis((), frozenset(), "")
