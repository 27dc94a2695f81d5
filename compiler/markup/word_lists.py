"""Word list paragraphs → real lists: a pre-pass over the parsed HTML, before the walk.

Word does not paste a list as ``ul``/``ol``. Every item is a paragraph of its own::

    <p class="MsoListParagraphCxSpFirst" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1">
      <!--[if !supportLists]--><span style="font-family:Symbol"><span style="mso-list:Ignore">
      ·<span style="font:7.0pt 'Times New Roman'">&nbsp;&nbsp;&nbsp;</span></span></span>
      <!--[endif]-->Rückstufung nach einem Schaden</p>

with the bullet or number Word shows as text (the ``mso-list:Ignore`` span, between the
``supportLists`` conditional comments), the nesting in ``levelN`` of the style and the
list the paragraph belongs to in ``lN`` (the list) and ``lfoN`` (its numbering, new when
numbering restarts). Walked as they are, they become paragraphs starting with "·" and
no-break spaces. Outlook writes neither the comments nor the Ignore span: there the
marker is the paragraph's leading text, a bullet glyph or a number followed by blanks.

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
from compiler.markup.findings import Findings, snippet, text_of
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
#: ``l1`` and ``lfo2`` in ``mso-list:l1 level1 lfo2``: which list a paragraph belongs to.
_LIST = re.compile(r"mso-list\s*:([^;]*)", re.IGNORECASE)
_LIST_ID = re.compile(r"\b(l|lfo)\s*([0-9]{1,9})\b", re.IGNORECASE)
#: HTML's blanks and the no-break spaces Word pads a marker with.
_BLANK = "[ \t\n\r\f\u00a0]"
#: Bullets Word and Outlook write: Symbol, Wingdings and Courier ``o`` bullets, dashes,
#: and the private-use characters symbol fonts map their glyphs to.
_BULLET_GLYPHS = "·•o§▪–\\-‣◦■□●○►➢✓✔Øü*\uf000-\uf0ff"


def _number(letter: str) -> str:
    # Word counts letters past z as aa, bb…: one letter, repeated (a named group each time).
    return (
        rf"(?:[0-9]{{1,9}}(?:\.[0-9]{{1,9}})*|(?P<{letter}>[A-Za-z])(?P={letter}){{0,2}}"
        r"|[ivxlcdm]{1,8}|[IVXLCDM]{1,8})"
    )


#: A marker at the start of an Outlook list paragraph: a bullet glyph or a number
#: (``1.``, ``2)``, ``1.2.``, ``(a)``, ``b.``, ``aa)``, ``iv.``), then blanks. Stricter than
#: :data:`_ENUMERATION`: a number needs its ``.`` or ``)``, and letters are one letter
#: (repeated) or a roman numeral, so a paragraph starting with "1 Liter" or "Dr." keeps
#: its text.
_LEADING_MARKER = re.compile(
    rf"{_BLANK}*(?P<marker>[{_BULLET_GLYPHS}]|\({_number('a')}\)|{_number('b')}[.)])"
    rf"(?:{_BLANK}+|\Z)"
)
#: The wrappers Outlook puts around the marker and its padding.
_MARKER_WRAPPERS = frozenset({"span", "font"})


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
        unmarked = _rewrite(run)
        if not unmarked:
            found.warn(
                codes.WORD_LEFTOVER, "word-list",
                "Word list paragraphs (mso-list) became a list; Word's bullet or number markers "
                "and list styles were removed",
            )  # fmt: skip
            continue
        # Told apart from the run above: folded occurrences must all be true to the message.
        found.warn(
            codes.WORD_LEFTOVER, "word-list unmarked",
            "Word list paragraphs (mso-list) became a list and Word's list styles were removed; "
            f"bullet or number markers were removed where recognised, but {len(unmarked)} of "
            f"the {len(run)} paragraphs had none, their text kept as it is: "
            f"{snippet(text_of(unmarked[0]))}",
        )  # fmt: skip


def word_list_level(paragraph: etree._Element) -> int | None:
    """The ``levelN`` of a Word list paragraph (``mso-list`` in its style), else None."""
    match = _LEVEL.search(paragraph.get("style") or "")
    if match is None or FOOTNOTE_CLASS in (paragraph.get("class") or "").split():
        return None
    return max(int(match.group(1)), 1)


def word_list_id(paragraph: etree._Element) -> tuple[int | None, int | None]:
    """The list (``lN``) and numbering (``lfoN``) of a Word list paragraph, None where absent.

    Two lists in a row differ in these even when their markers look alike; Word gives a
    list whose numbering restarts a new ``lfoN``.
    """
    ids: dict[str, int] = {}
    for match in _LIST.finditer(paragraph.get("style") or ""):
        for found in _LIST_ID.finditer(match.group(1)):
            ids.setdefault(found.group(1).lower(), int(found.group(2)))
    return ids.get("l"), ids.get("lfo")


def is_enumeration(marker: str) -> bool:
    """True when Word's marker numbers the items (``1.``, ``b)``, ``iv.``): an ``ol``."""
    return bool(_ENUMERATION.fullmatch(marker.strip()))


def _follows(previous: etree._Element, paragraph: etree._Element) -> bool:
    """True when ``paragraph`` comes right after ``previous``, with only blanks between."""
    return paragraph.getprevious() is previous and not (previous.tail or "").strip()


def _rewrite(run: list[etree._Element]) -> list[etree._Element]:
    """Replace a run of list paragraphs by the lists they make, nested by level.

    On one level, a new list starts where the list (``lN``, ``lfoN``) changes or bullets
    follow numbers (or back). Returns the items in which no marker was recognised.
    """
    parent = run[0].getparent()
    assert parent is not None  # a paragraph always has a parent (body at least)
    index = parent.index(run[0])
    tail = run[-1].tail
    top: list[etree._Element] = []  # the lists at the run's own level, in order
    # (level, list id, list): the open nesting
    open_lists: list[tuple[int, tuple[int | None, int | None], etree._Element]] = []
    unmarked: list[etree._Element] = []
    for paragraph in run:
        level = word_list_level(paragraph) or 1
        identity = word_list_id(paragraph)
        marker = _remove_marker(paragraph)
        kind = "ol" if marker is not None and is_enumeration(marker) else "ul"
        while open_lists and open_lists[-1][0] > level:
            open_lists.pop()
        if marker is None and open_lists and open_lists[-1][:2] == (level, identity):
            kind = str(open_lists[-1][2].tag)  # no marker to tell: the item continues its list
        if open_lists and open_lists[-1][0] == level:
            _, open_identity, open_list = open_lists[-1]
            if open_list.tag != kind or open_identity != identity:
                open_lists.pop()  # another list, or bullets after numbers, on one level
        if not open_lists or open_lists[-1][0] < level:
            listing = etree.Element(kind)
            start = _DECIMAL.fullmatch((marker or "").strip())
            if kind == "ol" and start and int(start.group(1)) != 1:
                listing.set("start", str(int(start.group(1))))  # a list Word continued
            if open_lists:
                open_lists[-1][2][-1].append(listing)  # into the item before
            else:
                top.append(listing)
            open_lists.append((level, identity, listing))
        item = _item(paragraph)
        open_lists[-1][2].append(item)
        if marker is None:
            unmarked.append(item)
        parent.remove(paragraph)
    for offset, listing in enumerate(top):
        parent.insert(index + offset, listing)
    top[-1].tail = tail
    return unmarked


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


def _remove_marker(paragraph: etree._Element) -> str | None:
    """Remove Word's bullet or number from a list paragraph; return its text.

    The marker is what stands between ``<!--[if !supportLists]-->`` and ``<!--[endif]-->``;
    where an editor dropped those comments, it is the ``mso-list:Ignore`` span; where
    both are missing (Outlook), it is a bullet or number leading the paragraph's text.
    None when there is none of these: nothing was removed.
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
    return _remove_leading_marker(paragraph)


def _remove_leading_marker(paragraph: etree._Element) -> str | None:
    """Remove a bullet or number and the blanks after it from the start of the text.

    Outlook writes the marker as the paragraph's first text, often in spans of its own
    (``<span style="font-family:Symbol">·</span><span>&nbsp;&nbsp; </span>Text``): the
    text is read through leading spans up to the first other element. Spans left empty
    are removed with it. None when the text does not start with a marker.
    """
    slots: list[tuple[etree._Element, bool]] = []  # (element, its tail?) in text order
    reached_end = _leading_text(paragraph, slots)
    text = "".join((e.tail if tail else e.text) or "" for e, tail in slots)
    match = _LEADING_MARKER.match(text)
    if match is None or not (reached_end or match.group(0)[-1].isspace()):
        return None  # "1." right before <b>: not known to be a marker followed by blanks
    cut = match.end()
    emptied: list[etree._Element] = []
    for element, tail in slots:
        if cut <= 0:
            break
        value = (element.tail if tail else element.text) or ""
        rest = value[cut:]
        cut -= len(value)
        if tail:
            element.tail = rest or None
        else:
            element.text = rest or None
            if element is not paragraph:
                emptied.append(element)
    for element in reversed(emptied):  # inner spans first: their wrappers may empty too
        if not len(element) and not element.text:
            _remove(element)
    return match.group("marker")


def _leading_text(element: etree._Element, slots: list[tuple[etree._Element, bool]]) -> bool:
    """Collect the text slots of ``element`` through spans; False when another element
    stopped the reading (True: the end of ``element`` was reached)."""
    slots.append((element, False))
    for child in element:
        wrapper = isinstance(child.tag, str) and child.tag.lower() in _MARKER_WRAPPERS
        if isinstance(child.tag, str) and not (wrapper and _leading_text(child, slots)):
            return False
        slots.append((child, True))  # a comment's tail is text as well
    return True


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
