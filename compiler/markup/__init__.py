"""Rich text → EXM, and EXM → the forms each channel needs (spec: markup.md).

The public surface::

    convert(source, source_format, context, settings, resolve_asset) -> Conversion
    html_to_exm(source, context, settings, resolve_asset) -> Conversion
    render_forms(exm, channel, settings) -> {"exm.xml": …, "html": …, "txt": …}
    channel_differs(exm, channel) -> bool

Content problems never raise: they come back as Diagnostics in the Conversion, and a
block with an error has no EXM.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from compiler.diagnostics import Diagnostic
from compiler.markup import exm
from compiler.markup import findings as codes
from compiler.markup.findings import Findings
from compiler.markup.footnotes import FootnoteBook
from compiler.markup.html_form import render_html
from compiler.markup.html_in import EMITTERS, unknown
from compiler.markup.markdown_in import markdown_to_html
from compiler.markup.sanitize import (
    find_active_content,
    parse_html,
    remove_non_xml,
    remove_non_xml_references,
    size_ok,
)
from compiler.markup.settings import BlockContext, MarkupSettings
from compiler.markup.sink import Mode, Sink
from compiler.markup.stray_variables import check_stray_variables, may_have_stray_variables
from compiler.markup.text_form import render_text
from compiler.markup.tidy import CHANNEL_RULES, apply_channel, tidy
from compiler.markup.walk import Walk
from compiler.markup.word_lists import rewrite_word_lists

__all__ = [
    "BlockContext",
    "Conversion",
    "MarkupSettings",
    "channel_differs",
    "convert",
    "html_to_exm",
    "render_forms",
]

SourceFormat = Literal["html", "markdown"]
AssetResolver = Callable[[str], "str | None"]


@dataclass
class Conversion:
    """The result of converting one block: EXM bytes (None when an error rejected it)."""

    exm: bytes | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """True when an error keeps the block out of the release."""
        return self.exm is None


def convert(
    source: str,
    source_format: SourceFormat,
    context: BlockContext,
    settings: MarkupSettings,
    resolve_asset: AssetResolver,
) -> Conversion:
    """Convert one block's rich text (editor HTML or Markdown) into canonical EXM.

    ``resolve_asset`` takes an image's ``src`` (an asset id or key) and returns the
    asset reference to write in ``exm:img/@ref``, or None when the release has no such
    asset. ``context.channel`` set: the channel's rules are applied (print: links as
    text). Never raises for any input string.
    """
    if source_format == "markdown":
        found = Findings(context)
        html = markdown_to_html(source, found) if size_ok(source, found) else ""
        return _html_to_exm(html, context, settings, resolve_asset, found)
    return html_to_exm(source, context, settings, resolve_asset)


def html_to_exm(
    source: str, context: BlockContext, settings: MarkupSettings, resolve_asset: AssetResolver
) -> Conversion:
    """Convert editor HTML (or the ``.html`` form of a block) into canonical EXM."""
    return _html_to_exm(source, context, settings, resolve_asset, Findings(context))


def _html_to_exm(
    source: str,
    context: BlockContext,
    settings: MarkupSettings,
    resolve_asset: AssetResolver,
    found: Findings,
) -> Conversion:
    block = exm.new_block(context)
    root = parse_html(remove_non_xml(source, found), found)
    if root is not None:
        remove_non_xml_references(source, root, found)
        find_active_content(root, found)
        if "mso-list" in source.lower():  # only Word pastes have list paragraphs
            rewrite_word_lists(root, found)  # Word's list paragraphs → ul/ol, before the walk
        walk = Walk(
            found, settings, resolve_asset, EMITTERS, unknown, FootnoteBook.collect(root, found)
        )
        walk.element(root, Sink(block, Mode.BLOCKS, found))
        walk.footnotes.emit(walk, block)
        tidy(block)
        if may_have_stray_variables(source, block):
            check_stray_variables(block, found)
    apply_channel(block, context.channel)
    if not found.has_errors:  # a safety net: the converter only builds valid EXM
        for problem in exm.validation_errors(block):
            found.error(
                codes.INVALID_OUTPUT, "exm", f"EXM does not validate against exm.xsd: {problem}"
            )
    if found.has_errors:
        return Conversion(None, found.diagnostics())
    data = exm.serialise(block)
    exm.remember(data, block)
    return Conversion(data, found.diagnostics())


def render_forms(
    exm_bytes: bytes, channel: str | None, settings: MarkupSettings
) -> dict[str, bytes]:
    """The forms of a block for ``channel`` (None: the channel-less forms).

    Returns ``{"exm.xml": …, "html": …, "txt": …}``; the channel's rules are applied
    (print: links as ``label (url)``) and ``exm:block/@channel`` is set accordingly.
    """
    known = exm.recall(exm_bytes)
    if known is not None and channel not in CHANNEL_RULES and _same_channel(known, channel):
        # Nothing to change: the bytes just produced are the canonical serialisation.
        html, text = render_html(known, settings), render_text(known, settings)
        return {"exm.xml": exm_bytes, "html": html, "txt": text}
    block = _tree(exm_bytes)
    apply_channel(block, channel)
    html, text = render_html(block, settings), render_text(block, settings)
    return {"exm.xml": exm.serialise(block), "html": html, "txt": text}


def channel_differs(exm_bytes: bytes, channel: str) -> bool:
    """Whether ``channel``'s forms differ from the channel-less ones (print: when it has links).

    The pipeline writes ``<locale>.<channel>.<ext>`` only where this is True.
    """
    if channel not in CHANNEL_RULES:
        return False
    return apply_channel(_tree(exm_bytes), channel)


def _tree(exm_bytes: bytes) -> etree._Element:
    """A tree of ``exm_bytes`` the caller may change: a copy of the remembered one, or parsed."""
    known = exm.recall(exm_bytes)
    return copy.deepcopy(known) if known is not None else exm.parse(exm_bytes)


def _same_channel(block: etree._Element, channel: str | None) -> bool:
    return (block.get("channel") or None) == (channel or None)
