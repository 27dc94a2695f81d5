"""EXM → the ``.html`` form: an XHTML fragment for Exstream HTML placeholders.

Only the tags of markup.md, ``class`` for named styles, no inline styles; variables in
the configured Exstream syntax; footnotes in the editor's convention, so the fragment
converts back to the same EXM.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from compiler.markup import exm
from compiler.markup.settings import MarkupSettings

#: Renders one EXM element into an HTML parent; returns the element to fill (or None).
Renderer = Callable[[etree._Element, etree._Element, MarkupSettings], "etree._Element | None"]


def _same(name: str, *attributes: str) -> Renderer:
    def render(source: etree._Element, parent: etree._Element, _: MarkupSettings) -> etree._Element:
        element = etree.SubElement(parent, name)
        for attribute in attributes:
            if source.get(attribute) is not None:
                element.set(attribute, source.get(attribute, ""))
        return element

    return render


def _paragraph(
    source: etree._Element, parent: etree._Element, settings: MarkupSettings
) -> etree._Element:
    element = etree.SubElement(parent, "p")
    if source.get("style"):
        element.set("class", settings.class_for_paragraph_style(source.get("style", "")))
    return element


def _heading(source: etree._Element, parent: etree._Element, _: MarkupSettings) -> etree._Element:
    return etree.SubElement(parent, f"h{source.get('level', '1')}")


def _span(
    source: etree._Element, parent: etree._Element, settings: MarkupSettings
) -> etree._Element:
    element = etree.SubElement(parent, "span")
    element.set("class", settings.class_for_character_style(source.get("style", "")))
    return element


def _variable(source: etree._Element, parent: etree._Element, settings: MarkupSettings) -> None:
    _append_text(parent, settings.variable(source.get("name", "")))


def _image(source: etree._Element, parent: etree._Element, _: MarkupSettings) -> None:
    element = etree.SubElement(parent, "img", src=source.get("ref", ""))
    if source.get("alt") is not None:
        element.set("alt", source.get("alt", ""))


def _footnote_ref(source: etree._Element, parent: etree._Element, _: MarkupSettings) -> None:
    etree.SubElement(parent, "sup").text = source.get("n", "")


def _footnotes(source: etree._Element, parent: etree._Element, settings: MarkupSettings) -> None:
    for note in source:
        paragraph = etree.SubElement(parent, "p", {"class": "footnote"})
        marker = etree.SubElement(paragraph, "sup")
        marker.text = note.get("n", "")
        marker.tail = " " + (note.text or "")
        _children(note, paragraph, settings)


#: EXM element → HTML renderer (the mapping table of markup.md, read backwards).
RENDERERS: dict[str, Renderer] = {
    "p": _paragraph, "h": _heading,
    "ul": _same("ul"), "ol": _same("ol", "start"), "li": _same("li"),
    "table": _same("table"), "col": _same("col", "width"), "thead": _same("thead"),
    "tbody": _same("tbody"), "tr": _same("tr"),
    "th": _same("th", "colspan", "align"), "td": _same("td", "colspan", "align"),
    "strong": _same("strong"), "em": _same("em"), "u": _same("u"), "s": _same("s"),
    "sup": _same("sup"), "sub": _same("sub"), "span": _span, "a": _same("a", "href"),
    "br": _same("br"), "var": _variable, "img": _image, "fnref": _footnote_ref,
    "footnotes": _footnotes,
}  # fmt: skip


_VOID = frozenset({"br", "img", "col"})


def _append_text(element: etree._Element, text: str) -> None:
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _children(source: etree._Element, target: etree._Element, settings: MarkupSettings) -> None:
    for child in source:
        rendered = RENDERERS[exm.local(child)](child, target, settings)
        if rendered is not None:
            rendered.text = child.text
            _children(child, rendered, settings)
            if rendered.text is None and not len(rendered) and rendered.tag not in _VOID:
                rendered.text = ""  # <td></td>, not <td/>: HTML parsers read the latter as open
        _append_text(target, child.tail or "")


def render_html(block: etree._Element, settings: MarkupSettings) -> bytes:
    """The XHTML fragment of a block: its top-level elements, one per line, UTF-8."""
    holder = etree.Element("div")
    _children(block, holder, settings)
    lines = [etree.tostring(child, encoding="unicode", with_tail=False) for child in holder]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
