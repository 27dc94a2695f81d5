"""Variables that did not become ``exm:var``: a ``{{`` left in the text or in a link.

``{{ name }}`` becomes ``exm:var`` only within one run of text. Split by formatting
(``{{<span>customer.name</span>}}``, a spell-check span), left unclosed, or put in a
link target, it stays literal text in EXM, while the .html form hands Exstream the same
characters, which it may substitute: the forms would disagree, and a personalised link
would break. So each is an error naming it (E-EXM-VAR-STRAY).
"""

from __future__ import annotations

from lxml import etree

from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.findings import Findings, snippet
from compiler.markup.sink import BAD_VARIABLE, VARIABLE


def _stray(text: str) -> bool:
    """A ``{{`` in final text that is no variable and not reported yet: a well-formed
    ``{{name}}`` here was joined from pieces split by an unwrapped element; a bad name
    within one run (``{{ bad name }}``) is E-EXM-VAR-NAME already."""
    if any(VARIABLE.fullmatch(m.group(0)) for m in BAD_VARIABLE.finditer(text)):
        return True
    return "{{" in BAD_VARIABLE.sub("", text)


_VAR = exm.tag("var")


def may_have_stray_variables(source: str, block: etree._Element) -> bool:
    """False when every brace of the source went into a variable (two each, the usual
    case), so there is nothing to look for; a cheap count, done in C."""
    if any(escaped in source for escaped in ("%7B", "%7b", "&#", "&lbrace", "&lcub")):
        return True  # a brace written otherwise: count nothing, look
    braces = source.count("{")
    return braces > 0 and braces != 2 * sum(1 for _ in block.iter(_VAR))


# XPath runs in C: only the texts and link targets with braces come back to Python.
_BRACED_TEXTS = etree.XPath("//text()[contains(., '{{')]")
_BRACED_LINKS = etree.XPath("//@href[contains(., '{{') or contains(., '%7B%7B') "
                            "or contains(., '%7b%7b')]")


def check_stray_variables(block: etree._Element, found: Findings) -> None:
    """Record an error for every ``{{`` left in the block's text or link targets."""
    for text in _BRACED_TEXTS(block):
        if _stray(str(text)):
            found.error(codes.VAR_STRAY, "{{ in text",
                        f"{snippet(str(text))!r}: a {{{{ that is not a variable (split by "
                        "formatting or unclosed); write {{ name }} without formatting "
                        "inside the braces")
    for href in _BRACED_LINKS(block):
        found.error(codes.VAR_STRAY, "{{ in a link",
                    f"link target {snippet(str(href))!r} holds a variable; EXM links are "
                    "fixed URLs: build a personalised link in the Exstream template")
