"""Probe: how fast could *any* pure-Python converter be? (Evidence for issue 4's speed target.)

This is **not a converter** and nothing imports it. It is the least work a converter
written in Python over lxml must do for bench_markup.py's blocks: parse the HTML, walk
it once through a tag → emitter table, and write the three forms (.exm.xml, .html,
.txt) as strings in the same pass. It deliberately leaves out everything that makes
the real stage correct and safe: the size and depth caps, the active-content scan,
attribute and class checks, warnings, HTML whitespace rules, NFC, footnote numbering,
rowspan, list depth, the print link rule, tidy, XSD validation. It handles only the
constructs the benchmark blocks use, and only well enough to produce output of the
right size.

If even this takes about 3x lxml's parse + serialise, a target of "at most 3x" is out
of reach for a converter that keeps the contract's guarantees in Python; it needs the
conversion in compiled code.

    python bench/probe_markup_floor.py [--blocks 10000]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_markup import blocks, lxml_roundtrip

Out = list[str]
Emitter = Callable[[etree._Element, Out, Out, Out], None]

_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
_PARSER = etree.HTMLParser()
_PARAGRAPH_STYLES = {"intro": "Intro"}
_CHARACTER_STYLES = {"hl": "Highlight"}


def _text(text: str, exm: Out, html: Out, plain: Out) -> None:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "{{" in text:
        position = 0
        for match in _VARIABLE.finditer(text):
            _text(text[position : match.start()], exm, html, plain)
            exm.append(f'<exm:var name="{match[1]}"/>')
            html.append("{{" + match[1] + "}}")
            plain.append("{{" + match[1] + "}}")
            position = match.end()
        text = text[position:]
    escaped = text.translate(_ESCAPE) if ("&" in text or "<" in text or ">" in text) else text
    exm.append(escaped)
    html.append(escaped)
    plain.append(text)


def _inline(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    if element.text:
        _text(element.text, exm, html, plain)
    for child in element:
        _EMITTERS.get(child.tag, _inline)(child, exm, html, plain)
        if child.tail:
            _text(child.tail, exm, html, plain)


def _formatting(exm_name: str, html_name: str) -> Emitter:
    def emit(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
        exm.append(f"<exm:{exm_name}>")
        html.append(f"<{html_name}>")
        _inline(element, exm, html, plain)
        exm.append(f"</exm:{exm_name}>")
        html.append(f"</{html_name}>")

    return emit


def _paragraph(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    html_class = element.get("class")
    if html_class == "footnote":
        return
    style = _PARAGRAPH_STYLES.get(html_class or "")
    exm.append(f'<exm:p style="{style}">' if style else "<exm:p>")
    html.append(f'<p class="{html_class}">' if style else "<p>")
    _inline(element, exm, html, plain)
    exm.append("</exm:p>\n")
    html.append("</p>\n")
    plain.append("\n\n")


def _heading(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    level = str(element.tag)[1]
    exm.append(f'<exm:h level="{level}">')
    html.append(f"<h{level}>")
    _inline(element, exm, html, plain)
    exm.append("</exm:h>\n")
    html.append(f"</h{level}>\n")
    plain.append("\n\n")


def _listing(element: etree._Element, exm: Out, html: Out, plain: Out, depth: int = 0) -> None:
    name = str(element.tag)
    exm.append(f"<exm:{name}>\n")
    html.append(f"<{name}>")
    for number, item in enumerate(element, 1):
        exm.append("<exm:li>")
        html.append("<li>")
        plain.append("  " * depth + ("- " if name == "ul" else f"{number}. "))
        if item.text:
            _text(item.text, exm, html, plain)
        for child in item:
            if child.tag in ("ul", "ol"):
                plain.append("\n")
                _listing(child, exm, html, plain, depth + 1)
            else:
                _EMITTERS.get(child.tag, _inline)(child, exm, html, plain)
            if child.tail:
                _text(child.tail, exm, html, plain)
        exm.append("</exm:li>\n")
        html.append("</li>")
        plain.append("\n")
    exm.append(f"</exm:{name}>\n")
    html.append(f"</{name}>")


def _list(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    _listing(element, exm, html, plain)


def _table(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    exm.append("<exm:table>\n")
    html.append("<table>")
    rows: list[list[tuple[str, str | None]]] = []
    for part in element:
        if part.tag == "col":
            width = part.get("width")
            exm.append(f'<exm:col width="{width}"/>\n')
            html.append(f'<col width="{width}"/>')
            continue
        exm.append(f"<exm:{part.tag}>\n")
        html.append(f"<{part.tag}>")
        for row in part:
            exm.append("<exm:tr>\n")
            html.append("<tr>")
            cells: list[tuple[str, str | None]] = []
            for cell in row:
                align = cell.get("align")
                attribute = f' align="{align}"' if align else ""
                cell_exm: Out = []
                cell_html: Out = []
                cell_plain: Out = []
                _inline(cell, cell_exm, cell_html, cell_plain)
                exm.append(f"<exm:{cell.tag}{attribute}>{''.join(cell_exm)}</exm:{cell.tag}>\n")
                html.append(f"<{cell.tag}{attribute}>{''.join(cell_html)}</{cell.tag}>")
                cells.append(("".join(cell_plain), align))
            rows.append(cells)
            exm.append("</exm:tr>\n")
            html.append("</tr>")
        exm.append(f"</exm:{part.tag}>\n")
        html.append(f"</{part.tag}>")
    exm.append("</exm:table>\n")
    html.append("</table>\n")
    columns = max(len(row) for row in rows)
    widths = [max(len(row[i][0]) for row in rows if i < len(row)) for i in range(columns)]
    for row in rows:
        padded = (
            text.rjust(width) if align == "right" else text.ljust(width)
            for (text, align), width in zip(row, widths, strict=False)
        )
        plain.append("  ".join(padded).rstrip() + "\n")
    plain.append("\n")


def _marker(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    exm.append(f'<exm:fnref n="{element.text}"/>')
    html.append(f"<sup>{element.text}</sup>")
    plain.append(f"[{element.text}]")


def _span(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    html_class = element.get("class") or ""
    exm.append(f'<exm:span style="{_CHARACTER_STYLES.get(html_class, "")}">')
    html.append(f'<span class="{html_class}">')
    _inline(element, exm, html, plain)
    exm.append("</exm:span>")
    html.append("</span>")


def _link(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    href = element.get("href") or ""
    exm.append(f'<exm:a href="{href}">')
    html.append(f'<a href="{href}">')
    _inline(element, exm, html, plain)
    exm.append("</exm:a>")
    html.append("</a>")
    plain.append(f" ({href})")


def _line_break(element: etree._Element, exm: Out, html: Out, plain: Out) -> None:
    exm.append("<exm:br/>")
    html.append("<br/>")
    plain.append("\n")


_EMITTERS: dict[object, Emitter] = {
    "p": _paragraph, "div": _paragraph, "h1": _heading, "h2": _heading, "h3": _heading,
    "ul": _list, "ol": _list, "table": _table, "sup": _marker, "span": _span, "a": _link,
    "br": _line_break, "b": _formatting("strong", "strong"),
    "strong": _formatting("strong", "strong"), "i": _formatting("em", "em"),
    "em": _formatting("em", "em"), "u": _formatting("u", "u"),
}  # fmt: skip


def least_work(index: int, source: str) -> int:
    """Parse one block and write its three forms in one pass; the bytes written."""
    body = etree.fromstring(source, _PARSER)[0]
    exm = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<exm:block xmlns:exm="urn:cpc:exm:1" '
        f'key="BLOCK-{index}" locale="de_DE" source-id="id-{index}" source-version="1">\n'
    ]
    html: Out = []
    plain: Out = []
    notes = []
    for child in body:
        if child.tag == "p" and child.get("class") == "footnote":
            notes.append(child)
        _EMITTERS.get(child.tag, _inline)(child, exm, html, plain)
    if notes:
        exm.append("<exm:footnotes>\n")
        for note in notes:
            number = note[0].text
            exm.append(f'<exm:fn n="{number}">')
            html.append(f'<p class="footnote"><sup>{number}</sup>')
            plain.append(f"[{number}] ")
            _text((note[0].tail or "").lstrip(), exm, html, plain)
            exm.append("</exm:fn>\n")
            html.append("</p>\n")
            plain.append("\n")
        exm.append("</exm:footnotes>\n")
    exm.append("</exm:block>\n")
    forms = ("".join(exm).encode(), "".join(html).encode(), "".join(plain).encode())
    return sum(len(form) for form in forms)


def main() -> None:
    """Time the probe against lxml parse + serialise, chunk by chunk in the same run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--blocks", type=int, default=10_000)
    args = parser.parse_args()
    inputs = list(blocks(args.blocks))
    spent = {lxml_roundtrip: 0.0, least_work: 0.0}
    for start in range(0, len(inputs), 100):
        for work in spent:
            started = time.perf_counter()
            for index, source in inputs[start : start + 100]:
                work(index, source)
            spent[work] += time.perf_counter() - started
    baseline, probe = spent[lxml_roundtrip], spent[least_work]
    print(f"blocks: {args.blocks}")
    print(f"lxml parse + serialise (baseline): {baseline:.2f} s")
    print(
        f"least-work probe (no checks, no caps, no validation): {probe:.2f} s "
        f"({probe / args.blocks * 1e6:.0f} µs/block) = {probe / baseline:.1f}x baseline"
    )


if __name__ == "__main__":
    main()
