"""HTML tables → ``exm:table``: columns, header and body rows, rowspan expanded.

Exstream has no ``rowspan`` (the engine fakes it with empty cells), so a cell spanning
rows is kept in its first row and the rows below get an empty cell in its place.
Tables only stand at block level: a table in a table, list item or text is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.sink import Mode, Sink
from compiler.markup.walk import Walk

MAX_SPAN = 1000  # HTML's own limit for colspan
_LENGTH = re.compile(r"\s*(\d{1,4}(?:\.\d{1,2})?)\s*(%|px)?\s*", re.IGNORECASE)
_CSS_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*([^;]+)", re.IGNORECASE)
_CSS_ALIGN = re.compile(r"(?:^|;)\s*text-align\s*:\s*(left|center|right|justify)\s*(?:;|$)", re.I)
ALIGNS = frozenset({"left", "center", "right", "justify"})
_TABLE_ATTRIBUTES = frozenset({"style"})  # table-level CSS (widths, borders) is the template's


@dataclass(slots=True)
class _Cell:
    source: etree._Element | None  # None: the filler below a rowspan
    header: bool
    colspan: int


def convert_table(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """Emit ``source`` (an HTML table) as ``exm:table`` into a block-level sink."""
    if sink.mode is not Mode.BLOCKS or walk.in_table:
        where = "another table" if walk.in_table else "a list item or text"
        walk.found.error(
            codes.TABLE_NESTED, "table",
            f"a table inside {where} is not supported by Exstream; move it to block level",
        )  # fmt: skip
        return
    sink.close_line()
    walk.attributes(source, _TABLE_ATTRIBUTES)
    columns: list[str] = []
    head: list[list[etree._Element]] = []
    body: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    for child in source:
        name = child.tag.lower() if isinstance(child.tag, str) else ""
        if name == "caption":
            walk.found.warn(codes.UNWRAPPED, "caption", "table caption kept as a paragraph")
            caption = Sink(exm.sub(sink.element, "p"), Mode.INLINE, walk.found)
            walk.children(child, caption)
        elif name in ("col", "colgroup"):
            columns.extend(_columns(walk, child))
        elif name == "thead":
            head.append(_rows(child))
        elif name in ("tbody", "tfoot"):
            body.append(_rows(child))
        elif name == "tr":
            loose.append(child)
        elif name:
            walk.found.warn(
                codes.STRUCTURE, f"table>{name}", f"<{name}> directly in a table dropped"
            )
    if loose:
        body.append(loose)
    table = exm.sub(sink.element, "table")
    for width in columns:
        exm.sub(table, "col", **({"width": width} if width else {}))
    walk.in_table = True
    try:
        for section_name, sections in (("thead", head), ("tbody", body)):
            rows = [row for section in sections for row in _expand(walk, section)]
            if rows:
                _emit_rows(walk, exm.sub(table, section_name), rows)
    finally:
        walk.in_table = False
    if not any(exm.local(child) in ("thead", "tbody") for child in table):
        sink.element.remove(table)
        walk.found.warn(codes.DROPPED, "empty table", "table without cells dropped")
    sink.close_line()


def _rows(section: etree._Element) -> list[etree._Element]:
    return [row for row in section if isinstance(row.tag, str) and row.tag.lower() == "tr"]


def _columns(walk: Walk, source: etree._Element) -> list[str]:
    if source.tag.lower() == "colgroup" and len(source):
        return [width for col in source if col.tag == "col" for width in _columns(walk, col)]
    walk.attributes(source, frozenset({"width", "span", "style"}))
    width = _width(walk, source)
    return [width] * _span(walk, source, "span")


def _width(walk: Walk, source: etree._Element) -> str:
    raw = source.get("width")
    css = _CSS_WIDTH.search(source.get("style") or "")
    if css:
        raw = css.group(1)
    if raw is None:
        return ""
    match = _LENGTH.fullmatch(raw)
    if not match:
        walk.found.warn(codes.ATTRIBUTE_DROPPED, "col@width", f"column width {raw!r} dropped")
        return ""
    return match.group(1) + (match.group(2) or "px").lower()


def _span(walk: Walk, source: etree._Element, attribute: str) -> int:
    raw = (source.get(attribute) or "1").strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_SPAN:
        walk.found.warn(
            codes.ATTRIBUTE_DROPPED, f"{attribute}",
            f"{attribute}={raw[:20]!r} on <{source.tag}> is not a number up to {MAX_SPAN}; "
            "taken as 1",
        )  # fmt: skip
        return 1
    return int(raw)


def _expand(walk: Walk, rows: list[etree._Element]) -> list[list[_Cell]]:
    """The section's rows with every rowspan replaced by empty cells in the rows below."""
    fillers: dict[int, dict[int, _Cell]] = {}
    result: list[list[_Cell]] = []
    for index, row in enumerate(rows):
        cells: list[_Cell] = []
        below = fillers.pop(index, {})
        column = 0
        for source in row:
            name = source.tag.lower() if isinstance(source.tag, str) else ""
            if name not in ("td", "th"):
                if name:
                    walk.found.warn(
                        codes.STRUCTURE, f"tr>{name}", f"<{name}> directly in a row dropped"
                    )
                continue
            while column in below:
                filler = below.pop(column)
                cells.append(filler)
                column += filler.colspan
            cell = _Cell(
                source, name == "th", _span(walk, source, "colspan") if source.get("colspan") else 1
            )
            cells.append(cell)
            span = _rowspan(walk, source, len(rows) - index)
            for offset in range(1, span):
                fillers.setdefault(index + offset, {})[column] = _Cell(
                    None, cell.header, cell.colspan
                )
            column += cell.colspan
        cells.extend(below[c] for c in sorted(below))
        if cells:
            result.append(cells)
    return result


def _rowspan(walk: Walk, source: etree._Element, remaining: int) -> int:
    if source.get("rowspan") is None:
        return 1
    raw = source.get("rowspan", "1").strip()
    span = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1
    span = remaining if span == 0 else min(span, remaining)  # 0: to the end of the section
    if span > 1:
        walk.found.warn(
            codes.ROWSPAN, "rowspan",
            f"rowspan={raw} expanded into empty cells (Exstream has no rowspan)",
        )  # fmt: skip
    return span


def _emit_rows(walk: Walk, section: etree._Element, rows: list[list[_Cell]]) -> None:
    for row in rows:
        tr = exm.sub(section, "tr")
        for cell in row:
            attributes = {"colspan": str(cell.colspan)} if cell.colspan > 1 else {}
            if cell.source is not None:
                align = _align(cell.source)
                if align:
                    attributes["align"] = align
            element = exm.sub(tr, "th" if cell.header else "td", **attributes)
            if cell.source is not None:
                _cell_content(walk, cell.source, element)


def _align(source: etree._Element) -> str:
    style = source.get("style")
    css = _CSS_ALIGN.search(style) if style else None
    value = css.group(1) if css else (source.get("align") or "")
    return value.lower() if value.lower() in ALIGNS else ""


_CELL_ATTRIBUTES = frozenset({"colspan", "rowspan", "align"})
_CELL_ATTRIBUTES_AND_STYLE = _CELL_ATTRIBUTES | {"style"}


def _cell_content(walk: Walk, source: etree._Element, cell: etree._Element) -> None:
    used = _CELL_ATTRIBUTES
    style = source.get("style")
    if style and _CSS_ALIGN.search(style) and not _CSS_ALIGN.sub("", style).strip(" ;"):
        used = _CELL_ATTRIBUTES_AND_STYLE  # only text-align, which became align
    walk.attributes(source, used)
    depth, walk.list_depth = walk.list_depth, 0
    try:
        walk.children(source, Sink(cell, Mode.FLOW, walk.found))
    finally:
        walk.list_depth = depth
