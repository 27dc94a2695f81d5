"""The packaging stage: release bags in deterministic zips, the import index, the ledger,
signatures and verification (package-format.md).

The pipeline fills a :class:`ReleaseIndex`, renders it with :func:`render_index`, puts
it with the other payload files into a :class:`BagSpec` and calls
:func:`publish_release`. `cpc verify` calls :func:`verify_package`.
"""

from __future__ import annotations

from compiler.package.bag import BagSpec, PreviousRelease, ReleaseFacts
from compiler.package.errors import PackagingError
from compiler.package.hashing import sha256_content, sha256_file
from compiler.package.index_model import (
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
from compiler.package.index_xml import INDEX_PATH, NAMESPACE, render_index
from compiler.package.ledger import LedgerEntry, read_ledger
from compiler.package.release import (
    PublishedRelease,
    next_version,
    previous_release,
    publish_release,
)
from compiler.package.signing import KeyPair, generate_key_pair
from compiler.package.verify import CheckResult, CheckStatus, VerificationReport, verify_package

__all__ = [
    "INDEX_PATH",
    "NAMESPACE",
    "Approval",
    "Asset",
    "BagSpec",
    "Block",
    "BlockForm",
    "CheckResult",
    "CheckStatus",
    "Document",
    "IndexRelease",
    "KeyPair",
    "Kit",
    "KitMember",
    "LedgerEntry",
    "LocalizedText",
    "Offer",
    "PackagingError",
    "PayloadFile",
    "PreviousRelease",
    "Product",
    "PublishedRelease",
    "ReleaseFacts",
    "ReleaseIndex",
    "Rendition",
    "Rights",
    "SourceRef",
    "Validity",
    "VerificationReport",
    "generate_key_pair",
    "next_version",
    "previous_release",
    "publish_release",
    "read_ledger",
    "render_index",
    "sha256_content",
    "sha256_file",
    "verify_package",
]
