"""What a release package holds, by key: the source id, kind, locales and channels of each item.

Read from ``audit/audit-manifest.json`` when the package has one (its items carry key,
kind, source id and outputs), else from ``data/index.xml``. Only those two entries are
read, each size-capped before it is decompressed, so a hostile zip cannot exhaust memory.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from compiler.errors import CpcError

MANIFEST = "audit/audit-manifest.json"
INDEX = "data/index.xml"
MAX_ENTRY_BYTES = 256 * 1024 * 1024
CHANNELS = ("print", "email", "web", "mobile")
# index.xml sections whose elements are items with a key and a source id
INDEX_KINDS = {"block": "text_block", "asset": "file", "document": "file",
               "product": "product", "offer": "offer"}


@dataclass(frozen=True)
class PackageItem:
    """One released item of a package: where it came from and where findings may point."""

    id: str
    kind: str
    locales: frozenset[str]
    channels: frozenset[str]
    excluded: str | None = None  # the reason, for an object the package left out


def package_items(zip_path: Path) -> dict[str, PackageItem]:
    """Key → item for every released item of a release zip; :class:`CpcError` if unreadable."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            top = _top_folder(archive, zip_path)
            for name, parse in ((MANIFEST, _from_manifest), (INDEX, _from_index)):
                data = _read(archive, f"{top}/{name}", zip_path)
                if data is not None:
                    return parse(data, zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CpcError(f"{zip_path}: not a readable release zip: {exc}") from None
    raise CpcError(f"{zip_path}: neither {MANIFEST} nor {INDEX} is in the package; "
                   "is this a cpc release?")


def _top_folder(archive: zipfile.ZipFile, zip_path: Path) -> str:
    tops = {name.split("/", 1)[0] for name in archive.namelist() if name.strip("/")}
    if len(tops) != 1:
        raise CpcError(f"{zip_path}: a release zip holds one top folder <name>-<version>/, "
                       f"found {len(tops)}: {', '.join(sorted(tops)[:5])}")
    return tops.pop()


def _read(archive: zipfile.ZipFile, name: str, zip_path: Path) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_ENTRY_BYTES:
        raise CpcError(f"{zip_path}: {name} is larger than {MAX_ENTRY_BYTES} bytes")
    with archive.open(info) as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise CpcError(f"{zip_path}: {name} is larger than {MAX_ENTRY_BYTES} bytes")
    return data


def _dimensions(pairs: Iterable[tuple[str | None, str | None]], release_locales: set[str]
                ) -> tuple[frozenset[str], frozenset[str]]:
    """Locales and channels an item is delivered for.

    A form without a locale (an image, a document) serves every locale of the release; a
    form without a channel serves every channel.
    """
    locales: set[str] = set()
    channels: set[str] = set()
    for locale, channel in pairs:
        locales.update([locale] if locale else release_locales)
        channels.update([channel] if channel else CHANNELS)
    return frozenset(locales), frozenset(channels)


def _from_manifest(data: bytes, zip_path: Path) -> dict[str, PackageItem]:
    try:
        doc: Any = json.loads(data.decode("utf-8"))
        entries = doc["items"]
        release_locales = {o["locale"] for e in entries for o in e.get("outputs", [])
                           if o.get("locale")}
        found: dict[str, PackageItem] = {}
        for entry in doc.get("excluded", []):
            found[str(entry["key"])] = PackageItem(str(entry["id"]), str(entry["kind"]),
                                                   frozenset(), frozenset(),
                                                   excluded=str(entry["reason"]))
        for entry in entries:
            # an item's outputs by content key: a product's own rich text is shipped as
            # blocks <SKU>.<field> (data/content/<key>/...), findings may name those too
            by_key: dict[str, list[tuple[str | None, str | None]]] = {str(entry["key"]): []}
            for output in entry.get("outputs", []):
                parts = str(output.get("path", "")).split("/")
                key = parts[2] if len(parts) > 3 and parts[1] == "content" else entry["key"]
                by_key.setdefault(str(key), []).append((output.get("locale"),
                                                        output.get("channel")))
            for key, pairs in by_key.items():
                locales, channels = _dimensions(pairs or [(None, None)], release_locales)
                found[key] = PackageItem(str(entry["source"]["id"]), str(entry["kind"]),
                                         locales, channels)
        return found
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise CpcError(f"{zip_path}: {MANIFEST} is not a readable audit manifest "
                       f"({type(exc).__name__}: {exc})") from None


def _from_index(data: bytes, zip_path: Path) -> dict[str, PackageItem]:
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise CpcError(f"{zip_path}: {INDEX} is not well-formed XML: {exc}") from None
    elements = [(e, INDEX_KINDS[etree.QName(e).localname]) for e in root.iter()
                if isinstance(e.tag, str) and etree.QName(e).localname in INDEX_KINDS
                and e.get("key") and e.get("sourceId")]
    release_locales = {f.get("locale") for f in root.iter() if isinstance(f.tag, str)
                       and f.get("locale") and etree.QName(f).localname == "form"}
    found: dict[str, PackageItem] = {}
    for element, kind in elements:
        pairs = [(c.get("locale"), c.get("channel")) for c in element
                 if isinstance(c.tag, str)
                 and etree.QName(c).localname in ("form", "rendition")]
        locales, channels = _dimensions(pairs or [(None, None)],
                                        {str(x) for x in release_locales})
        found[str(element.get("key"))] = PackageItem(str(element.get("sourceId")), kind,
                                                     locales, channels)
    return found
