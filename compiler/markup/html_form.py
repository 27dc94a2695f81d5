"""EXM → the ``.html`` form: an XHTML fragment for Exstream HTML placeholders.

Only the tags of markup.md, ``class`` for named styles, no inline styles; variables in
the configured Exstream syntax; footnotes in the editor's convention, so the fragment
converts back to the same EXM.

The fragment is written as text directly (no intermediate lxml tree): the escaping
below is exactly libxml2's, so the bytes are those lxml would serialise.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from compiler.markup import exm
from compiler.markup.settings import MarkupSettings

#: Renders one EXM element (without its tail) as XHTML text.
Renderer = Callable[[etree._Element, MarkupSettings], str]

#: HTML elements written ``<x/>`` when empty; any other empty element is ``<x></x>``,
#: since HTML parsers read ``<td/>`` as an open tag.
_VOID = frozenset({"br", "img", "col"})


def escape_text(text: str) -> str:
    """Text content as libxml2 writes it: ``& < >`` and CR as references."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it (in double quotes; TAB, LF, CR as references)."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )  # fmt: skip


def _element(name: str, attributes: str, content: str) -> str:
    if not content and name in _VOID:
        return f"<{name}{attributes}/>"
    return f"<{name}{attributes}>{content}</{name}>"


def _content(source: etree._Element, settings: MarkupSettings) -> str:
    """The rendered text and children of ``source`` (their tails included)."""
    text = source.text
    if not len(source):  # most formatting and many cells hold text only
        return escape_text(text) if text else ""
    children = _children(source, settings)
    return escape_text(text) + children if text else children


def _same(name: str, *attributes: str) -> Renderer:
    if not attributes:
        return lambda source, settings: _element(name, "", _content(source, settings))

    def render(source: etree._Element, settings: MarkupSettings) -> str:
        kept = "".join(
            [
                f' {attribute}="{escape_attribute(value)}"'
                for attribute in attributes
                if (value := source.get(attribute)) is not None
            ]
        )
        return _element(name, kept, _content(source, settings))

    return render


def _container(name: str, *attributes: str) -> Renderer:
    """An element-only container (list, table part): its children, no text between them.

    Whatever whitespace stands between them (the line breaks of exm.serialise in a
    remembered tree) is not content.
    """

    def render(source: etree._Element, settings: MarkupSettings) -> str:
        kept = "".join(
            [
                f' {attribute}="{escape_attribute(value)}"'
                for attribute in attributes
                if (value := source.get(attribute)) is not None
            ]
        )
        return _element(name, kept, "".join([_BY_TAG[c.tag](c, settings) for c in source]))

    return render


def _paragraph(source: etree._Element, settings: MarkupSettings) -> str:
    style = source.get("style")
    kept = (
        f' class="{escape_attribute(settings.class_for_paragraph_style(style))}"' if style else ""
    )
    return _element("p", kept, _content(source, settings))


def _heading(source: etree._Element, settings: MarkupSettings) -> str:
    return _element(f"h{source.get('level', '1')}", "", _content(source, settings))


def _span(source: etree._Element, settings: MarkupSettings) -> str:
    html_class = settings.class_for_character_style(source.get("style", ""))
    return _element("span", f' class="{escape_attribute(html_class)}"', _content(source, settings))


def _variable(source: etree._Element, settings: MarkupSettings) -> str:
    return escape_text(settings.variable(source.get("name", "")))


def _image(source: etree._Element, _: MarkupSettings) -> str:
    alt = source.get("alt")
    kept = f' alt="{escape_attribute(alt)}"' if alt is not None else ""
    return f'<img src="{escape_attribute(source.get("ref", ""))}"{kept}/>'


def _footnote_ref(source: etree._Element, _: MarkupSettings) -> str:
    return f"<sup>{escape_text(source.get('n', ''))}</sup>"


def _footnotes(source: etree._Element, settings: MarkupSettings) -> str:
    # One paragraph per note, each on a line of its own like every top-level element.
    return "\n".join(
        f'<p class="footnote"><sup>{escape_text(note.get("n", ""))}</sup>'
        f"{escape_text(' ' + (note.text or ''))}{_children(note, settings)}</p>"
        for note in source
    )


def _children(source: etree._Element, settings: MarkupSettings) -> str:
    """The rendered children of ``source``, each followed by its tail."""
    parts = []
    for child in source:
        parts.append(_BY_TAG[child.tag](child, settings))
        if child.tail:
            parts.append(escape_text(child.tail))
    return "".join(parts)


#: EXM element → HTML renderer (the mapping table of markup.md, read backwards).
RENDERERS: dict[str, Renderer] = {
    "p": _paragraph, "h": _heading,
    "ul": _container("ul"), "ol": _container("ol", "start"), "li": _same("li"),
    "table": _container("table"), "col": _same("col", "width"), "thead": _container("thead"),
    "tbody": _container("tbody"), "tr": _container("tr"),
    "th": _same("th", "colspan", "align"), "td": _same("td", "colspan", "align"),
    "strong": _same("strong"), "em": _same("em"), "u": _same("u"), "s": _same("s"),
    "sup": _same("sup"), "sub": _same("sub"), "span": _span, "a": _same("a", "href"),
    "br": _same("br"), "var": _variable, "img": _image, "fnref": _footnote_ref,
    "footnotes": _footnotes,
}  # fmt: skip
_BY_TAG = {exm.tag(name): render for name, render in RENDERERS.items()}


def render_html(block: etree._Element, settings: MarkupSettings) -> bytes:
    """The XHTML fragment of a block: its top-level elements, one per line, UTF-8."""
    lines = [_BY_TAG[child.tag](child, settings) for child in block]
    text = "\n".join(line for line in lines if line)
    return (text + "\n").encode("utf-8") if text else b""
