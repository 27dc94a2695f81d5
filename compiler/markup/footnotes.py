"""Footnotes in the editor's convention, numbered per block in order of first reference.

A marker is ``<sup>n</sup>`` in the text; its definition is a paragraph
``<p class="footnote"><sup>n</sup> text</p>`` anywhere in the block. Markdown footnotes
(``[^label]``) are rendered into the same convention before conversion.
"""

from __future__ import annotations

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


def marker_number(sup: etree._Element) -> int | None:
    """The number of a ``<sup>n</sup>`` marker (digits only, no child elements), else None."""
    text = (sup.text or "").strip()
    if len(sup) or not text.isascii() or not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if number > 0 else None


def _definition_number(paragraph: etree._Element) -> int | None:
    if FOOTNOTE_CLASS not in (paragraph.get("class") or "").split():
        return None
    if (paragraph.text or "").strip() or not len(paragraph):
        return None
    first = paragraph[0]
    if not isinstance(first.tag, str) or first.tag.lower() != "sup":
        return None
    return marker_number(first)


@dataclass
class FootnoteBook:
    """The block's definitions (by their source number) and the numbers given out."""

    definitions: dict[int, etree._Element] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)

    @classmethod
    def collect(cls, root: etree._Element, found: Findings) -> FootnoteBook:
        """Find every definition paragraph; two definitions of one number are an error."""
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
        paragraph = self.definitions[old]
        sink = Sink(exm.sub(notes, "fn", n=str(new)), Mode.INLINE, walk.found)
        marker = paragraph[0]
        sink.text(marker.tail or "")
        for sibling in marker.itersiblings():
            walk.element(sibling, sink)
            sink.text(sibling.tail or "")
