"""Canonical EXM: empty formatting removed, spaces outside formatting, no line break
ending a block's text, channel rules.

These steps make the EXM a fixed point of EXM → HTML → EXM: what tidy removes or
moves is exactly what a re-conversion would remove or move.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from compiler.markup import exm

_REMOVABLE_INLINE = exm.INLINE - exm.EMPTY_BY_NATURE
_REMOVABLE_BLOCK = frozenset({"p", "h"})
#: Elements holding a text of their own, whose last line break shows nothing.
_LINES = frozenset({"p", "h", "li", "th", "td", "fn"})
_BREAK = exm.tag("br")
# Only these are looked at: lxml filters them in C, the rest is never touched.
_TIDIED_TAGS = [exm.tag(name) for name in sorted(_REMOVABLE_INLINE | _REMOVABLE_BLOCK | _LINES)]
_TIDIED_TAGS_WITHOUT_BREAKS = [exm.tag(name) for name in sorted(_REMOVABLE_INLINE |
                                                                 _REMOVABLE_BLOCK)]


def tidy(block: etree._Element) -> None:
    """Remove empty formatting, line breaks ending a text and empty paragraphs; move
    leading spaces out of formatting."""
    # Without a line break in the block, the elements that hold lines need no visit.
    breaks = next(block.iter(_BREAK), None) is not None
    tags = _TIDIED_TAGS if breaks else _TIDIED_TAGS_WITHOUT_BREAKS
    # Reverse document order: inner elements are settled before their parents.
    for element in reversed(list(block.iter(tags))):
        name = exm.local(element)
        if name in _REMOVABLE_INLINE:
            if element.text and element.text.startswith(" "):
                element.text = element.text[1:]
                _text_before(element, " ")
            if not len(element) and not element.text:
                unwrap(element)
            continue
        if name in _LINES:
            drop_final_breaks(element)
        if name in _REMOVABLE_BLOCK and not len(element) and not element.text:
            unwrap(element)


def drop_final_breaks(element: etree._Element) -> None:
    """Remove the line breaks that end the text of ``element`` (nothing visible after
    them), in formatting too, and the formatting they leave empty.

    A browser shows nothing for a ``br`` at the end of a block: editors put one there to
    keep an empty paragraph open (TinyMCE's ``data-mce-bogus``, CKEditor's ``<p><br></p>``)
    or leave one behind after the last line. All of them go, so a block never ends with
    a break: dropping only the last one would leave the one before it last, and the EXM
    would not be a fixed point. No warning, deliberately: the only break that shows is
    the empty line before a final one (``a<br><br>``), spacing and not content, like an
    empty paragraph, which goes silently as well (and tidy has no findings to warn in).
    """
    while len(element):
        last = element[-1]
        if last.tail and last.tail.strip(" "):
            return  # text follows
        if last.tag == _BREAK:
            last.tail = None
            element.remove(last)
        elif exm.local(last) in _REMOVABLE_INLINE:
            drop_final_breaks(last)
            if len(last) or (last.text and last.text.strip(" ")):
                return
            last.tail = None  # only the blanks inside and after it: nothing shows
            element.remove(last)
        else:
            return  # an image, a variable, a footnote marker, a list or paragraph in an item


def unwrap(element: etree._Element, suffix: str = "") -> None:
    """Replace an element by its content (then ``suffix``), keeping the text around it."""
    parent = element.getparent()
    assert parent is not None  # never called on the block itself
    _text_before(element, element.text or "")
    children = list(element)
    index = parent.index(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    after = suffix + (element.tail or "")
    parent.remove(element)
    if not after:
        return
    if children:
        children[-1].tail = (children[-1].tail or "") + after
    else:
        previous = parent[index - 1] if index > 0 else None
        if previous is None:
            parent.text = (parent.text or "") + after
        else:
            previous.tail = (previous.tail or "") + after


def _text_before(element: etree._Element, text: str) -> None:
    if not text:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = element.getparent()
        assert parent is not None
        parent.text = (parent.text or "") + text


def link_label_suffix(link: etree._Element) -> str:
    """`` (url)`` after a link's label; nothing when the label is the URL; the URL alone
    when there is no label."""
    href = str(link.get("href", ""))
    label = " ".join("".join(link.itertext()).split())
    shown = {href, href.removeprefix("mailto:"), href.removeprefix("tel:")}
    shown |= {href.removeprefix("https://"), href.removeprefix("https://").rstrip("/")}
    if not label:
        if any(True for _ in link.iter(exm.tag("img"))):
            return f" ({href})"  # an image is the label: the URL follows it
        return href  # no label to put the URL after: the URL is the text
    if label in shown:
        return ""
    if _ends_with_break(link):
        return f"({href})"  # the label ends a line: no space to start the next one
    return f" ({href})"


def _ends_with_break(element: etree._Element) -> bool:
    while len(element):
        last = element[-1]
        if last.tail:
            return False
        if exm.local(last) == "br":
            return True
        element = last
    return False


def links_as_text(block: etree._Element) -> bool:
    """Print: every link becomes its label followed by the URL in parentheses."""
    links = list(block.iter(exm.tag("a")))
    for link in links:
        unwrap(link, link_label_suffix(link))
    return bool(links)


#: What each channel changes in a block; channels not listed keep the EXM as it is.
CHANNEL_RULES: dict[str, tuple[Callable[[etree._Element], bool], ...]] = {
    "print": (links_as_text,),
}


def apply_channel(block: etree._Element, channel: str | None) -> bool:
    """Apply the channel's rules (and set ``channel``); True when the content changed."""
    exm.set_channel(block, channel)
    changed = False
    for rule in CHANNEL_RULES.get(channel or "", ()):
        changed = rule(block) or changed
    return changed
