"""What a master file is, by its magic bytes, and what it claims to be.

Images are rendered; documents (PDF, PostScript, office files, SVG) pass through to
``documents/`` unchanged. A file whose name or MIME type claims another format than its
bytes show is mislabelled and refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_HEAD = 512


def _starts(*prefixes: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(prefixes)


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text)


# Raster formats cpc renders: name -> (matcher, Pillow plugin name).
IMAGE_SIGNATURES: dict[str, tuple[Callable[[bytes], bool], str]] = {
    "jpeg": (_starts(b"\xff\xd8\xff"), "JPEG"),
    "png": (_starts(b"\x89PNG\r\n\x1a\n"), "PNG"),
    "gif": (_starts(b"GIF87a", b"GIF89a"), "GIF"),
    "tiff": (_starts(b"II*\x00", b"MM\x00*"), "TIFF"),
    "webp": (_webp, "WEBP"),
    "bmp": (_starts(b"BM"), "BMP"),
}

# Documents cpc copies, never rasterises.
DOCUMENT_SIGNATURES: dict[str, Callable[[bytes], bool]] = {
    "pdf": _starts(b"%PDF-"),
    "postscript": _starts(b"%!PS", b"\xc5\xd0\xd3\xc6"),
    "office-zip": _starts(b"PK\x03\x04"),
    "office-ole": _starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    "rtf": _starts(b"{\\rtf"),
    "svg": _svg,
}

# What a file name or MIME type claims; only formats in this table are checked.
_CLAIMS_BY_SUFFIX = {
    ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".png": "png", ".gif": "gif",
    ".tif": "tiff", ".tiff": "tiff", ".webp": "webp", ".bmp": "bmp", ".pdf": "pdf",
    ".ps": "postscript", ".eps": "postscript", ".svg": "svg", ".docx": "office-zip",
    ".xlsx": "office-zip", ".pptx": "office-zip", ".doc": "office-ole", ".xls": "office-ole",
    ".rtf": "rtf",
}
_CLAIMS_BY_MIME = {
    "image/jpeg": "jpeg", "image/pjpeg": "jpeg", "image/png": "png", "image/gif": "gif",
    "image/tiff": "tiff", "image/webp": "webp", "image/bmp": "bmp", "application/pdf": "pdf",
    "application/postscript": "postscript", "image/svg+xml": "svg",
}


def read_head(path: Path) -> bytes:
    """The first bytes of a file (enough for every signature)."""
    with path.open("rb") as handle:
        return handle.read(_HEAD)


def kind_of(head: bytes) -> str | None:
    """The format the bytes show (``jpeg``, ``pdf``, ...), or None when unknown."""
    for name, (matches, _plugin) in IMAGE_SIGNATURES.items():
        if matches(head):
            return name
    for name, matches_doc in DOCUMENT_SIGNATURES.items():
        if matches_doc(head):
            return name
    return None


def document_kind(master: Path) -> str | None:
    """``pdf``, ``postscript``, ``office-zip``, ``office-ole``, ``rtf`` or ``svg``; else None."""
    kind = kind_of(read_head(master))
    return kind if kind in DOCUMENT_SIGNATURES else None


def is_document(master: Path) -> bool:
    """True when the master is a pass-through document (by magic bytes): copy, don't render."""
    return document_kind(master) is not None


def claimed_kind(file_name: str, mime_type: str | None) -> tuple[str, str] | None:
    """What the asset claims to be and where the claim comes from, if it claims anything."""
    if mime_type and mime_type.lower() in _CLAIMS_BY_MIME:
        return _CLAIMS_BY_MIME[mime_type.lower()], f"MIME type {mime_type}"
    suffix = Path(file_name).suffix.lower()
    if suffix in _CLAIMS_BY_SUFFIX:
        return _CLAIMS_BY_SUFFIX[suffix], f"file name {file_name}"
    return None
