"""EXM → the ``.txt`` form: plain UTF-8 text for text-only targets.

Blocks are separated by a blank line; list items start with ``- `` (``1. `` when
ordered), nested ones indented; tables are aligned columns; links read
``label (url)``; footnote markers ``[n]`` with the notes at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from compiler.markup import exm
from compiler.markup.settings import MarkupSettings
from compiler.markup.tidy import link_label_suffix

InlineRenderer = Callable[[etree._Element, MarkupSettings], str]


def _content(element: etree._Element, settings: MarkupSettings) -> str:
    if not len(element):  # text only: the common case for formatting
        return element.text or ""
    parts = [element.text or ""]
    for child in element:
        parts.append(_INLINE_BY_TAG.get(child.tag, _content)(child, settings))
        parts.append(child.tail or "")
    return "".join(parts)


_INLINE: dict[str, InlineRenderer] = {
    "br": lambda _e, _s: "\n",
    "var": lambda e, s: s.variable(e.get("name", "")),
    "img": lambda e, _s: f"[{e.get('alt')}]" if e.get("alt") else "",
    "fnref": lambda e, _s: f"[{e.get('n')}]",
    "a": lambda e, s: _content(e, s) + link_label_suffix(e),
}


def _paragraph(element: etree._Element, settings: MarkupSettings) -> list[str]:
    return _content(element, settings).split("\n")


def _listing(element: etree._Element, settings: MarkupSettings) -> list[str]:
    lines: list[str] = []
    ordered = exm.local(element) == "ol"
    number = int(element.get("start", "1"))
    for item in element:
        bullet = f"{number}. " if ordered else "- "
        number += 1
        body = _flow(item, settings)
        lines.append(bullet + (body[0] if body else ""))
        lines.extend(" " * len(bullet) + line if line else "" for line in body[1:])
    return lines


def _flow(element: etree._Element, settings: MarkupSettings) -> list[str]:
    """Lines of a list item or cell: inline text, paragraphs and nested lists."""
    if not len(element):  # text only: most cells and items
        return element.text.split("\n") if element.text else []
    lines: list[str] = []
    inline = [element.text or ""]
    for child in element:
        block = _BLOCKS_BY_TAG.get(child.tag)
        if block is not None:
            text = "".join(inline)
            lines.extend(text.split("\n") if text else [])
            inline = []
            lines.extend(block(child, settings))
        else:
            inline.append(_INLINE_BY_TAG.get(child.tag, _content)(child, settings))
        inline.append(child.tail or "")
    text = "".join(inline)
    if text:
        lines.extend(text.split("\n"))
    return lines


def _table(element: etree._Element, settings: MarkupSettings) -> list[str]:
    rows: list[list[tuple[str, str]]] = []
    header_rows = 0
    for section in element:
        if exm.local(section) not in ("thead", "tbody"):
            continue
        for row in section:
            cells: list[tuple[str, str]] = []
            for cell in row:
                text = " ".join(_flow(cell, settings))
                cells.append((text, cell.get("align", "left")))
                cells.extend(("", "left") for _ in range(int(cell.get("colspan", "1")) - 1))
            rows.append(cells)
            header_rows += exm.local(section) == "thead"
    columns = max(len(row) for row in rows)
    widths = [
        max((len(row[i][0]) for row in rows if i < len(row)), default=0) for i in range(columns)
    ]
    lines = []
    for index, row in enumerate(rows):
        padded = [_pad(text, widths[i], align) for i, (text, align) in enumerate(row)]
        lines.append("  ".join(padded).rstrip())
        if index + 1 == header_rows:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _pad(text: str, width: int, align: str) -> str:
    if align == "right":
        return text.rjust(width)
    if align == "center":
        return text.center(width)
    return text.ljust(width)


def _footnotes(element: etree._Element, settings: MarkupSettings) -> list[str]:
    return [f"[{note.get('n')}] " + _content(note, settings).replace("\n", " ") for note in element]


_BLOCKS: dict[str, Callable[[etree._Element, MarkupSettings], list[str]]] = {
    "p": _paragraph, "h": _paragraph, "ul": _listing, "ol": _listing, "table": _table,
    "footnotes": _footnotes,
}  # fmt: skip
# The tables by qualified tag: one dictionary look-up per element.
_INLINE_BY_TAG = {exm.tag(name): render for name, render in _INLINE.items()}
_BLOCKS_BY_TAG = {exm.tag(name): render for name, render in _BLOCKS.items()}


def render_text(block: etree._Element, settings: MarkupSettings) -> bytes:
    """The plain-text form of a block, UTF-8, blocks separated by a blank line."""
    paragraphs = [
        "\n".join(line.rstrip() for line in _BLOCKS[exm.local(c)](c, settings)) for c in block
    ]
    text = "\n\n".join(p for p in paragraphs if p.strip())
    return (text + "\n").encode("utf-8") if text else b""
