"""data/index.xml: the Exstream import index, written deterministically in ``urn:cpc:index:1``.

Collections are sorted by key and forms/renditions by their distinguishing fields,
so the same index gives the same bytes whatever order the pipeline filled it in.
References inside an item (a product's blocks, say) keep the order given: that order
means something. The XSD is ``schemas/index.xsd``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from lxml import etree

from compiler.package.index_model import (
    Approval,
    Asset,
    Block,
    BlockForm,
    Document,
    IndexRelease,
    Kit,
    LocalizedText,
    Offer,
    PayloadFile,
    Product,
    ReleaseIndex,
    Rendition,
    Rights,
    SourceRef,
    Validity,
)

NAMESPACE = "urn:cpc:index:1"
INDEX_PATH = "data/index.xml"
SCHEMA_NAME = "index.xsd"
_NS = f"{{{NAMESPACE}}}"

Attrs = dict[str, str | None]


def _moment(value: datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _sub(parent: etree._Element, tag: str, attrs: Attrs, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _NS + tag)
    for name, value in attrs.items():
        if value is not None:
            element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _source(source: SourceRef) -> Attrs:
    return {"sourceId": source.id, "sourceVersion": source.version}


def _governance(approval: Approval | None, validity: Validity) -> Attrs:
    return {
        "approvedBy": approval.by if approval else None,
        "approvedAt": _moment(approval.at) if approval else None,
        "validFrom": _day(validity.valid_from),
        "validUntil": _day(validity.valid_until),
    }


def _rights(rights: Rights) -> Attrs:
    return {"rightsValidUntil": _day(rights.valid_until), "copyright": rights.copyright}


def _texts(parent: etree._Element, tag: str, texts: Iterable[LocalizedText]) -> None:
    for text in sorted(texts, key=lambda t: (t.locale, t.channel or "", t.text)):
        _sub(parent, tag, {"locale": text.locale, "channel": text.channel}, text.text)


def _file(path: str, sha256: str, size: int) -> Attrs:
    return {"path": path, "sha256": sha256, "size": str(size)}


def _forms(parent: etree._Element, forms: Iterable[BlockForm]) -> None:
    for form in sorted(forms, key=lambda f: (f.field or "", f.locale, f.channel or "", f.kind,
                                             f.path)):
        _sub(parent, "form", {"field": form.field, "locale": form.locale,
                              "channel": form.channel, "kind": form.kind,
                              **_file(form.path, form.sha256, form.size)})


def _rendition(parent: etree._Element, item: Rendition) -> None:
    _sub(parent, "rendition", {
        "preset": item.preset, "channel": item.channel, "format": item.format,
        "width": str(item.width), "height": str(item.height),
        "dpi": str(item.dpi) if item.dpi is not None else None,
        "colourSpace": item.colour_space, "iccProfile": item.icc_profile,
        "afpName": item.afp_name, **_file(item.path, item.sha256, item.size)})


def _block(parent: etree._Element, item: Block) -> None:
    element = _sub(parent, "block", {
        "key": item.key, "type": item.type, "regulated": "true" if item.regulated else "false",
        **_source(item.source), **_governance(item.approval, item.validity)})
    _forms(element, item.forms)


def _asset(parent: etree._Element, item: Asset) -> None:
    element = _sub(parent, "asset", {"key": item.key, "role": item.role, **_source(item.source),
                                     **_governance(item.approval, item.validity),
                                     **_rights(item.rights)})
    _texts(element, "title", item.titles)
    _texts(element, "alt", item.alts)
    for rendition in sorted(item.renditions,
                            key=lambda r: (r.preset, r.channel, r.width, r.path)):
        _rendition(element, rendition)


def _document(parent: etree._Element, item: Document) -> None:
    element = _sub(parent, "document", {
        "key": item.key, **_source(item.source), "mediaType": item.media_type,
        "title": item.title, **_governance(item.approval, item.validity),
        **_rights(item.rights), **_file(item.path, item.sha256, item.size)})
    _texts(element, "title", item.titles)


def _product(parent: etree._Element, item: Product) -> None:
    element = _sub(parent, "product", {
        "key": item.key, "sku": item.sku, "productLine": item.product_line,
        **_source(item.source), **_governance(item.approval, item.validity)})
    _texts(element, "name", item.names)
    _forms(element, item.forms)
    for tag, keys in (("blockRef", item.blocks), ("assetRef", item.assets),
                      ("documentRef", item.documents)):
        for key in keys:
            _sub(element, tag, {"key": key})


def _offer(parent: etree._Element, item: Offer) -> None:
    element = _sub(parent, "offer", {
        "key": item.key, "priority": str(item.priority), "banner": item.banner,
        **_source(item.source), **_governance(item.approval, item.validity)})
    for tag, values in (("segment", item.segments), ("trigger", item.triggers)):
        for value in values:
            _sub(element, tag, {}, value)
    for key in item.products:
        _sub(element, "productRef", {"key": key})
    _forms(element, item.forms)


_KIT_MEMBER_TAGS = {"block": "blockRef", "asset": "assetRef", "document": "documentRef"}


def _kit(parent: etree._Element, item: Kit) -> None:
    element = _sub(parent, "kit", {"product": item.product, "locale": item.locale})
    for member in item.members:
        tag = _KIT_MEMBER_TAGS.get(member.kind)
        if tag is None:
            raise ValueError(f"kit {item.product}/{item.locale}: member kind {member.kind!r} "
                             f"is not one of {sorted(_KIT_MEMBER_TAGS)}")
        _sub(element, tag, {"key": member.key})


def _release(parent: etree._Element, item: IndexRelease) -> None:
    _sub(parent, "release", {
        "name": item.name, "version": item.version,
        "effectiveDate": item.effective_date.isoformat(), "created": _moment(item.created),
        "snapshotId": item.snapshot_id, "compilerVersion": item.compiler_version,
        "previousVersion": item.previous_version,
        "previousArchiveSha256": item.previous_archive_sha256})


def _payload_file(parent: etree._Element, item: PayloadFile) -> None:
    _sub(parent, "file", {"role": item.role, **_file(item.path, item.sha256, item.size)})


T = TypeVar("T")


def _section(root: etree._Element, tag: str, items: Iterable[T],
             order: Callable[[T], tuple[str, ...]],
             write: Callable[[etree._Element, T], None]) -> None:
    container = _sub(root, tag, {})
    for item in sorted(items, key=order):
        write(container, item)


def render_index(index: ReleaseIndex) -> bytes:
    """data/index.xml for ``index``: pretty-printed UTF-8 in ``urn:cpc:index:1``."""
    root = etree.Element(_NS + "index", nsmap={None: NAMESPACE})
    root.set("schemaVersion", "1")
    _release(root, index.release)
    _section(root, "files", index.files, lambda f: (f.path,), _payload_file)
    _section(root, "blocks", index.blocks, lambda b: (b.key,), _block)
    _section(root, "assets", index.assets, lambda a: (a.key,), _asset)
    _section(root, "documents", index.documents, lambda d: (d.key,), _document)
    _section(root, "products", index.products, lambda p: (p.key,), _product)
    _section(root, "offers", index.offers, lambda o: (o.key,), _offer)
    _section(root, "kits", index.kits, lambda k: (k.product, k.locale), _kit)
    etree.indent(root, space="  ")
    body: bytes = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


@dataclass(frozen=True, slots=True)
class IndexedFile:
    """A file index.xml names, with the checksum and size it claims, and where."""

    path: str
    sha256: str
    size: int
    line: int | None


def indexed_files(xml: bytes) -> list[IndexedFile]:
    """Every element of an index that names a file (has @path), in document order.

    Raises ``etree.XMLSyntaxError`` when the bytes are not well-formed XML.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(xml, parser)
    found: list[IndexedFile] = []
    for element in root.iter(_NS + "*"):
        path = element.get("path")
        if path is None:
            continue
        size_text = element.get("size", "")
        found.append(IndexedFile(path=path, sha256=element.get("sha256", ""),
                                 size=int(size_text) if size_text.isdigit() else -1,
                                 line=element.sourceline))
    return found
