"""The EXM vocabulary: namespace, element names, canonical serialisation, XSD check."""

from __future__ import annotations

from functools import cache

from lxml import etree

from compiler.markup.settings import BlockContext
from compiler.resources import schema_path

NS = "urn:cpc:exm:1"
NSMAP = {"exm": NS}

#: Inline EXM elements (the XSD's Inline group).
INLINE = frozenset(
    {"strong", "em", "u", "s", "sup", "sub", "span", "a", "br", "var", "img", "fnref"}
)
#: Inline elements that are empty by nature and so never removed as empty.
EMPTY_BY_NATURE = frozenset({"br", "var", "img", "fnref"})
#: Block elements that may stand inside a list item or table cell (they end a line).
FLOW_BLOCKS = frozenset({"p", "h", "ul", "ol", "table"})
#: Containers whose content is elements only: serialised one child per line.
ELEMENT_ONLY = frozenset({"block", "ul", "ol", "table", "thead", "tbody", "tr", "footnotes"})


ALL = INLINE | ELEMENT_ONLY | {"p", "h", "li", "col", "th", "td", "fn"}
_TAGS = {name: f"{{{NS}}}{name}" for name in ALL}
_LOCAL = {qualified: name for name, qualified in _TAGS.items()}
_ELEMENT_ONLY_TAGS = tuple(_TAGS[name] for name in sorted(ELEMENT_ONLY))


def tag(name: str) -> str:
    """The qualified tag of an EXM element."""
    return _TAGS.get(name) or f"{{{NS}}}{name}"


def local(element: etree._Element) -> str:
    """The local name of an EXM element ('' for comments and foreign elements)."""
    return _LOCAL.get(element.tag, "")


def new_block(context: BlockContext) -> etree._Element:
    """An empty ``exm:block`` carrying the block's identity."""
    block = etree.Element(tag("block"), nsmap=NSMAP)
    block.set("key", context.key)
    block.set("locale", context.locale)
    if context.channel:
        block.set("channel", context.channel)
    block.set("source-id", context.source_id)
    block.set("source-version", str(context.source_version))
    return block


def set_channel(block: etree._Element, channel: str | None) -> None:
    """Set or clear the block's channel, keeping the attributes in canonical order."""
    attributes = dict(block.attrib)
    attributes["channel"] = channel or ""
    block.attrib.clear()
    for name in ("key", "locale", "channel", "source-id", "source-version"):
        if attributes.get(name):
            block.set(name, attributes[name])


def sub(parent: etree._Element, element_name: str, /, **attributes: str) -> etree._Element:
    """Append an EXM element; attributes in the order given (keeps output deterministic)."""
    if attributes:
        return etree.SubElement(parent, _TAGS[element_name], attributes)
    return etree.SubElement(parent, _TAGS[element_name])  # without a dict: measurably faster


def serialise(block: etree._Element) -> bytes:
    """Canonical bytes: UTF-8, declaration, one block-level child per line, no other whitespace."""
    for element in block.iter(*_ELEMENT_ONLY_TAGS):
        if len(element):
            element.text = "\n"
            for child in element:
                child.tail = "\n"
    data: bytes = etree.tostring(block, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"


def parse(exm: bytes) -> etree._Element:
    """Read EXM bytes (as written by :func:`serialise`), without network or entities."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(exm, parser)
    _remove_line_breaks(root)
    return root


def _remove_line_breaks(root: etree._Element) -> None:
    for element in root.iter(*_ELEMENT_ONLY_TAGS):
        # The line breaks of serialise() are not content.
        element.text = None
        for child in element:
            child.tail = None


# The last block serialised by the converter, with its bytes. The pipeline renders the
# forms of a block right after converting it; this spares parsing the bytes again.
# One entry only, so memory does not grow with the number of blocks.
_last: tuple[bytes, etree._Element] | None = None


def remember(exm: bytes, block: etree._Element) -> None:
    """Keep ``block`` (just serialised to ``exm``) for :func:`recall`; the caller gives it up.

    The line breaks serialise() put between the children of element-only containers stay:
    the forms read no text there, and serialise() writes the same ones again.
    """
    global _last
    _last = (exm, block)


def recall(exm: bytes) -> etree._Element | None:
    """The tree of ``exm`` when it is the block last remembered, else None.

    The tree is shared: callers must not change it (copy it first).
    """
    last = _last  # one read: another thread may replace the entry meanwhile
    if last is not None and (last[0] is exm or last[0] == exm):
        return last[1]
    return None


@cache
def schema() -> etree.XMLSchema:
    """The EXM XML Schema (schemas/exm.xsd), loaded once."""
    return etree.XMLSchema(etree.parse(str(schema_path("exm.xsd"))))


def validation_errors(exm: bytes | etree._Element) -> list[str]:
    """Why the EXM (bytes or a block element) does not validate against exm.xsd; [] if it does."""
    validator = schema()
    document = (
        exm
        if isinstance(exm, etree._Element)
        else etree.fromstring(exm, etree.XMLParser(resolve_entities=False, no_network=True))
    )
    if validator.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in validator.error_log]
