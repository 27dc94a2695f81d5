"""The diagnostics of one block's conversion, with the stable codes of the markup stage.

Word pastes repeat the same leftover hundreds of times, so repeated findings with the
same code and construct are folded into one diagnostic with a count and the first
snippet; errors are reported once per construct and code as well, with the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from compiler.diagnostics import Diagnostic, Severity
from compiler.markup.settings import BlockContext

# Errors: the block is not released.
ACTIVE_ELEMENT = (
    "E-EXM-ACTIVE-ELEMENT"  # script, iframe, object, embed, form, svg, style with content
)
EVENT_HANDLER = "E-EXM-EVENT-HANDLER"  # on* attributes
ACTIVE_URL = "E-EXM-ACTIVE-URL"  # javascript:, vbscript:, data: in any URL-bearing attribute
ACTIVE_CSS = "E-EXM-ACTIVE-CSS"  # expression(), url(), behavior, -moz-binding, @import in CSS
LINK_SCHEME = "E-EXM-LINK-SCHEME"  # a href other than https:, mailto:, tel:
IMAGE_URL = "E-EXM-IMAGE-URL"  # img src is a URL, not an asset of the release
IMAGE_UNRESOLVED = "E-EXM-IMAGE-UNRESOLVED"  # img src names no asset of the release
LIST_DEPTH = "E-EXM-LIST-DEPTH"  # lists nested deeper than 2
TABLE_NESTED = "E-EXM-TABLE-NESTED"  # a table inside a table, list or text
VAR_NAME = "E-EXM-VAR-NAME"  # {{ … }} whose name is not [A-Za-z_][A-Za-z0-9_.]*
TOO_DEEP = "E-EXM-TOO-DEEP"  # nesting beyond the depth cap
TOO_LARGE = "E-EXM-TOO-LARGE"  # source or element count beyond the size caps
FOOTNOTE_DUPLICATE = "E-EXM-FOOTNOTE-DUPLICATE"  # two definitions of one footnote number
INVALID_OUTPUT = "E-EXM-INVALID"  # safety net: the EXM did not validate against exm.xsd

# Warnings: recorded against the block in the audit manifest.
HEADING_LEVEL = "W-EXM-HEADING-LEVEL"  # h4–h6 (Markdown ####–######) became level 3
UNWRAPPED = "W-EXM-UNWRAPPED"  # element dropped, its text kept
DROPPED = "W-EXM-DROPPED"  # element without visible text dropped (hr, empty style, title…)
WORD_LEFTOVER = "W-EXM-WORD-LEFTOVER"  # mso- styles, Mso classes, o:p, conditional comments
STYLE_DROPPED = "W-EXM-STYLE-DROPPED"  # inline CSS, colours, font faces
CLASS_DROPPED = "W-EXM-CLASS-DROPPED"  # a class not in the configured style map
ATTRIBUTE_DROPPED = "W-EXM-ATTRIBUTE-DROPPED"  # other presentational attributes
ROWSPAN = "W-EXM-ROWSPAN"  # rowspan expanded into empty cells
STRUCTURE = "W-EXM-STRUCTURE-REPAIRED"  # block inside text, list item outside a list…
FOOTNOTE_MISSING = "W-EXM-FOOTNOTE-MISSING"  # a marker without definition
FOOTNOTE_UNUSED = "W-EXM-FOOTNOTE-UNUSED"  # a definition without marker
CONTROL_CHAR = "W-EXM-CONTROL-CHAR"  # characters XML cannot carry, removed
SNIPPET_LENGTH = 60


def snippet(text: str) -> str:
    """A short, one-line excerpt of the offending construct for a message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_LENGTH else flat[: SNIPPET_LENGTH - 1] + "…"


@dataclass
class _Entry:
    severity: Severity
    code: str
    construct: str
    message: str
    count: int = 1


@dataclass
class Findings:
    """Collects the findings of one block and turns them into Diagnostics."""

    context: BlockContext
    _entries: dict[tuple[str, str], _Entry] = field(default_factory=dict)

    def error(self, code: str, construct: str, message: str) -> None:
        """Record an error about ``construct`` (e.g. ``<script>``)."""
        self._add(Severity.ERROR, code, construct, message)

    def warn(self, code: str, construct: str, message: str) -> None:
        """Record a warning about ``construct``."""
        self._add(Severity.WARNING, code, construct, message)

    @property
    def has_errors(self) -> bool:
        """True when an error keeps the block out of the release."""
        return any(e.severity is Severity.ERROR for e in self._entries.values())

    def diagnostics(self) -> list[Diagnostic]:
        """The findings in the order first seen, each naming block, locale and channel."""
        where = self.context.where()
        result = []
        for entry in self._entries.values():
            times = f" ({entry.count} times)" if entry.count > 1 else ""
            result.append(Diagnostic(entry.severity, entry.code, entry.message + times, **where))
        return result

    def _add(self, severity: Severity, code: str, construct: str, message: str) -> None:
        key = (code, construct)
        if key in self._entries:
            self._entries[key].count += 1
        else:
            self._entries[key] = _Entry(severity, code, construct, message)


def text_of(element: Any) -> str:
    """The text content of a source element (all descendants' text)."""
    return "".join(element.itertext())
