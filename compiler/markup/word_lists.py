"""Word list paragraphs → real lists: a pre-pass over the parsed HTML, before the walk.

Word does not paste a list as ``ul``/``ol``. Every item is a paragraph of its own::

    <p class="MsoListParagraphCxSpFirst" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1">
      <!--[if !supportLists]--><span style="font-family:Symbol"><span style="mso-list:Ignore">
      ·<span style="font:7.0pt 'Times New Roman'">&nbsp;&nbsp;&nbsp;</span></span></span>
      <!--[endif]-->Rückstufung nach einem Schaden</p>

with the bullet or number Word shows as text (the ``mso-list:Ignore`` span, between the
``supportLists`` conditional comments) and the nesting in ``levelN`` of the style. Walked
as they are, they become paragraphs starting with "·" and no-break spaces.

Why a pre-pass and not an emitter: a list is a run of *consecutive* paragraphs, and an
emitter sees one element at a time. So :func:`rewrite_word_lists` rewrites each run into
the ``ul``/``ol``/``li`` elements the editor would have written, marker removed, and the
emitter table then converts them like any editor list (the list-depth rule included).
It runs after the hunt for active content, so nothing it removes escapes that check.
"""

from __future__ import annotations

import re

from lxml import etree

from compiler.markup import findings as codes
from compiler.markup.findings import Findings, text_of
from compiler.markup.footnotes import FOOTNOTE_CLASS
from compiler.markup.walk import WORD_CLASS

#: ``mso-list:l0 level2 lfo1`` in a paragraph's style: a Word list paragraph of level 2.
_LEVEL = re.compile(r"mso-list\s*:[^;]*?\blevel\s*([0-9]{1,3})\b", re.IGNORECASE)
#: The span holding the marker, when the conditional comments around it are gone.
_IGNORE = re.compile(r"mso-list\s*:\s*ignore", re.IGNORECASE)
#: A marker that numbers the items (``1.``, ``2)``, ``1.2.``, ``(a)``, ``a.``, ``iv.``);
#: anything else (``·``, ``o``, ``§``, ``-``, ``•``) is a bullet.
_ENUMERATION = re.compile(
    r"\(?(?:[0-9]+(?:\.[0-9]+)*[.)]?|[A-Za-z]{1,3}[.)]|[IVXLCDMivxlcdm]+[.)])"
)
_DECIMAL = re.compile(r"\(?([0-9]{1,9})[.)]?")


def rewrite_word_lists(root: etree._Element, found: Findings) -> None:
    """Rewrite every run of consecutive Word list paragraphs into ``ul``/``ol`` with ``li``s.

    One warning per run: Word's list styles and bullet or number markers are dropped.
    Everything else in the paragraphs (text, formatting, other attributes) moves into the
    items and is converted, and warned about, as usual.
    """
    runs: list[list[etree._Element]] = []
    for paragraph in root.iter("p"):
        if word_list_level(paragraph) is None:
            continue
        if runs and _follows(runs[-1][-1], paragraph):
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
    for run in runs:
        _rewrite(run)
        found.warn(
            codes.WORD_LEFTOVER, "word-list",
            "Word list paragraphs (mso-list) became a list; Word's bullet or number markers "
            "and list styles were removed",
        )  # fmt: skip


def word_list_level(paragraph: etree._Element) -> int | None:
    """The ``levelN`` of a Word list paragraph (``mso-list`` in its style), else None."""
    match = _LEVEL.search(paragraph.get("style") or "")
    if match is None or FOOTNOTE_CLASS in (paragraph.get("class") or "").split():
        return None
    return max(int(match.group(1)), 1)


def is_enumeration(marker: str) -> bool:
    """True when Word's marker numbers the items (``1.``, ``b)``, ``iv.``): an ``ol``."""
    return bool(_ENUMERATION.fullmatch(marker.strip()))


def _follows(previous: etree._Element, paragraph: etree._Element) -> bool:
    """True when ``paragraph`` comes right after ``previous``, with only blanks between."""
    return paragraph.getprevious() is previous and not (previous.tail or "").strip()


def _rewrite(run: list[etree._Element]) -> None:
    """Replace a run of list paragraphs by the lists they make, nested by level."""
    parent = run[0].getparent()
    assert parent is not None  # a paragraph always has a parent (body at least)
    index = parent.index(run[0])
    tail = run[-1].tail
    top: list[etree._Element] = []  # the lists at the run's own level, in order
    open_lists: list[tuple[int, etree._Element]] = []  # (level, list): the open nesting
    for paragraph in run:
        level = word_list_level(paragraph) or 1
        marker = _remove_marker(paragraph)
        kind = "ol" if is_enumeration(marker) else "ul"
        while open_lists and open_lists[-1][0] > level:
            open_lists.pop()
        if open_lists and open_lists[-1][0] == level and open_lists[-1][1].tag != kind:
            open_lists.pop()  # bullets after numbers (or back) on one level: a new list
        if not open_lists or open_lists[-1][0] < level:
            listing = etree.Element(kind)
            start = _DECIMAL.fullmatch(marker.strip())
            if kind == "ol" and start and int(start.group(1)) != 1:
                listing.set("start", str(int(start.group(1))))  # a list Word continued
            if open_lists:
                open_lists[-1][1][-1].append(listing)  # into the item before
            else:
                top.append(listing)
            open_lists.append((level, listing))
        open_lists[-1][1].append(_item(paragraph))
        parent.remove(paragraph)
    for offset, listing in enumerate(top):
        parent.insert(index + offset, listing)
    top[-1].tail = tail


def _item(paragraph: etree._Element) -> etree._Element:
    """An ``li`` with the paragraph's content and its attributes but Word's list styling."""
    item = etree.Element("li")
    for name, value in paragraph.items():
        if name == "class":
            kept = [c for c in value.split() if not WORD_CLASS.match(c)]
            if kept:
                item.set(name, " ".join(kept))
        elif name != "style":  # the style carries mso-list and the marker's indent
            item.set(name, value)
    item.text = paragraph.text
    for child in list(paragraph):
        item.append(child)  # lxml moves the tail along with the element
    return item


def _remove_marker(paragraph: etree._Element) -> str:
    """Remove Word's bullet or number from a list paragraph; return its text ('' if none).

    The marker is what stands between ``<!--[if !supportLists]-->`` and ``<!--[endif]-->``;
    where an editor dropped those comments, it is the ``mso-list:Ignore`` span.
    """
    for comment in paragraph.iter(etree.Comment):
        if (comment.text or "").strip().lower().startswith("[if !supportlists]"):
            for end in comment.itersiblings():
                if isinstance(end, etree._Comment) and "[endif]" in (end.text or "").lower():
                    return _remove_between(comment, end)
            break
    for span in paragraph.iter("span"):
        if _IGNORE.search(span.get("style") or ""):
            marker = text_of(span)
            node = span
            while (parent := node.getparent()) is not None and parent is not paragraph:
                if parent.tag != "span" or len(parent) > 1 or (parent.text or "").strip():
                    break
                if (node.tail or "").strip():
                    break
                node = parent  # a wrapper holding nothing but the marker (the Symbol font)
            _remove(node)
            return marker
    return ""


def _remove_between(start: etree._Element, end: etree._Element) -> str:
    """Remove ``start``, ``end`` and everything between them; return the text between."""
    parent = start.getparent()
    assert parent is not None
    parts = [start.tail or ""]
    start.tail = None
    between = []
    for node in start.itersiblings():
        if node is end:
            break
        between.append(node)
    for node in between:
        if isinstance(node.tag, str):
            parts.append(text_of(node))
        parts.append(node.tail or "")
        node.tail = None
        parent.remove(node)
    parent.remove(start)
    _remove(end)
    return "".join(parts)


def _remove(node: etree._Element) -> None:
    """Remove ``node`` from its parent, keeping its tail text where it stood."""
    parent = node.getparent()
    assert parent is not None
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
