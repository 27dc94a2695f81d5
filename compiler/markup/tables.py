"""HTML tables → ``exm:table``: columns, header and body rows, rowspan expanded.

EXM has ``thead`` and ``tbody`` only: footer rows (``tfoot``) end the body, where HTML
shows them wherever the ``tfoot`` stands in the source (before the ``tbody``, as HTML 4
wrote it: then they are moved, warned).

Exstream has no ``rowspan`` (the engine fakes it with empty cells), so a cell spanning
rows is kept in its first row and the rows below get an empty cell in its place.
Tables only stand at block level: a table in a table, list item or text is an error.

Spans are read as HTML reads them, but nothing is changed silently: a span that is not a
number, or a colspan or col span of 0 (which HTML takes as 1), is taken as 1; a rowspan
beyond the last row of its row group is clipped to it (rowspan 0: to the end of the group,
as in HTML); a colspan is narrowed to the table's columns (see :func:`_narrow`). Each is
a warning naming the value, the element and the cell's text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Protocol

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.findings import snippet, text_of
from compiler.markup.sink import Mode, Sink
from compiler.markup.walk import Walk

MAX_SPAN = 1000  # HTML's own limit for colspan (and col span)
MAX_ROWSPAN = 65534  # HTML's own limit for rowspan
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
    origin: etree._Element  # the source cell (for a filler: the cell spanning into its row)
    asked: int  # the colspan the source asked for (MAX_SPAN + 1: more than HTML allows)
    beyond: bool = False  # the colspan as asked reaches beyond the table's last column


class _Warnings(Protocol):
    def warn(self, code: str, construct: str, message: str) -> None: ...


@dataclass(slots=True)
class _Held:
    """Warnings held back while all rows are read, replayed when their section is emitted.

    The table's width is only known once every row is read; replaying keeps the order of
    the diagnostics section by section, as when each section was read and emitted in turn.
    """

    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def warn(self, code: str, construct: str, message: str) -> None:
        self.calls.append((code, construct, message))

    def replay(self, found: _Warnings) -> None:
        for call in self.calls:
            found.warn(*call)


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
    foot: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    footer: etree._Element | None = None  # the first tfoot with rows
    moved = False  # body rows follow the footer rows in the source
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
        elif name == "tfoot":
            foot.append(_rows(child))
            footer = child if footer is None and foot[-1] else footer
        elif name == "tbody":
            body.append(_rows(child))
            moved = moved or (footer is not None and bool(body[-1]))
        elif name == "tr":
            loose.append(child)
            moved = moved or footer is not None
        elif name:
            walk.found.warn(
                codes.STRUCTURE, f"table>{name}", f"<{name}> directly in a table dropped"
            )
    if loose:
        body.append(loose)
    body.extend(foot)  # HTML shows the footer rows last, wherever the tfoot stands
    if moved and footer is not None:
        cells = " ".join(text_of(cell) for cell in footer.iter("td", "th"))
        walk.found.warn(
            codes.STRUCTURE, "table>tfoot before body rows",
            "footer rows (<tfoot>) placed after the body rows, where HTML shows them "
            f"(EXM has thead and tbody only): {snippet(cells)}",
        )  # fmt: skip
    table = exm.sub(sink.element, "table")
    for width in columns:
        exm.sub(table, "col", **({"width": width} if width else {}))
    read: list[tuple[str, list[list[_Cell]], _Held]] = []
    for section_name, sections in (("thead", head), ("tbody", body)):
        held = _Held()
        read.append((section_name, [r for s in sections for r in _expand(held, s)], held))
    count = _narrow([row for _, rows, _ in read for row in rows], len(columns))
    warned: set[tuple[etree._Element, int]] = set()  # (cell, narrowed to): warned once
    walk.in_table = True
    try:
        for section_name, rows, held in read:
            held.replay(walk.found)
            if rows:
                _emit_rows(walk, exm.sub(table, section_name), rows, count, warned)
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
    raw = source.get("span", "1").strip()
    span = _count(raw, MAX_SPAN + 1)
    if not span or span > MAX_SPAN:
        walk.found.warn(
            codes.ATTRIBUTE_DROPPED, f'col@span="{snippet(raw)}"',
            f'span="{snippet(raw)}" on <col> is not a number from 1 to {MAX_SPAN}; taken as 1',
        )  # fmt: skip
        return [width]
    return [width] * span


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


def _count(raw: str, limit: int) -> int | None:
    """A span attribute's number, at most ``limit`` (None: not a number)."""
    if not raw.isascii() or not raw.isdigit():
        return None
    digits = raw.lstrip("0")
    return limit if len(digits) > len(str(limit)) else min(int(digits or "0"), limit)


def _warn_span(found: _Warnings, source: etree._Element, attribute: str, what: str) -> None:
    """Warn that a span attribute was not taken as written, naming the cell by its text."""
    name = str(source.tag).lower()
    shown = snippet(source.get(attribute, "").strip())
    found.warn(
        codes.ATTRIBUTE_DROPPED, f'{name}@{attribute}="{shown}"',
        f'{attribute}="{shown}" on <{name}> {what}: {snippet(text_of(source)) or "(empty cell)"}',
    )  # fmt: skip


def _colspan(found: _Warnings, source: etree._Element) -> int:
    """The colspan a cell asks for, up to MAX_SPAN + 1 (1 when missing, 0 or not a number)."""
    raw = source.get("colspan")
    if raw is None:
        return 1
    asked = _count(raw.strip(), MAX_SPAN + 1)
    if asked is None:
        _warn_span(found, source, "colspan", "is not a number; taken as 1")
        return 1
    if asked == 0:
        _warn_span(found, source, "colspan", "is 0; taken as 1, as HTML does")
        return 1
    return asked


def _expand(found: _Warnings, rows: list[etree._Element]) -> list[list[_Cell]]:
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
                    found.warn(codes.STRUCTURE, f"tr>{name}", f"<{name}> directly in a row dropped")
                continue
            while column in below:
                filler = below.pop(column)
                cells.append(filler)
                column += filler.colspan
            asked = _colspan(found, source)
            cell = _Cell(source, name == "th", min(asked, MAX_SPAN), source, asked)
            cells.append(cell)
            span = _rowspan(found, source, len(rows) - index)
            for offset in range(1, span):
                fillers.setdefault(index + offset, {})[column] = _Cell(
                    None, cell.header, cell.colspan, source, asked
                )
            column += cell.colspan
        cells.extend(below[c] for c in sorted(below))
        if cells:
            result.append(cells)
    return result


def _rowspan(found: _Warnings, source: etree._Element, remaining: int) -> int:
    """The rows a cell spans in its row group of which ``remaining`` rows are left."""
    if source.get("rowspan") is None:
        return 1
    raw = source.get("rowspan", "1").strip()
    asked = _count(raw, MAX_ROWSPAN)
    if asked is None:
        _warn_span(found, source, "rowspan", "is not a number; taken as 1")
        return 1
    span = remaining if asked == 0 else min(asked, remaining)  # 0: to the end of the group
    if asked > remaining:
        left = "1 row" if remaining == 1 else f"{remaining} rows"
        what = f"reaches beyond its row group ({left} left); clipped to {span}"
        _warn_span(found, source, "rowspan", what)
    if span > 1:
        found.warn(
            codes.ROWSPAN, "rowspan",
            f"rowspan={snippet(raw)} expanded into empty cells (Exstream has no rowspan)",
        )  # fmt: skip
    return span


def _narrow(rows: list[list[_Cell]], columns: int) -> int:
    """Narrow every colspan to the table's columns; return how many columns the table has.

    The table's columns are those in which a ``col`` stands or a cell (or the filler of a
    rowspan) begins, the rows laid out as they are emitted, left to right from column 0;
    a column that cells only span over holds nothing of its own. A colspan counts only the
    table's columns it covers, so a span that reaches beyond the table (colspan=999 in a
    table of two columns) ends at its last column, one over empty columns inside the
    table loses them, and a table whose only row is one wide cell is one column wide.
    Where every column holds a col or the start of a cell (any well-formed table),
    nothing changes. Narrowing creates no empty column, so the result is stable: its
    HTML form converts back to the same EXM without a warning.
    """
    starts = set(range(columns))
    for row in rows:
        column = 0
        for cell in row:
            starts.add(column)
            column += cell.colspan
    table = sorted(starts)
    edge = table[-1] + 1 if table else 0
    for row in rows:
        column = 0
        for cell in row:
            start, column = column, column + cell.colspan
            cell.colspan = bisect_left(table, column) - bisect_left(table, start)
            cell.beyond = column > edge
    return len(table)


def _emit_rows(
    walk: Walk,
    section: etree._Element,
    rows: list[list[_Cell]],
    width: int,
    warned: set[tuple[etree._Element, int]],
) -> None:
    for row in rows:
        tr = exm.sub(section, "tr")
        for cell in row:
            if cell.colspan < cell.asked and (cell.origin, cell.colspan) not in warned:
                warned.add((cell.origin, cell.colspan))
                _warn_narrowed(walk, cell, width)
            attributes = {"colspan": str(cell.colspan)} if cell.colspan > 1 else {}
            own = inherited = ""
            if cell.source is not None:
                own = _own_align(cell.source)
                inherited = "" if own else _paragraph_align(cell.source)
                if own or inherited:
                    attributes["align"] = own or inherited
            element = exm.sub(tr, "th" if cell.header else "td", **attributes)
            if cell.source is not None:
                if inherited:
                    _lift_paragraph_align(walk, cell.source)
                _cell_content(walk, cell.source, element)


def _warn_narrowed(walk: Walk, cell: _Cell, width: int) -> None:
    if cell.beyond:
        columns = "1 column" if width == 1 else f"{width} columns"
        what = f"reaches beyond the table's {columns}; clipped to {cell.colspan}"
    else:
        what = f"spans columns in which no cell begins; narrowed to {cell.colspan}"
    if cell.source is None:
        what += " in the empty cell that stands for it in a row below (rowspan)"
    _warn_span(walk.found, cell.origin, "colspan", what)


def _paragraph_align(source: etree._Element) -> str:
    """The alignment all of a cell's paragraphs share, when the cell has none of its own.

    Word and many editors align a cell's text on the paragraph inside it
    (``<td><p style="text-align:right">89,00 €</p></td>``); EXM has alignment on cells
    only, so a paragraph alignment the whole cell agrees on moves to the cell.
    """
    if not len(source) or (source.text or "").strip():
        return ""  # the common case: text only
    paragraphs = [c for c in source if isinstance(c.tag, str) and c.tag.lower() in ("p", "div")]
    if not paragraphs or len(paragraphs) != len(source) or any(
            (c.tail or "").strip() for c in paragraphs):
        return ""
    found = {_own_align(p) for p in paragraphs}
    return found.pop() if len(found) == 1 else ""


def _own_align(source: etree._Element) -> str:
    style = source.get("style")
    css = _CSS_ALIGN.search(style) if style else None
    value = css.group(1) if css else (source.get("align") or "")
    return value.lower() if value.lower() in ALIGNS else ""


_CELL_ATTRIBUTES = frozenset({"colspan", "rowspan", "align"})
_CELL_ATTRIBUTES_AND_STYLE = _CELL_ATTRIBUTES | {"style"}


def _lift_paragraph_align(walk: Walk, source: etree._Element) -> None:
    """The paragraphs' alignment became the cell's (see :func:`_paragraph_align`): take it
    off them, so it is reported once as moved rather than as dropped on every paragraph."""
    for paragraph in source:
        paragraph.attrib.pop("align", None)
        style = paragraph.get("style")
        if style is not None:
            rest = _CSS_ALIGN.sub(";", style).strip(" ;")
            if rest:
                paragraph.set("style", rest)
            else:
                del paragraph.attrib["style"]
    name = str(source.tag).lower()
    walk.found.warn(codes.STRUCTURE, f"{name}>p@align",
                    f"the alignment of the paragraphs in <{name}> became the cell's "
                    f"(EXM aligns cells): {snippet(text_of(source))}")


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
