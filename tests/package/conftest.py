"""A small real release: text forms, real images, a PDF, an index that names them all."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from compiler.package import (
    Approval,
    Asset,
    BagSpec,
    Block,
    BlockForm,
    Document,
    IndexRelease,
    Kit,
    KitMember,
    LocalizedText,
    Offer,
    PayloadFile,
    PreviousRelease,
    Product,
    ReleaseFacts,
    ReleaseIndex,
    Rendition,
    SourceRef,
    Validity,
    render_index,
    sha256_content,
)

EFFECTIVE = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def _image(fmt: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(buffer, format=fmt)
    return buffer.getvalue()


def build_spec(work: Path, version: str = "2026.12.1", previous: PreviousRelease | None = None,
               *, text: str = "Tagesgeld ohne Gebühren.", name: str = "nordlicht") -> BagSpec:
    """A BagSpec with every kind of item; large files come from disk as Paths."""
    work.mkdir(parents=True, exist_ok=True)
    big = work / "brochure.pdf"
    big.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4096 + b"\n%%EOF\n")
    payload: dict[str, bytes | Path] = {
        "data/content/disc-home/de.exm.xml": f"<exm><p>{text}</p></exm>\n".encode(),
        "data/content/disc-home/de.email.html": f"<p>{text}</p>\n".encode(),
        "data/content/disc-home/de.txt": (text + "\n").encode(),
        "data/assets/email/tagesgeld-ubersicht-432b7c5d-600.jpg": _image("JPEG", (600, 400)),
        "data/assets/web/tagesgeld-ubersicht-432b7c5d-1200.png": _image("PNG", (120, 80)),
        "data/documents/brochure-9f8e7d6c.pdf": big,
        "data/offers.xml": b"<offers/>\n",
        "data/content/off-tg/de.txt": b"Jetzt Tagesgeld er\xc3\xb6ffnen.\n",
        "data/content/tg-01.features/de.exm.xml": b"<exm><ul><li>0 EUR</li></ul></exm>\n",
    }

    def facts(path: str) -> tuple[str, int]:
        return sha256_content(payload[path])

    def form(path: str, locale: str, kind: str, channel: str | None = None) -> BlockForm:
        sha, size = facts(path)
        return BlockForm(locale=locale, kind=kind, path=path, sha256=sha, size=size,
                         channel=channel)

    def rendition(path: str, preset: str, fmt: str, width: int, height: int) -> Rendition:
        sha, size = facts(path)
        return Rendition(preset=preset, channel=preset, path=path, format=fmt, width=width,
                         height=height, sha256=sha, size=size, dpi=72, colour_space="sRGB",
                         icc_profile="sRGB IEC61966-2.1")

    approval = Approval(by="compliance@example.com", at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    doc_sha, doc_size = facts("data/documents/brochure-9f8e7d6c.pdf")
    offers_sha, offers_size = facts("data/offers.xml")
    index = ReleaseIndex(
        release=IndexRelease(name=name, version=version, effective_date=date(2026, 12, 1),
                             created=EFFECTIVE, snapshot_id="snap-0123456789abcdef",
                             compiler_version="0.1.0",
                             previous_version=previous.version if previous else None,
                             previous_archive_sha256=previous.archive_sha256 if previous else None),
        files=(PayloadFile("offers", "data/offers.xml", offers_sha, offers_size),),
        blocks=(Block(key="DISC-HOME", type="disclaimer", regulated=True,
                      source=SourceRef("b-1", "7"), approval=approval,
                      validity=Validity(date(2026, 1, 1), None),
                      forms=(form("data/content/disc-home/de.txt", "de", "txt"),
                             form("data/content/disc-home/de.exm.xml", "de", "exm"),
                             form("data/content/disc-home/de.email.html", "de", "html",
                                  "email"))),),
        assets=(Asset(key="tagesgeld-ubersicht-432b7c5d", role="hero",
                      source=SourceRef("432b7c5d-0000", "3"),
                      renditions=(rendition("data/assets/web/tagesgeld-ubersicht-432b7c5d-1200.png",
                                            "web", "png", 120, 80),
                                  rendition("data/assets/email/tagesgeld-ubersicht-432b7c5d-600.jpg",
                                            "email", "jpeg", 600, 400))),),
        documents=(Document(key="brochure-9f8e7d6c", source=SourceRef("9f8e7d6c-1", "1"),
                            path="data/documents/brochure-9f8e7d6c.pdf",
                            media_type="application/pdf", sha256=doc_sha, size=doc_size),),
        products=(Product(key="TG-01", sku="TG-01", source=SourceRef("p-1", "12"),
                          product_line="savings",
                          names=(LocalizedText("en", "Instant access"),
                                 LocalizedText("de", "Tagesgeld")),
                          forms=(BlockForm("de", "exm", "data/content/tg-01.features/de.exm.xml",
                                           *facts("data/content/tg-01.features/de.exm.xml"),
                                           field="features"),),
                          blocks=("DISC-HOME",), assets=("tagesgeld-ubersicht-432b7c5d",),
                          documents=("brochure-9f8e7d6c",)),),
        offers=(Offer(key="OFF-TG", priority=10, source=SourceRef("o-1", "2"),
                      segments=("young",), triggers=("onboarding",), products=("TG-01",),
                      banner="tagesgeld-ubersicht-432b7c5d",
                      forms=(form("data/content/off-tg/de.txt", "de", "txt"),)),),
        kits=(Kit(product="TG-01", locale="de",
                  members=(KitMember("block", "DISC-HOME"),
                           KitMember("asset", "tagesgeld-ubersicht-432b7c5d"))),),
    )
    payload["data/index.xml"] = render_index(index)
    audit = {
        "format": "cpc-audit-manifest/1",
        "release": {"name": name, "version": version, "created": "2026-12-01T08:30:00Z",
                    "effective_date": "2026-12-01",
                    "previous": ({"version": previous.version,
                                  "archive_sha256": previous.archive_sha256}
                                 if previous else None),
                    "snapshot": {"id": "snap-0123456789abcdef", "exported_at": None,
                                 "system": None, "cursor": None},
                    "config_sha256": "0" * 64, "compiler": {"name": "cpc", "version": "0.1.0"},
                    "python": "3.11", "dependencies": {}},
        "items": [], "excluded": [], "changes": {"added": [], "changed": [], "removed": []},
        "checks": [],
        "summary": {"released": {}, "released_total": 0, "excluded": {}, "excluded_total": 0,
                    "changes": {"added": 0, "changed": 0, "removed": 0}, "warnings": 0,
                    "checks": {}},
    }
    tags: dict[str, bytes | Path] = {
        "audit/audit-manifest.json": json.dumps(audit, sort_keys=True).encode(),
        "audit/audit-report.html": b"<!doctype html><title>audit</title>\n",
    }
    facts_ = ReleaseFacts(name=name, version=version, source_organization="Example Insurance AG",
                          compiler_version="0.1.0", effective_time=EFFECTIVE,
                          snapshot_id="snap-0123456789abcdef", previous=previous)
    return BagSpec(release=facts_, payload=payload, tag_files=tags)


@pytest.fixture
def spec(tmp_path: Path) -> BagSpec:
    """A first release of 'nordlicht'."""
    return build_spec(tmp_path / "inputs")


# --- tampering with a real package -------------------------------------------------------

Entry = tuple[zipfile.ZipInfo, bytes]


def read_entries(archive: Path) -> list[Entry]:
    """Every entry of a zip with its content, in archive order."""
    with zipfile.ZipFile(archive) as source:
        return [(info, source.read(info)) for info in source.infolist()]


def write_entries(archive: Path, entries: list[Entry]) -> None:
    """Rewrite ``archive`` with ``entries`` and refresh its .sha256 so only the tampering shows."""
    with zipfile.ZipFile(archive, "w") as target:
        for info, content in entries:
            target.writestr(info, content)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    archive.with_name(archive.name + ".sha256").write_text(f"{digest}  {archive.name}\n")


def replace_entry(entries: list[Entry], suffix: str, content: bytes) -> list[Entry]:
    """``entries`` with the content of the one entry ending in ``suffix`` replaced."""
    hits = [i for i, (info, _) in enumerate(entries) if info.filename.endswith(suffix)]
    assert len(hits) == 1, suffix
    changed = list(entries)
    changed[hits[0]] = (entries[hits[0]][0], content)
    return changed


def flip_byte(content: bytes, at: int = 10) -> bytes:
    """``content`` with one bit of one byte flipped."""
    return content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1:]


def refresh_tag_manifest(entries: list[Entry]) -> list[Entry]:
    """Recompute tagmanifest-sha256.txt after a deliberate change to a tag file."""
    top = entries[0][0].filename.split("/", 1)[0]
    sums = {info.filename.split("/", 1)[1]: hashlib.sha256(content).hexdigest()
            for info, content in entries
            if not info.filename.split("/", 1)[1].startswith("data/")
            and not info.filename.endswith("tagmanifest-sha256.txt")}
    text = "".join(f"{sums[p]}  {p}\n" for p in sorted(sums)).encode()
    return replace_entry(entries, f"{top}/tagmanifest-sha256.txt", text)
