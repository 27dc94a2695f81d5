"""The state of one HTML → EXM conversion and the attribute rules shared by all emitters."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet
from compiler.markup.sanitize import URL_ATTRIBUTES, is_active_url
from compiler.markup.settings import MarkupSettings

if TYPE_CHECKING:
    from compiler.markup.footnotes import FootnoteBook
    from compiler.markup.sink import Sink

#: Emits one source element into a sink.
Emitter = Callable[["Walk", etree._Element, "Sink"], None]

#: Attributes that carry no content and no presentation EXM could keep: ignored silently.
IGNORED_ATTRIBUTES = frozenset(
    {
        "id", "name", "lang", "xml:lang", "dir", "title", "target", "rel", "scope",
        "border", "cellpadding", "cellspacing", "summary", "valign", "height", "width",
        "headers", "abbr", "tabindex", "role", "translate", "spellcheck", "contenteditable",
    }
)  # fmt: skip
#: Presentation attributes EXM drops on purpose (the template's styles rule).
_PRESENTATION = frozenset({"style", "color", "bgcolor", "face", "size", "background", "align"})
_WORD_STYLE = re.compile(r"mso-|tab-stops", re.IGNORECASE)
#: Classes Word writes (MsoNormal, MsoListParagraph…): dropped as Word leftovers.
WORD_CLASS = re.compile(r"^(Mso|xl\d|WordSection|footnote-ref|MsoFootnote)", re.IGNORECASE)


@dataclass
class Walk:
    """One conversion: settings, findings, the footnotes and where in the structure we are."""

    found: Findings
    settings: MarkupSettings
    resolve_asset: Callable[[str], str | None]
    emitters: Mapping[str, Emitter]
    fallback: Emitter
    footnotes: FootnoteBook
    list_depth: int = 0
    in_table: bool = False
    in_link: bool = False

    def children(self, source: etree._Element, sink: Sink) -> None:
        """Emit the text and child elements of ``source`` into ``sink``, in order."""
        text = source.text
        if text:
            sink.text(text)
        emitters, fallback = self.emitters, self.fallback
        for child in source:
            name = child.tag
            if isinstance(name, str):
                emitters.get(name.lower(), fallback)(self, child, sink)
            else:
                self.comment(child)
            tail = child.tail
            if tail:
                sink.text(tail)

    def element(self, source: etree._Element, sink: Sink) -> None:
        """Emit one source element through the emitter table."""
        name = source.tag
        if not isinstance(name, str):
            self.comment(source)
            return
        self.emitters.get(name.lower(), self.fallback)(self, source, sink)

    def attributes(self, source: etree._Element, used: frozenset[str] = frozenset()) -> None:
        """Warn about every attribute of ``source`` that EXM drops (beyond ``used``)."""
        items = source.items()
        if not items:  # the common case: nothing to check
            return
        name = str(source.tag).lower()
        for attribute, value in items:
            attribute = attribute.lower()
            if attribute in used or attribute in IGNORED_ATTRIBUTES or attribute.startswith("on"):
                continue  # handlers are errors already (sanitize)
            if attribute in URL_ATTRIBUTES and is_active_url(value):
                continue  # an error already (sanitize)
            if attribute == "class":
                self.classes(source, {})
            elif attribute == "style" and _WORD_STYLE.search(value):
                self.found.warn(
                    codes.WORD_LEFTOVER, f"mso-style {name}",
                    f"Word styles dropped from <{name}>: {snippet(value)}",
                )  # fmt: skip
            elif attribute in _PRESENTATION:
                self.found.warn(
                    codes.STYLE_DROPPED, f"{name}@{attribute}",
                    f"{attribute} on <{name}> dropped (the template's styles apply): "
                    f"{snippet(value)}",
                )  # fmt: skip
            else:
                self.found.warn(
                    codes.ATTRIBUTE_DROPPED, f"{name}@{attribute}",
                    f"attribute {attribute} on <{name}> dropped: {snippet(value)}",
                )  # fmt: skip

    def classes(self, source: etree._Element, styles: Mapping[str, str]) -> str:
        """The named style of the first mapped class; warn about every other class."""
        chosen = ""
        name = str(source.tag).lower()
        for html_class in (source.get("class") or "").split():
            if html_class == "footnote":
                continue  # the footnote convention's class, not a style
            if html_class in styles and not chosen:
                chosen = styles[html_class]
            elif WORD_CLASS.match(html_class):
                self.found.warn(
                    codes.WORD_LEFTOVER, f"mso-class {html_class} {name}",
                    f"Word class {html_class} on <{name}> dropped",
                )  # fmt: skip
            else:
                self.found.warn(
                    codes.CLASS_DROPPED, f"class {html_class} {name}",
                    f"class {html_class} on <{name}> is not in markup.paragraph_styles or "
                    "markup.character_styles; dropped",
                )  # fmt: skip
        return chosen

    def comment(self, source: etree._Element) -> None:
        """Comments are not content; Word's conditional comments are worth a warning."""
        text = source.text or ""
        if isinstance(source, etree._Comment) and text.lstrip().startswith(("[if", "[endif")):
            self.found.warn(
                codes.WORD_LEFTOVER, "conditional-comment",
                f"Word conditional comment dropped: <!--{snippet(text)}-->",
            )  # fmt: skip
