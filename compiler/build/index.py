"""Fills the import index (data/index.xml) from a release.

Each kind of released item maps onto one kind of index record; the table at the end
says which. Kits come from the kits stage, extra payload files from their writers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from compiler import __version__
from compiler.exstream.kits import kit_members
from compiler.model import Item, Localised
from compiler.package import (
    Approval,
    Asset,
    Block,
    BlockForm,
    Document,
    IndexRelease,
    Kit,
    KitMember,
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
from compiler.release import OutputFile, Release, ReleasedItem


def _source(item: Item) -> SourceRef:
    return SourceRef(id=item.id, version=str(item.version))


def _approval(item: Item) -> Approval | None:
    g = item.governance
    return Approval(by=g.approved_by, at=g.approved_at) if g.approved_by and g.approved_at \
        else None


def _validity(item: Item) -> Validity:
    return Validity(item.governance.valid_from, item.governance.valid_until)


def _texts(item: Item, meaning: str, release: Release) -> tuple[LocalizedText, ...]:
    """A localised field per locale of the release, then per channel that has its own."""
    value = item.value(meaning)
    if value is None:
        return ()
    texts: list[LocalizedText] = []
    for locale in release.model.locales:
        if not isinstance(value, Localised):
            texts.append(LocalizedText(locale, str(value)))
            continue
        text = value.get(locale)
        if text is not None:
            texts.append(LocalizedText(locale, str(text)))
        texts.extend(LocalizedText(locale, str(value.get(locale, channel)), channel)
                     for channel in value.channel_overrides(locale))
    return tuple(texts)


def _rights(item: Item) -> Rights:
    copyright_line = item.value("copyright")
    return Rights(valid_until=item.governance.rights_valid_until,
                  copyright=str(copyright_line) if copyright_line else None)


def _forms(outputs: Sequence[OutputFile]) -> tuple[BlockForm, ...]:
    return tuple(BlockForm(locale=o.locale or "", kind=o.kind, path=o.path, sha256=o.sha256,
                           size=o.size, channel=o.channel)
                 for o in outputs if o.kind in ("exm", "html", "txt"))


def _block(released: ReleasedItem, release: Release) -> Block:
    item = released.item
    return Block(key=item.key, type=str(item.value("block_type") or ""),
                 regulated=bool(item.value("regulated")), source=_source(item),
                 forms=_forms(released.outputs), approval=_approval(item),
                 validity=_validity(item))


def _asset(released: ReleasedItem, release: Release) -> Asset | Document:
    item = released.item
    documents = [o for o in released.outputs if o.kind == "document"]
    if documents:
        doc = documents[0]
        return Document(key=item.key, source=_source(item), path=doc.path,
                        media_type=str(doc.facts.get("media_type") or ""), sha256=doc.sha256,
                        size=doc.size, title=_first_text(item, "title", release),
                        approval=_approval(item), validity=_validity(item),
                        titles=_texts(item, "title", release), rights=_rights(item))
    renditions = tuple(
        Rendition(preset=o.preset or "", channel=o.channel or "", path=o.path,
                  format=str(o.facts["format"]), width=int(o.facts["width"]),
                  height=int(o.facts["height"]), sha256=o.sha256, size=o.size,
                  dpi=o.facts.get("dpi"), colour_space=o.facts.get("colour_space"),
                  icc_profile=o.facts.get("icc_profile"), afp_name=o.facts.get("afp_name"))
        for o in released.outputs if o.kind == "rendition")
    return Asset(key=item.key, role=str(item.value("asset_role") or ""), source=_source(item),
                 renditions=renditions, approval=_approval(item), validity=_validity(item),
                 titles=_texts(item, "title", release), alts=_texts(item, "alt_text", release),
                 rights=_rights(item))


def _first_text(item: Item, meaning: str, release: Release) -> str | None:
    for locale in release.model.locales:
        text = item.text(meaning, locale)
        if text:
            return str(text)
    return None


def _keys(release: Release, ids: Sequence[str]) -> tuple[str, ...]:
    return tuple(key for key in (release.key_of(i) for i in ids) if key)


def _product_blocks(released: ReleasedItem) -> list[Block]:
    """A product's own rich text (descriptions, features) as blocks keyed ``<SKU>.<field>``."""
    item = released.item
    by_key: dict[str, list[OutputFile]] = {}
    for output in released.outputs:
        if output.kind in ("exm", "html", "txt"):
            by_key.setdefault(output.path.split("/")[2], []).append(output)
    return [Block(key=key, type=f"product_{key.split('.', 1)[1].replace('-', '_')}",
                  regulated=False, source=_source(item), forms=_forms(outputs),
                  approval=_approval(item), validity=_validity(item))
            for key, outputs in sorted(by_key.items())]


def _product(released: ReleasedItem, release: Release) -> list[Product | Block]:
    item = released.item
    blocks = _keys(release, [*item.references("fee_table"), *item.references("disclaimers")])
    own = sorted({o.path.split("/")[2] for o in released.outputs if o.kind == "exm"})
    members = [release.items[i] for i in item.references("onboarding") if i in release.items]
    images = [release.items[i] for i in item.references("images") if i in release.items]
    documents = tuple(m.item.key for m in [*members, *images]
                      if any(o.kind == "document" for o in m.outputs))
    assets = tuple(m.item.key for m in images if m.item.key not in documents)
    faq = tuple(m.item.key for m in members if m.item.kind == "text_block")
    names = tuple(LocalizedText(locale, str(item.text("name", locale)))
                  for locale in release.model.locales if item.text("name", locale))
    product = Product(key=item.key, sku=str(item.value("sku") or item.key),
                      source=_source(item), product_line=str(item.value("product_line") or ""),
                      names=names, blocks=(*own, *blocks, *faq), assets=assets,
                      documents=documents, approval=_approval(item), validity=_validity(item))
    return [product, *_product_blocks(released)]


def _offer(released: ReleasedItem, release: Release) -> Offer:
    item = released.item
    banner = _keys(release, item.references("banner"))
    return Offer(key=item.key, priority=int(item.value("priority") or 0), source=_source(item),
                 segments=tuple(item.value("segments") or ()),
                 triggers=tuple(item.value("triggers") or ()),
                 products=_keys(release, item.references("products")),
                 banner=banner[0] if banner else None, forms=_forms(released.outputs),
                 approval=_approval(item), validity=_validity(item))


def index_kits(release: Release) -> list[Kit]:
    """One kit per released product and locale, its members by kind and key."""
    kits: list[Kit] = []
    for product in release.released("product"):
        members: list[KitMember] = []
        for member in kit_members(release, product):
            kinds = {o.kind for o in member.outputs}
            kind = ("block" if member.item.kind == "text_block" else
                    "document" if "document" in kinds else
                    "asset" if member.item.kind == "file" else None)
            if kind is not None:  # a product in a product's onboarding is not a kit member
                members.append(KitMember(kind=kind, key=member.item.key))
        kits.extend(Kit(product=product.item.key, locale=locale, members=tuple(members))
                    for locale in release.model.locales)
    return kits


RECORDS: dict[str, Callable[[ReleasedItem, Release], Any]] = {
    "text_block": _block, "file": _asset, "product": _product, "offer": _offer,
}


def build_index(release: Release, files: Sequence[PayloadFile] = ()) -> ReleaseIndex:
    """The index of everything the release ships, kits included."""
    records: dict[type, list[Any]] = {}
    for released in release.items.values():
        made = RECORDS[released.item.kind](released, release)
        for record in made if isinstance(made, list) else [made]:
            records.setdefault(type(record), []).append(record)
    previous = release.previous
    return ReleaseIndex(
        release=IndexRelease(
            name=release.name, version=release.version, effective_date=release.effective_date,
            created=release.created, snapshot_id=release.snapshot_id,
            compiler_version=__version__,
            previous_version=previous.version if previous else None,
            previous_archive_sha256=previous.archive_sha256 if previous else None),
        blocks=tuple(records.get(Block, [])), assets=tuple(records.get(Asset, [])),
        documents=tuple(records.get(Document, [])), products=tuple(records.get(Product, [])),
        offers=tuple(records.get(Offer, [])), kits=tuple(index_kits(release)),
        files=tuple(files))
