"""The import index's content as typed records: what the pipeline fills for data/index.xml.

Every record is frozen; lists are tuples, so an index can be compared and hashed.
Dates are ``datetime.date``, moments ``datetime.datetime`` (timezone-aware, or taken
as UTC); the writer puts them in ISO form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class SourceRef:
    """The 4ALLPORTAL object an item came from: its id and version."""

    id: str
    version: str


@dataclass(frozen=True, slots=True)
class Approval:
    """Who approved an item, and when."""

    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Validity:
    """The dates an item may be used between (either end open)."""

    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class BlockForm:
    """One file of a text: a locale, an optional channel, and a kind (exm, html, txt).

    ``field`` names the field a product's own text comes from (``features``, say);
    forms of blocks and offers leave it None.
    """

    locale: str
    kind: str
    path: str
    sha256: str
    size: int
    channel: str | None = None
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A released text block and its forms."""

    key: str
    type: str
    regulated: bool
    source: SourceRef
    forms: tuple[BlockForm, ...]
    approval: Approval | None = None
    validity: Validity = field(default_factory=Validity)


@dataclass(frozen=True, slots=True)
class Rendition:
    """One rendered image file of an asset for a preset and channel."""

    preset: str
    channel: str
    path: str
    format: str
    width: int
    height: int
    sha256: str
    size: int
    dpi: int | None = None
    colour_space: str | None = None
    icc_profile: str | None = None
    afp_name: str | None = None


@dataclass(frozen=True, slots=True)
class LocalizedText:
    """A localised field's text in one locale, or in one locale and channel when that
    channel has a value of its own (an asset's title or alt text, say)."""

    locale: str
    text: str
    channel: str | None = None


@dataclass(frozen=True, slots=True)
class Rights:
    """The usage rights of a file: until when it may be used, and its copyright line."""

    valid_until: date | None = None
    copyright: str | None = None


@dataclass(frozen=True, slots=True)
class Asset:
    """A released image asset and its renditions, with its titles and alt texts per
    locale and its rights."""

    key: str
    role: str
    source: SourceRef
    renditions: tuple[Rendition, ...]
    approval: Approval | None = None
    validity: Validity = field(default_factory=Validity)
    titles: tuple[LocalizedText, ...] = ()
    alts: tuple[LocalizedText, ...] = ()
    rights: Rights = field(default_factory=Rights)


@dataclass(frozen=True, slots=True)
class Document:
    """A pass-through file (a PDF, say) released as it came, with its titles per locale
    (``title`` is the first locale's, kept for older readers) and its rights."""

    key: str
    source: SourceRef
    path: str
    media_type: str
    sha256: str
    size: int
    title: str | None = None
    approval: Approval | None = None
    validity: Validity = field(default_factory=Validity)
    titles: tuple[LocalizedText, ...] = ()
    rights: Rights = field(default_factory=Rights)


@dataclass(frozen=True, slots=True)
class Product:
    """A released product: its own text forms (by field) and the blocks, assets and
    documents it refers to, by key."""

    key: str
    sku: str
    source: SourceRef
    product_line: str
    names: tuple[LocalizedText, ...] = ()
    forms: tuple[BlockForm, ...] = ()
    blocks: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    approval: Approval | None = None
    validity: Validity = field(default_factory=Validity)


@dataclass(frozen=True, slots=True)
class Offer:
    """A released offer: where and when it plays, and its text forms."""

    key: str
    priority: int
    source: SourceRef
    segments: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    banner: str | None = None
    forms: tuple[BlockForm, ...] = ()
    approval: Approval | None = None
    validity: Validity = field(default_factory=Validity)


@dataclass(frozen=True, slots=True)
class KitMember:
    """One item of an onboarding kit: kind is ``block``, ``asset`` or ``document``."""

    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class Kit:
    """An onboarding kit: one product's guides, images and FAQ blocks in one locale."""

    product: str
    locale: str
    members: tuple[KitMember, ...] = ()


@dataclass(frozen=True, slots=True)
class PayloadFile:
    """Another payload file an import job reads (offers.xml, catalog.xml, kits.xml)."""

    role: str
    path: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class IndexRelease:
    """The release the index belongs to."""

    name: str
    version: str
    effective_date: date
    created: datetime
    snapshot_id: str
    compiler_version: str
    previous_version: str | None = None
    previous_archive_sha256: str | None = None


@dataclass(frozen=True)
class ReleaseIndex:
    """Everything data/index.xml lists."""

    release: IndexRelease
    blocks: tuple[Block, ...] = ()
    assets: tuple[Asset, ...] = ()
    documents: tuple[Document, ...] = ()
    products: tuple[Product, ...] = ()
    offers: tuple[Offer, ...] = ()
    kits: tuple[Kit, ...] = ()
    files: tuple[PayloadFile, ...] = ()
