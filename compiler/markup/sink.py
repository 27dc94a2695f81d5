"""Where converted content goes: EXM containers, HTML whitespace rules and variables.

A :class:`Sink` is an EXM element being filled plus what it accepts (:class:`Mode`).
Inline content arriving in a block-only container opens an implicit paragraph. Text
follows HTML's whitespace rules (runs of space, tab, CR, LF, FF collapse to one space,
none at the start or end of a line; U+00A0 is text), so the EXM is canonical.
``{{ name }}`` in text becomes ``exm:var``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet

_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")
HTML_SPACE = " \t\n\r\f"
VARIABLE = re.compile(r"\{\{[ \t\n\r\f]*([A-Za-z_][A-Za-z0-9_.]*)[ \t\n\r\f]*\}\}")
# What is left after the variables: a {{ … }} here has a name the XSD would refuse.
BAD_VARIABLE = re.compile(r"\{\{([^{}]*)\}\}")


class Mode(enum.Enum):
    """What an EXM container accepts."""

    BLOCKS = "blocks"  # exm:block: paragraphs, headings, lists, tables
    FLOW = "flow"  # li, th, td: text and inline elements, paragraphs, lists
    INLINE = "inline"  # p, h, fn and inline elements: text and inline elements only


@dataclass(slots=True)
class Run:
    """Whitespace state of one line of inline content (a paragraph, item, cell …)."""

    at_start: bool = True  # nothing emitted on this line yet: leading spaces vanish
    pending_space: bool = False  # a space to emit before the next content
    pending_break: bool = False  # an unwrapped block ended: a br before the next content


@dataclass(slots=True)
class Sink:
    """An EXM element being filled, what it accepts, and its line's whitespace state."""

    element: etree._Element
    mode: Mode
    found: Findings
    run: Run = field(default_factory=Run)
    _paragraph: Sink | None = None

    def inline(self) -> Sink:
        """The sink for inline content: an implicit paragraph in a block-only container."""
        if self.mode is not Mode.BLOCKS:
            return self
        if self._paragraph is None:
            self._paragraph = Sink(exm.sub(self.element, "p"), Mode.INLINE, self.found)
        return self._paragraph

    @property
    def has_open_paragraph(self) -> bool:
        """In a block-only container: whether inline content has opened a paragraph."""
        return self._paragraph is not None

    def close_line(self) -> None:
        """A block starts or ends here: the next inline content begins a new line."""
        self._paragraph = None
        if self.mode is Mode.BLOCKS:
            return
        if self.mode is Mode.FLOW:
            # Inline content on this line is followed by a block: if that block is
            # unwrapped into this item or cell, a break keeps the lines apart
            # (``a<blockquote>b</blockquote>`` is two lines, not "ab"); before_content
            # leaves it out after a real block (p, list, table), which breaks the line.
            self.run = Run(at_start=False, pending_break=True) if not self.run.at_start \
                else Run()
        else:
            self.run.pending_break = self.run.pending_break or not self.run.at_start
            self.run.pending_space = False

    def text(self, text: str) -> None:
        """Append source text: collapse whitespace, NFC, variables."""
        if not text:
            return
        if text.isprintable() and "  " not in text:
            # No tab, line feed, CR or form feed (they are not printable) and no run of
            # spaces: nothing to collapse, the regex would return the text as it is.
            core = text.strip(" ")
        else:
            core = _SPACE_RUN.sub(" ", text).strip(" ")
        if not core:
            if self.mode is not Mode.BLOCKS or self._paragraph is not None:
                self.inline().run.pending_space = True
            return
        target = self if self.mode is not Mode.BLOCKS else self.inline()
        run = target.run
        if text[0] in HTML_SPACE:
            run.pending_space = True
        if run.pending_break or run.pending_space or run.at_start:
            target.before_content()
        if not core.isascii():
            core = unicodedata.normalize("NFC", core)
        if "{{" in core:
            target._variables(core)
        else:  # the common case, inlined: no variable, nothing to check
            append_text(target.element, core)
        run.pending_space = text[-1] in HTML_SPACE

    def before_content(self) -> None:
        """Emit the pending line break or space before new visible content."""
        run = self.run
        if run.pending_break and not run.at_start and not self._after_block():
            exm.sub(self.element, "br")
            run.at_start, run.pending_space = True, False
        run.pending_break = False
        if run.pending_space and not run.at_start:
            append_text(self.element, " ")
        run.pending_space = False
        run.at_start = False

    def _after_block(self) -> bool:
        """Whether the element's content so far ends with a block (p, list, table, …)."""
        if not len(self.element):
            return False
        last = self.element[-1]
        return not last.tail and exm.local(last) in exm.FLOW_BLOCKS

    def line_break(self) -> None:
        """An explicit ``br``: spaces around it vanish."""
        target = self.inline()
        target.run.pending_break = target.run.pending_space = False
        exm.sub(target.element, "br")
        target.run.at_start = True

    def child(self, name: str, **attributes: str) -> Sink:
        """Open an inline EXM element; its content continues this line."""
        # A pending break or space goes into the element with its first content, so an
        # element that stays empty leaves nothing behind.
        target = self.inline()
        element = exm.sub(target.element, name, **attributes)
        return Sink(element, Mode.INLINE, self.found, target.run)

    def empty(self, name: str, **attributes: str) -> None:
        """Add an inline element without content (img, fnref)."""
        target = self.inline()
        target.before_content()
        exm.sub(target.element, name, **attributes)

    def _variables(self, text: str) -> None:
        if "{{" not in text:  # the common case: no variable, nothing to check
            append_text(self.element, text)
            return
        position = 0
        for match in VARIABLE.finditer(text):
            self._plain(text[position : match.start()])
            exm.sub(self.element, "var", name=match.group(1))
            position = match.end()
        self._plain(text[position:])

    def _plain(self, text: str) -> None:
        if not text:
            return
        for bad in BAD_VARIABLE.finditer(text):
            self.found.error(
                codes.VAR_NAME, bad.group(0),
                f"variable {snippet(bad.group(0))}: a name must match [A-Za-z_][A-Za-z0-9_.]*",
            )  # fmt: skip
        append_text(self.element, text)


def append_text(element: etree._Element, text: str) -> None:
    """Append text at the end of an element's content (after its last child)."""
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text
