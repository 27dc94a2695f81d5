"""Footnotes in the editor's convention, numbered per block in order of first reference.

A marker is ``<sup>n</sup>`` in the text; its definition is a paragraph
``<p class="footnote"><sup>n</sup> text</p>`` anywhere in the block. Markdown footnotes
(``[^label]``) are rendered into the same convention before conversion.

Editors put formatting around both: a bold marker ``<sup><strong>1</strong></sup>``, a
"small footnote" ``<p class="footnote"><span style="font-size:8pt"><sup>1</sup> …</span>
</p>``. Both are recognised (see :data:`FORMATTING`): a marker left as plain superscript
while the notes are numbered anew would point the reader at another note. A superscript
with digits that is still no marker (``<sup>1,2</sup>``) is warned for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet, text_of
from compiler.markup.sink import Mode, Sink

if TYPE_CHECKING:
    from compiler.markup.walk import Walk

FOOTNOTE_CLASS = "footnote"


#: Inline formatting that may stand around a marker's digits or a definition's marker.
#: It is the marker's presentation, which becomes ``fnref``/``fn@n`` and takes the
#: template's footnote style: like the marker's own attributes, it is dropped silently.
#: Links and other elements are not formatting: a ``<sup>`` holding one is no marker.
FORMATTING = frozenset({"b", "strong", "i", "em", "u", "s", "strike", "del", "span", "font"})


def _name(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def marker_number(sup: etree._Element) -> int | None:
    """The number of a ``<sup>n</sup>`` marker, else None.

    Its only visible content is the digits, possibly inside inline formatting (one
    element of :data:`FORMATTING` in another, with nothing but spaces around it):
    ``<sup><strong>1</strong></sup>`` is the marker 1 as an editor's bold button writes it.
    """
    digits = sup
    while len(digits):
        if len(digits) > 1 or (digits.text or "").strip():
            return None
        inner = digits[0]
        if _name(inner) not in FORMATTING or (inner.tail or "").strip():
            return None
        digits = inner
    text = (digits.text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if number > 0 else None


def _marker_path(paragraph: etree._Element) -> list[etree._Element] | None:
    """A definition's leading marker and the inline wrappers around it, outermost first.

    The marker is the paragraph's first visible content: its first child, or the first
    child of one or more elements of :data:`FORMATTING` that begin the paragraph, with no
    text before it at any level. ``<p class="footnote"><span style="font-size:8pt">
    <sup>1</sup> text</span></p>`` gives ``[span, sup]``. None: no definition.
    """
    if FOOTNOTE_CLASS not in (paragraph.get("class") or "").split():
        return None
    path: list[etree._Element] = []
    parent = paragraph
    while True:
        if (parent.text or "").strip() or not len(parent):
            return None
        first = parent[0]
        path.append(first)
        name = _name(first)
        if name == "sup":
            return path
        if name not in FORMATTING:
            return None
        parent = first


def _definition_number(paragraph: etree._Element) -> int | None:
    path = _marker_path(paragraph)
    return None if path is None else marker_number(path[-1])


def _blank(element: etree._Element) -> bool:
    """Nothing left in ``element``: no child, no text but HTML's spaces (U+00A0 is text)."""
    return not len(element) and not (element.text or "").strip(" \t\n\r\f")


@contextmanager
def _marker_taken_out(path: list[etree._Element]) -> Iterator[None]:
    """Take a definition's marker (``path[-1]``) out of its wrappers for a moment.

    Then the wrappers hold what follows the marker and go through the walk as they
    are: their formatting is mapped or dropped with the usual warnings, and the source
    elements keep their identity (a definition nested in one is still skipped as one).
    A wrapper left with nothing held only the marker; its formatting was the marker's
    and goes with it (see :data:`FORMATTING`), its spaces stay. Everything is put back
    afterwards, so the source reads as before (the outermost wrapper stays in place).
    """
    taken: list[tuple[etree._Element, etree._Element, str | None]] = []
    try:
        for depth in range(len(path) - 1, 0, -1):
            element, parent = path[depth], path[depth - 1]
            if depth < len(path) - 1 and not _blank(element):
                break
            text = parent.text
            kept = (element.text or "") if depth < len(path) - 1 else ""
            parent.text = (text or "") + kept + (element.tail or "")
            parent.remove(element)  # lxml: its tail goes with it and comes back with it
            taken.append((parent, element, text))
        yield
    finally:
        for parent, element, text in reversed(taken):
            parent.insert(0, element)
            parent.text = text


@dataclass
class FootnoteBook:
    """The block's definitions (by their source number) and the numbers given out."""

    definitions: dict[int, etree._Element] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)
    lookalikes: list[etree._Element] = field(default_factory=list)

    @classmethod
    def collect(cls, root: etree._Element, found: Findings) -> FootnoteBook:
        """Find every definition paragraph; two definitions of one number are an error.

        With definitions, a ``<sup>`` with digits that is no marker (``<sup>1,2</sup>``,
        ``<sup>1)</sup>``) is noted as a lookalike: it stays a plain superscript while the
        notes are numbered anew, so it may name another note; :meth:`emit` warns.
        """
        book = cls()
        for paragraph in root.iter("p"):
            number = _definition_number(paragraph)
            if number is None:
                continue
            if number in book.definitions:
                found.error(
                    codes.FOOTNOTE_DUPLICATE, f"fn {number}",
                    f"footnote {number} is defined twice: {snippet(text_of(paragraph))}",
                )  # fmt: skip
                continue
            book.definitions[number] = paragraph
        if book.definitions:
            book.lookalikes = [
                sup for sup in root.iter("sup")
                if marker_number(sup) is None and sup.find(".//sup") is None
                and any("0" <= c <= "9" for c in text_of(sup))
            ]  # fmt: skip
        return book

    def is_definition(self, paragraph: etree._Element) -> bool:
        """True for a paragraph that is a footnote definition (emitted at the end)."""
        number = _definition_number(paragraph)
        return number is not None and self.definitions.get(number) is paragraph

    def reference(self, number: int) -> int | None:
        """The block's number for source marker ``number``; None when it has no definition."""
        if number not in self.definitions:
            return None
        return self.numbers.setdefault(number, len(self.numbers) + 1)

    def emit(self, walk: Walk, block: etree._Element) -> None:
        """Write ``exm:footnotes``: referenced ones by number, then unreferenced ones (warned)."""
        if not self.definitions:
            return
        for sup in self.lookalikes:
            walk.found.warn(
                codes.FOOTNOTE_MISSING, "sup with digits, no marker",
                f"superscript {snippet(text_of(sup))!r} is not a footnote marker "
                "(<sup>n</sup>: one number) and is kept as superscript, but the block's "
                "footnotes are numbered anew, so it may point at another note; "
                "write one marker per note",
            )  # fmt: skip
        notes = exm.sub(block, "footnotes")
        done: set[int] = set()
        while True:  # a definition may reference another footnote: loop until stable
            pending = [(new, old) for old, new in self.numbers.items() if old not in done]
            if not pending:
                break
            for new, old in sorted(pending):
                done.add(old)
                self._note(walk, notes, new, old)
        for old in sorted(set(self.definitions) - done):
            new = len(self.numbers) + 1
            self.numbers[old] = new
            walk.found.warn(
                codes.FOOTNOTE_UNUSED, f"fn {old}",
                f"footnote {old} is defined but never referenced: "
                f"{snippet(text_of(self.definitions[old]))}",
            )  # fmt: skip
            self._note(walk, notes, new, old)

    def _note(self, walk: Walk, notes: etree._Element, new: int, old: int) -> None:
        """The note's text: what follows its marker, through the wrappers around the marker."""
        path = _marker_path(self.definitions[old])
        assert path is not None  # a definition has its marker
        sink = Sink(exm.sub(notes, "fn", n=str(new)), Mode.INLINE, walk.found)
        first = path[0]  # the marker, or the outermost wrapper around it
        if len(path) > 1:
            with _marker_taken_out(path):
                if _blank(first):
                    sink.text(first.text or "")
                else:
                    walk.element(first, sink)
        sink.text(first.tail or "")
        for sibling in first.itersiblings():
            walk.element(sibling, sink)
            sink.text(sibling.tail or "")
