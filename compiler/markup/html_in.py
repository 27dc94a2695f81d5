"""4ALLPORTAL editor HTML → EXM: a table from HTML element to EXM emitter.

Every HTML element has an entry in :data:`EMITTERS` (or falls to :func:`unknown`):
it is mapped onto EXM, unwrapped with a warning, dropped with a warning, or (active
content) skipped because :mod:`compiler.markup.sanitize` has already rejected it.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.css_emphasis import NO_EMPHASIS, CssEmphasis, css_emphasis
from compiler.markup.findings import snippet, text_of
from compiler.markup.footnotes import FOOTNOTE_CLASS, marker_number
from compiler.markup.sanitize import ACTIVE_ELEMENTS, is_active_url
from compiler.markup.sink import HTML_SPACE, Mode, Sink
from compiler.markup.tables import convert_table
from compiler.markup.walk import Emitter, Walk

#: Elements that start a new line when unwrapped (they are blocks in a browser).
BLOCK_LEVEL = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "section",
        "article", "header", "footer", "main", "aside", "nav", "blockquote", "pre", "figure",
        "figcaption", "center", "address", "dl", "dt", "dd", "details", "summary", "hgroup",
        "hr", "fieldset", "legend", "tr", "td", "th", "caption", "thead", "tbody", "tfoot",
        "body", "html",
    }
)  # fmt: skip
LINK_SCHEMES = ("https://", "mailto:", "tel:")
_URL_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*:|//|/|\.\.?/)|[/\\]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def _has_block_child(source: etree._Element) -> bool:
    for child in source:
        name = child.tag
        if isinstance(name, str) and name.lower() in BLOCK_LEVEL:
            return True
    return False


def container(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """Transparent block container (html, body, a div holding blocks): content kept as is."""
    sink.close_line()
    walk.children(source, sink)
    sink.close_line()


def paragraph(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``p``/``div`` → ``exm:p`` with the mapped paragraph style."""
    if walk.footnotes.is_definition(source):
        return  # emitted with the footnotes at the end of the block
    if _has_block_child(source):
        walk.attributes(source)
        container(walk, source, sink)
        return
    if sink.mode is Mode.INLINE:
        _structure(walk, source, "paragraph inside text kept as a line")
        unwrap_block(walk, source, sink, warn=False)
        return
    emphasis = _take_css_emphasis(source, keep_off=True)  # a paragraph styled bold, …
    style = walk.classes(source, walk.settings.paragraph_styles)
    walk.attributes(source, frozenset({"class"}))
    sink.close_line()
    element = exm.sub(sink.element, "p", **({"style": style} if style else {}))
    target = Sink(element, Mode.INLINE, walk.found)
    for name in emphasis.on:
        target = target.child(name)
    walk.children(source, target)
    sink.close_line()


def heading(level: int) -> Emitter:
    """``hN`` → ``exm:h`` (levels beyond 3 become 3, warned)."""

    def emit(walk: Walk, source: etree._Element, sink: Sink) -> None:
        if sink.mode is not Mode.BLOCKS:
            where = "text" if sink.mode is Mode.INLINE else "a list item or table cell"
            _structure(walk, source, f"heading inside {where} kept as text")
            (unwrap_block if sink.mode is Mode.INLINE else paragraph)(walk, source, sink)
            return
        if level > 3:
            walk.found.warn(
                codes.HEADING_LEVEL, f"h{level}",
                f"<h{level}> became a level-3 heading (EXM has levels 1–3): "
                f"{snippet(text_of(source))}",
            )  # fmt: skip
        walk.attributes(source)
        sink.close_line()
        element = exm.sub(sink.element, "h", level=str(min(level, 3)))
        walk.children(source, Sink(element, Mode.INLINE, walk.found))
        sink.close_line()

    return emit


def listing(name: str) -> Emitter:
    """``ul``/``ol`` → ``exm:ul``/``exm:ol``; depth beyond 2 is an error."""

    def emit(walk: Walk, source: etree._Element, sink: Sink) -> None:
        if sink.mode is Mode.INLINE:
            _structure(walk, source, "list inside text kept as lines")
            unwrap_block(walk, source, sink, warn=False)
            return
        if walk.list_depth >= 2:
            walk.found.error(
                codes.LIST_DEPTH, "list depth",
                f"list nested deeper than 2 levels: {snippet(text_of(source))}",
            )  # fmt: skip
            return
        start = source.get("start") if name == "ol" else None
        used = frozenset({"start"}) if start is not None and _integer(start) else frozenset()
        walk.attributes(source, used)
        sink.close_line()
        element = exm.sub(sink.element, name, **({"start": (start or "").strip()} if used else {}))
        walk.list_depth += 1
        try:
            _items(walk, source, element)
        finally:
            walk.list_depth -= 1
        if not len(element):
            sink.element.remove(element)
        sink.close_line()

    return emit


def _integer(text: str) -> bool:
    return bool(re.fullmatch(r"\s*-?\d{1,9}\s*", text))


def _items(walk: Walk, source: etree._Element, listing: etree._Element) -> None:
    last: Sink | None = None  # the last real item: a list directly in the list joins it
    stray: Sink | None = None  # content directly in the list: one item until the next li

    def stray_item(what: str) -> Sink:
        nonlocal stray
        if stray is None:
            walk.found.warn(
                codes.STRUCTURE, f"list>{what}", f"{what} directly inside a list became an item"
            )
            stray = Sink(exm.sub(listing, "li"), Mode.FLOW, walk.found)
        return stray

    if (source.text or "").strip():
        stray_item("text").text(source.text or "")
    for child in source:
        name = child.tag.lower() if isinstance(child.tag, str) else ""
        if not name:
            walk.comment(child)
        elif name == "li":
            _item_number(walk, child, listing)
            last, stray = Sink(exm.sub(listing, "li"), Mode.FLOW, walk.found), None
            walk.children(child, last)
        elif name in ("ul", "ol") and last is not None and stray is None:
            _structure(walk, child, "list directly inside a list joined the item before")
            walk.element(child, last)
        else:
            walk.element(child, stray_item(name))
        if (child.tail or "").strip():
            stray_item("text").text(child.tail or "")


def _item_number(walk: Walk, item: etree._Element, listing: etree._Element) -> None:
    """Check the attributes of an ``li``, its ``value`` (the item's number) included.

    EXM numbers the items of an ``ol`` on from its ``start``: the first item's value
    becomes the start (a browser numbers it so, over the list's own start); a later
    item's value is dropped with a warning unless the item gets that number anyway.
    """
    value = item.get("value")
    if value is None or not _integer(value) or exm.local(listing) != "ol":
        walk.attributes(item)  # a value that is no number, or in a ul, does nothing
        return
    walk.attributes(item, frozenset({"value"}))
    if not len(listing):
        listing.set("start", value.strip())
        return
    number = int(listing.get("start") or "1") + len(listing)
    if int(value) != number:
        walk.found.warn(
            codes.ATTRIBUTE_DROPPED, "li@value number",
            f"item number value={value.strip()} on <li> dropped, the item is numbered {number} "
            f"(EXM numbers items on from the list's start): {snippet(text_of(item))}",
        )  # fmt: skip


#: What an element's own emphasis is called when its style switches it off.
_NOT = {"strong": "bold", "em": "italic", "u": "underlined", "s": "struck through"}


def _take_css_emphasis(source: etree._Element, keep_off: bool = False) -> CssEmphasis:
    """The emphasis in ``source``'s style; the style keeps only the rest (so only the rest
    is warned about as dropped). ``keep_off``: declarations that switch emphasis off stay
    in the style (EXM cannot say "not bold" inside bold text: they are dropped, warned)."""
    style = source.get("style")
    if not style:
        return NO_EMPHASIS  # the common case: nothing to read
    emphasis = css_emphasis(style)
    if emphasis.mapped:
        rest = ";".join(filter(None, [emphasis.rest,
                                      *(emphasis.off_declarations if keep_off else ())]))
        if rest:
            source.set("style", rest)
        else:
            del source.attrib["style"]
    return emphasis


def inline(name: str) -> Emitter:
    """An inline formatting element → its EXM counterpart (and any emphasis its style adds).

    An element whose style switches its own emphasis off (Google Docs wraps a whole paste
    in ``<b style="font-weight:normal">``) is not that emphasis: it is unwrapped, warned.
    """

    def emit(walk: Walk, source: etree._Element, sink: Sink) -> None:
        emphasis = _take_css_emphasis(source)
        walk.attributes(source)
        target = sink
        if name in emphasis.off:
            tag = str(source.tag).lower()
            walk.found.warn(
                codes.UNWRAPPED, f"{tag} not {name}",
                f"<{tag}> is styled as not {_NOT.get(name, name)} (as Google Docs wraps a "
                "paste): unwrapped, its text kept",
            )  # fmt: skip
        else:
            target = target.child(name)
        for extra in emphasis.on:
            if extra != name:
                target = target.child(extra)
        walk.children(source, target)

    return emit


_SUPERSCRIPT = inline("sup")


def superscript(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``sup``: a footnote marker when ``<sup>n</sup>`` has a definition, else ``exm:sup``."""
    number = marker_number(source)
    if number is not None:
        block_number = walk.footnotes.reference(number)
        if block_number is not None:
            sink.empty("fnref", n=str(block_number))
            return
        walk.found.warn(
            codes.FOOTNOTE_MISSING, f"fnref {number}",
            f"footnote marker <sup>{number}</sup> has no definition "
            f'(<p class="{FOOTNOTE_CLASS}"><sup>{number}</sup> …</p>); kept as superscript',
        )  # fmt: skip
    _SUPERSCRIPT(walk, source, sink)


def span(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``span class`` → ``exm:span@style`` when mapped; other spans are unwrapped."""
    if not len(source) and not (source.text or "").strip(" \t\n\r\f"):  # U+00A0 is text
        if source.attrib or source.text:
            walk.found.warn(codes.WORD_LEFTOVER, "empty span", "empty <span> removed")
        sink.text(source.text or "")
        return
    emphasis = _take_css_emphasis(source, keep_off=True)  # bold, italic … written as CSS
    style = walk.classes(source, walk.settings.character_styles)
    walk.attributes(source, frozenset({"class"}))
    target = sink
    for name in emphasis.on:
        target = target.child(name)
    walk.children(source, target.child("span", style=style) if style else target)


def link(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``a href`` → ``exm:a`` for https:, mailto:, tel:; any other target is an error."""
    href = (source.get("href") or "").strip()
    if source.get("href") is None or walk.in_link:
        if walk.in_link:
            _structure(walk, source, "link inside a link unwrapped")
        walk.attributes(source, frozenset({"href"}))
        walk.children(source, sink)
        return
    walk.attributes(source, frozenset({"href"}))
    scheme = _SCHEME.match(href)
    normal = scheme.group(1).lower() + href[scheme.end(1) :] if scheme else href
    # Browsers drop tabs and newlines inside URLs; a space must be encoded.
    normal = re.sub(r"[\t\n\r]", "", normal).replace(" ", "%20")
    if not normal.startswith(LINK_SCHEMES) or normal in LINK_SCHEMES:
        if not is_active_url(href):  # active URLs are reported by sanitize already
            walk.found.error(
                codes.LINK_SCHEME, f"a {snippet(href)}",
                f"link target {snippet(href)!r} is not https:, mailto: or tel:",
            )  # fmt: skip
        walk.children(source, sink)
        return
    walk.in_link = True
    try:
        walk.children(source, sink.child("a", href=normal))
    finally:
        walk.in_link = False


def line_break(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``br`` → ``exm:br`` (a break between blocks carries nothing and is dropped)."""
    if sink.mode is Mode.BLOCKS and not sink.has_open_paragraph:
        return
    sink.line_break()


def image(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``img`` → ``exm:img@ref`` when its src names an asset of the release."""
    src = (source.get("src") or "").strip()
    walk.attributes(source, frozenset({"src", "alt"}))
    if _URL_LIKE.search(src):
        if not is_active_url(src):
            walk.found.error(
                codes.IMAGE_URL, f"img {snippet(src)}",
                f"image {snippet(src)!r} is a URL; images must name an asset of the release "
                "by id or key",
            )  # fmt: skip
        return
    ref = walk.resolve_asset(src) if src else None
    if not ref:
        walk.found.error(
            codes.IMAGE_UNRESOLVED, f"img {snippet(src)}",
            f"image {snippet(src)!r} names no asset of this release",
        )  # fmt: skip
        return
    alt = source.get("alt")
    alt = unicodedata.normalize("NFC", " ".join(alt.split())) if alt else ""
    sink.empty("img", ref=ref, **({"alt": alt} if alt else {}))


def unwrap_inline(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """An inline element EXM does not have: its text kept, the element dropped (warned)."""
    name = str(source.tag).lower()
    code = codes.WORD_LEFTOVER if ":" in name else codes.UNWRAPPED
    # What happened is part of the construct: occurrences fold into one message, which
    # must be true of each (an <o:p> holding &nbsp; is unwrapped, not removed as empty).
    if _is_empty(source):
        walk.found.warn(code, f"{name} empty", f"<{name}> removed (empty)")
    elif text := snippet(text_of(source)):
        walk.found.warn(code, name, f"<{name}> unwrapped, its text kept: {text}")
    else:
        walk.found.warn(
            code, f"{name} no visible text",
            f"<{name}> unwrapped, its content kept: no visible text, only no-break spaces, "
            "line breaks or images",
        )  # fmt: skip
    walk.children(source, sink)


def _is_empty(source: etree._Element) -> bool:
    """Nothing a reader sees: no image or break, no text but HTML's collapsible spaces
    (U+00A0 is text)."""
    if any(True for _ in source.iter("img", "br")):
        return False
    return not text_of(source).strip(HTML_SPACE)


def unwrap_block(walk: Walk, source: etree._Element, sink: Sink, warn: bool = True) -> None:
    """A block element EXM does not have: its content kept on lines of its own."""
    if warn:
        name = str(source.tag).lower()
        walk.found.warn(
            codes.UNWRAPPED, name, f"<{name}> unwrapped, its content kept: "
            f"{snippet(text_of(source))}",
        )  # fmt: skip
    sink.close_line()
    walk.children(source, sink)
    sink.close_line()


#: An element's text (False) or tail (True) inside a ``pre``; a bare bool stands for
#: what is not text: True where a block starts or ends, False for a visible element
#: without text (an image, a line break).
_Slot = tuple[etree._Element, bool] | bool
_NEWLINE = re.compile(r"\r\n?|\n")
_FIRST_NEWLINE = re.compile(r"\A(?:\r\n?|\n)")


def preformatted(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """``pre``: unwrapped like other blocks, but its lines stay lines (``exm:br``).

    EXM has no preformatted text: spaces still collapse (indentation is lost), while each
    line break of the text, in ``pre`` itself and in the inline elements in it, becomes
    a ``br``. Blocks inside keep their own rules. As in a browser, a line break right
    after ``<pre>`` and the last one before its end or a block in it make no line.
    """
    walk.found.warn(
        codes.UNWRAPPED, "pre", f"<pre> unwrapped, its content kept: {snippet(text_of(source))}"
    )
    source.text = _FIRST_NEWLINE.sub("", source.text or "") or None
    slots: list[_Slot] = []
    _pre_text(source, slots)
    line_ends = True  # nothing shows between here and the end of a line
    for slot in reversed(slots):
        if isinstance(slot, bool):
            line_ends = slot
            continue
        element, is_tail = slot
        text = _NEWLINE.sub("\n", (element.tail if is_tail else element.text) or "")
        if line_ends:
            body = text.rstrip(HTML_SPACE)
            last = text.rfind("\n", len(body))
            if last >= 0:
                text = text[:last] + " " + text[last + 1 :]  # the line ends anyway
            line_ends = last < 0 and not body
        _breaks(element, is_tail, text)
    unwrap_block(walk, source, sink, warn=False)


def _pre_text(element: etree._Element, slots: list[_Slot]) -> None:
    """The text of ``element`` and its inline descendants, in document order."""
    slots.append((element, False))
    for child in element:
        name = child.tag.lower() if isinstance(child.tag, str) else ""
        if name in BLOCK_LEVEL:
            slots.append(True)
        elif name in ("br", "img"):
            slots.append(False)
        elif name:
            _pre_text(child, slots)
        slots.append((child, True))


def _breaks(element: etree._Element, is_tail: bool, text: str) -> None:
    """Set the text (or tail) of ``element`` to ``text`` with a ``br`` for each line break.

    The line break stays in the text after the ``br`` (where it is a collapsible space):
    messages quoting the text still see the lines apart.
    """
    lines = text.split("\n")
    if is_tail:
        element.tail = lines[0] or None
        for line in reversed(lines[1:]):
            element.addnext(_break("\n" + line))
    else:
        element.text = lines[0] or None
        for offset, line in enumerate(lines[1:]):
            element.insert(offset, _break("\n" + line))


def _break(tail: str) -> etree._Element:
    element = etree.Element("br")
    element.tail = tail
    return element


def unknown(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """Fallback for elements not in the table: unwrapped like an inline element."""
    unwrap_inline(walk, source, sink)


def drop(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """An element without visible text EXM does not carry (hr, empty style, title)."""
    name = str(source.tag).lower()
    code = codes.WORD_LEFTOVER if name == "xml" or ":" in name else codes.DROPPED
    walk.found.warn(
        code, name, f"<{name}> dropped: {snippet(etree.tostring(source, encoding=str))}"
    )
    if name == "hr":
        sink.close_line()


def ignore(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """Active content (already an error) and elements that carry nothing (meta, wbr)."""


def head(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """The document head: nothing of it is shown; a title or style is dropped with a warning."""
    for child in source:
        name = child.tag.lower() if isinstance(child.tag, str) else ""
        if name == "style" or (name == "title" and (child.text or "").strip()):
            drop(walk, child, sink)


def table_part(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """A row, cell or section outside a table: its content kept."""
    _structure(walk, source, "table part outside a table kept as text")
    unwrap_block(walk, source, sink, warn=False)


def stray_item(walk: Walk, source: etree._Element, sink: Sink) -> None:
    """A list item outside a list: its content kept on a line of its own."""
    _structure(walk, source, "list item outside a list kept as a line")
    unwrap_block(walk, source, sink, warn=False)


def _structure(walk: Walk, source: etree._Element, what: str) -> None:
    # ``what`` is in the construct: one element can be repaired in several ways.
    name = str(source.tag).lower()
    walk.found.warn(
        codes.STRUCTURE, f"{name}: {what}", f"<{name}>: {what}: {snippet(text_of(source))}"
    )


def _table(walk: Walk, source: etree._Element, sink: Sink) -> None:
    convert_table(walk, source, sink)


_UNWRAP_BLOCK = (
    "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "figure",
    "figcaption", "center", "address", "dl", "dt", "dd", "details", "summary", "hgroup",
    "fieldset", "legend",
)  # fmt: skip
_UNWRAP_INLINE = (
    "font", "code", "kbd", "samp", "tt", "small", "big", "mark", "ins", "abbr", "acronym",
    "cite", "q", "dfn", "var", "time", "label", "bdi", "bdo", "nobr", "data", "ruby", "rt",
    "rp", "blink", "marquee",
)  # fmt: skip

#: The mapping table of markup.md, HTML side.
EMITTERS: dict[str, Emitter] = {
    "html": container, "body": container, "head": head,
    "p": paragraph, "div": paragraph,
    **{f"h{n}": heading(n) for n in range(1, 7)},
    "ul": listing("ul"), "ol": listing("ol"), "li": stray_item,
    "table": _table,
    **{name: table_part for name in ("thead", "tbody", "tfoot", "tr", "td", "th", "caption")},
    "col": ignore, "colgroup": ignore,
    "b": inline("strong"), "strong": inline("strong"), "i": inline("em"), "em": inline("em"),
    "u": inline("u"), "s": inline("s"), "strike": inline("s"), "del": inline("s"),
    "sup": superscript, "sub": inline("sub"),
    "span": span, "a": link, "br": line_break, "img": image,
    **{name: unwrap_block for name in _UNWRAP_BLOCK}, "pre": preformatted,
    **{name: unwrap_inline for name in _UNWRAP_INLINE},
    "hr": drop, "title": drop, "style": drop, "xml": drop,
    "meta": ignore, "wbr": ignore,
    **{name: ignore for name in ACTIVE_ELEMENTS},
}  # fmt: skip
