"""Safe parsing of editor HTML and the hunt for active content.

The parser never touches the network, never expands entities beyond HTML's own and is
limited in depth (libxml2 stops at 256 levels; we reject beyond :data:`MAX_DEPTH`).
Active content is found in one pass over the whole document, head included, so every
script, handler and dangerous URL is reported, not only the first.
"""

from __future__ import annotations

import re

from lxml import etree

from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet

#: Editor HTML nests ~20 deep; far deeper is an attack or a broken paste.
MAX_DEPTH = 64
#: A rich-text field is kilobytes; megabytes are an attack or a paste gone wrong.
MAX_SOURCE_CHARS = 2_000_000
MAX_ELEMENTS = 50_000

#: Elements that execute, embed or submit: any of them rejects the block.
ACTIVE_ELEMENTS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
        "input", "button", "select", "textarea", "svg", "math", "base", "link", "portal",
        "audio", "video", "canvas", "noscript", "template", "isindex", "param",
    }
)  # fmt: skip
#: Attributes whose value is a URL the browser may load or navigate to.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "background", "cite", "longdesc", "poster",
        "data", "codebase", "classid", "archive", "usemap", "lowsrc", "dynsrc", "ping",
        "manifest", "profile", "srcset", "xlink:href", "xmlns:xlink", "content", "icon",
    }
)  # fmt: skip
_ACTIVE_SCHEME = re.compile(r"^(javascript|vbscript|livescript|data|mocha):", re.IGNORECASE)
# Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_ACTIVE_CSS = re.compile(
    r"expression\s*\(|url\s*\(|behaviou?r\s*:|-moz-binding|@import|javascript:|vbscript:",
    re.IGNORECASE,
)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")
# Characters XML 1.0 cannot carry (the EXM must stay well-formed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def remove_non_xml(source: str, found: Findings) -> str:
    """Replace characters XML cannot carry (controls, lone surrogates) by spaces, warned.

    A space, not nothing: a control character often stood between two words.
    """
    cleaned, count = _NOT_XML.subn(" ", source)
    if count:
        found.warn(
            codes.CONTROL_CHAR, "control",
            f"replaced {count} control character(s) that XML cannot carry by spaces",
        )  # fmt: skip
    return cleaned


def remove_non_xml_references(source: str, root: etree._Element, found: Findings) -> None:
    """Replace characters XML cannot carry that arrived as character references
    (``&#11;``, Word's manual line break, or ``&#1;``) by spaces, warned.

    :func:`remove_non_xml` cleans the raw text before parsing; the HTML parser decodes
    references into the tree afterwards, so they are cleaned there (text, tails and
    attribute values). Only sources with a reference are walked.
    """
    if "&#" not in source:
        return
    count = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions are not content
        for part in ("text", "tail"):
            value = getattr(element, part)
            if value:
                cleaned, n = _NOT_XML.subn(" ", value)
                if n:
                    setattr(element, part, cleaned)
                    count += n
        for name, value in element.items():
            cleaned, n = _NOT_XML.subn(" ", value)
            if n:
                element.set(name, cleaned)
                count += n
    if count:
        found.warn(
            codes.CONTROL_CHAR, "control-reference",
            f"replaced {count} character reference(s) to characters XML cannot carry "
            "(e.g. &#11;, Word's manual line break) by spaces",
        )  # fmt: skip


def size_ok(source: str, found: Findings) -> bool:
    """False (and an error) when the source is beyond :data:`MAX_SOURCE_CHARS`."""
    if len(source) <= MAX_SOURCE_CHARS:
        return True
    found.error(
        codes.TOO_LARGE, "size",
        f"rich text of {len(source):,} characters exceeds {MAX_SOURCE_CHARS:,}; "
        "split the block or move embedded content into assets",
    )  # fmt: skip
    return False


def parse_html(source: str, found: Findings) -> etree._Element | None:
    """The document element of the source, or None when empty or rejected as too deep/large."""
    if not size_ok(source, found):
        return None
    parser = etree.HTMLParser(
        no_network=True, remove_pis=True, huge_tree=False, default_doctype=False,
        collect_ids=False, compact=True,
    )  # fmt: skip
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError):
        return None  # nothing parseable is an empty block
    too_deep = any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)
    if root is None:
        return None
    if too_deep or _too_deep(root):
        found.error(
            codes.TOO_DEEP, "depth",
            f"markup nested deeper than {MAX_DEPTH} levels; simplify the text in the editor",
        )  # fmt: skip
        return None
    count = sum(1 for _ in root.iter())
    if count > MAX_ELEMENTS:
        found.error(
            codes.TOO_LARGE, "elements",
            f"rich text with {count:,} elements exceeds {MAX_ELEMENTS:,}; split the block",
        )  # fmt: skip
        return None
    return root


# XPath runs in C: the whole tree is searched without a Python loop over every element.
_DEEPER_THAN_CAP = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")
_ATTRIBUTES = etree.XPath("//@*")


def _too_deep(root: etree._Element) -> bool:
    return bool(_DEEPER_THAN_CAP(root))


def find_active_content(root: etree._Element, found: Findings) -> None:
    """Record an error for every active element, handler, active URL and CSS in the tree."""
    for element in root.iter(*ACTIVE_ELEMENTS, "style", "meta"):
        name = str(element.tag).lower()
        if name == "style":
            if (element.text or "").strip():
                found.error(codes.ACTIVE_ELEMENT, name, f"<style> with content: {_outer(element)}")
        elif name == "meta":
            if element.get("http-equiv") is not None:
                found.error(
                    codes.ACTIVE_ELEMENT, name,
                    f"<meta http-equiv> is active content: {_outer(element)}",
                )  # fmt: skip
        else:
            found.error(
                codes.ACTIVE_ELEMENT, name, f"<{name}> is active content: {_outer(element)}"
            )
    # The HTML parser lower-cases element and attribute names.
    for value in _ATTRIBUTES(root):
        attribute = value.attrname
        if (
            attribute.startswith("on")
            or attribute == "style"
            or attribute in URL_ATTRIBUTES
            or (attribute.endswith("href"))
        ):
            owner = value.getparent()
            _check_attribute(str(owner.tag).lower(), attribute, str(value), found)


def _check_attribute(element: str, attribute: str, value: str, found: Findings) -> None:
    construct = f"<{element} {attribute}>"
    if attribute.startswith("on"):
        found.error(
            codes.EVENT_HANDLER, construct,
            f"event handler {attribute} on <{element}>: {snippet(value)}",
        )  # fmt: skip
    elif attribute in URL_ATTRIBUTES or attribute.endswith(":href"):
        if is_active_url(value):
            found.error(
                codes.ACTIVE_URL, construct,
                f"{attribute} on <{element}> is an active URL: {snippet(value)}",
            )  # fmt: skip
    elif attribute == "style" and _ACTIVE_CSS.search(_unescape_css(value)):
        found.error(
            codes.ACTIVE_CSS, construct,
            f"style on <{element}> loads or runs code: {snippet(value)}",
        )  # fmt: skip


def is_active_url(value: str) -> bool:
    """True for javascript:, vbscript:, data: and their obfuscated spellings."""
    return bool(_ACTIVE_SCHEME.match(_IGNORED_IN_SCHEME.sub("", value)))


def _unescape_css(value: str) -> str:
    # CSS escapes (\65 xpression) hide keywords; comments split them (ex/**/pression).
    def replace(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
        return match.group(2)

    return _CSS_ESCAPE.sub(replace, re.sub(r"/\*.*?\*/", "", value, flags=re.DOTALL))


def _outer(element: etree._Element) -> str:
    try:
        text = etree.tostring(element, method="html", encoding="unicode", with_tail=False)
    except (ValueError, etree.SerialisationError):
        text = f"<{element.tag}>"
    return snippet(text)
