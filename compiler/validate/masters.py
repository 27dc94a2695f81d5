"""File objects and their masters: present, intact, of the declared type and size.

Every file object's master is ``files/<id>/<file_name>``. Its sha256 and size (when the
object gives them) must match, its magic bytes must be the declared ``mime_type``, and
for raster images ``width``/``height`` must be the image as shown, after EXIF
orientation. Images are opened with Pillow for their header only; pixels are never
decoded. :func:`check_file_masters` is the snapshot stage's ``checks`` hook.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PIL import Image, UnidentifiedImageError

from compiler.config import Config
from compiler.diagnostics import Diagnostic, Location, error, warning
from compiler.model import Item, Model, load_model
from compiler.snapshot import ExportReader
from compiler.validate import codes

HEAD_BYTES = 1024
ORIENTATION_TAG = 0x0112
SWAPPED_ORIENTATIONS = frozenset({5, 6, 7, 8})  # rotated 90°/270°: shown width = stored height
MASTER_PATH = re.compile(r"^files/(?P<id>[^/]+)/(?P<name>[^/]+)$")


def _is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml")) and b"<svg" in text


# mime type -> does the file start like one? (first match wins)
MAGIC: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    ("image/jpeg", lambda h: h.startswith(b"\xff\xd8\xff")),
    ("image/png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/gif", lambda h: h.startswith((b"GIF87a", b"GIF89a"))),
    ("image/webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    ("image/tiff", lambda h: h.startswith((b"II*\x00", b"MM\x00*"))),
    ("application/pdf", lambda h: h.startswith(b"%PDF-")),
    ("image/svg+xml", _is_svg),
)
ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg", "image/x-png": "image/png",
           "image/tif": "image/tiff"}
RASTER = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff"})


def sniff(head: bytes) -> str | None:
    """The mime type the magic bytes say, or None when the table does not know them."""
    return next((mime for mime, test in MAGIC if test(head)), None)


def master_path(item: Item) -> str:
    """Where a file object's master lives in the export."""
    return f"files/{item.source.id}/{item.value('file_name')}"


def orientation(image: Image.Image) -> int | None:
    """The EXIF orientation, read without decoding pixels.

    Pillow's ``PngImageFile.getexif`` decodes the whole image to find an ``eXIf``
    chunk after the pixel data; for PNG only an ``eXIf`` chunk before it is read.
    """
    try:
        if image.format == "PNG":
            raw = image.info.get("exif")
            if not raw:
                return None
            exif = Image.Exif()
            exif.load(raw)
            value = exif.get(ORIENTATION_TAG)
        else:
            value = image.getexif().get(ORIENTATION_TAG)
    except Exception:  # a broken EXIF block: Pillow's parsers raise assorted errors
        return None
    return value if isinstance(value, int) else None


def shown_size(image: Image.Image) -> tuple[int, int]:
    """(width, height) as shown: EXIF orientations 5-8 swap the stored axes."""
    width, height = image.size
    return (height, width) if orientation(image) in SWAPPED_ORIENTATIONS else (width, height)


def _where(item: Item, field: str = "") -> dict[str, Any]:
    return {"location": item.location, "object_id": item.id, "key": item.key, "field": field}


@contextmanager
def _header_only() -> Iterator[None]:
    """Pillow's own bomb guard refuses to open an image beyond about 179 MP, whatever
    ``limits.max_pixels`` says. Only the header is read here (nothing is decoded), and
    the size it gives is checked against the configured limit, so the guard is lifted."""
    pillow_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_limit


def _open_image(reader: ExportReader, path: str) -> Image.Image:
    stream = reader.open(path)
    if not stream.seekable():  # a verifying snapshot stream: Pillow needs to seek
        with stream:
            return Image.open(io.BytesIO(stream.read()))
    return Image.open(stream)


def _image_problems(reader: ExportReader, item: Item, path: str, mime: str,
                    names: dict[str, str], max_pixels: int) -> Iterator[Diagnostic]:
    try:
        with _header_only(), _open_image(reader, path) as image:
            width, height = shown_size(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        yield error(codes.MASTER_UNREADABLE, f"{path}: the {mime} header cannot be read "
                    f"({exc}); upload a valid image", **_where(item))
        return
    if width * height > max_pixels:
        yield error(codes.MASTER_PIXELS, f"{path} is {width}x{height} pixels, more than "
                    f"limits.max_pixels = {max_pixels}; upload a smaller master",
                    **_where(item))
        return
    declared = (item.value("width"), item.value("height"))
    if declared != (None, None) and declared != (width, height):
        yield error(codes.MASTER_DIMENSIONS,
                    f"{names['width']}/{names['height']} say {declared[0]}x{declared[1]} but "
                    f"the image as shown (after EXIF orientation) is {width}x{height}; fix "
                    "them in 4ALLPORTAL", **_where(item, names["width"]))


def item_master_problems(reader: ExportReader, item: Item, config: Config) -> list[Diagnostic]:
    """Every problem of one file object's master."""
    names = {k: str(v) for k, v in config.fields("file").items()}
    if not item.value("file_name"):
        return []  # reported by the required-fields rule
    path = master_path(item)
    if not reader.exists(path):
        return [error(codes.MASTER_MISSING, f"the master {path} is not in the export; export "
                      "the file with its master", **_where(item, names["file_name"]))]
    found: list[Diagnostic] = []
    size = item.value("size")
    if size is not None and size != reader.size(path):
        found.append(error(codes.MASTER_SIZE, f"{names['size']!r} says {size} bytes but "
                           f"{path} has {reader.size(path)}; export again",
                           **_where(item, names["size"])))
    expected = item.value("sha256")
    if expected and expected.lower() != reader.sha256(path):
        found.append(error(codes.MASTER_SHA256, f"{names['sha256']!r} is {expected} but {path} "
                           f"hashes to {reader.sha256(path)}; the file or its metadata is "
                           "stale or corrupt: export again", **_where(item, names["sha256"])))
    with reader.open(path) as stream:
        head = stream.read(HEAD_BYTES)
    declared = str(item.value("mime_type") or "").lower()
    declared = ALIASES.get(declared, declared)
    actual = sniff(head)
    known = {mime for mime, _ in MAGIC}
    if declared and (actual or declared in known) and actual != declared:
        found.append(error(codes.MASTER_MIME, f"{names['mime_type']!r} is {declared!r} but "
                           f"{path} is {actual or 'not a known format'} by its content; fix "
                           "mime_type or upload the right file",
                           **_where(item, names["mime_type"])))
    if actual in RASTER:
        max_pixels = int(config.section("limits").get("max_pixels", 120_000_000))
        found.extend(_image_problems(reader, item, path, actual, names, max_pixels))
    return found


def master_problems(reader: ExportReader, model: Model, config: Config) -> list[Diagnostic]:
    """Master problems of every file object, then files under files/ nobody owns."""
    found: list[Diagnostic] = []
    owned: set[str] = set()
    for item in model.assets:
        found.extend(item_master_problems(reader, item, config))
        if item.value("file_name"):
            owned.add(master_path(item).lower())
    for path in reader.paths():
        if MASTER_PATH.match(path) and path.lower() not in owned:
            found.append(warning(codes.MASTER_STRAY, "belongs to no file object (or is not "
                                 "its master); it is not read: remove it from the export",
                                 location=Location(file=path)))
    return found


def check_file_masters(export: ExportReader, config: Config) -> list[Diagnostic]:
    """The snapshot ``checks`` hook: missing masters, sha256/size/mime/dimension mismatches.

    Loads the file module through the model (its reading problems are left to
    validation) and checks every file object's master. Use it as
    ``take_snapshot(..., checks=[lambda r: check_file_masters(r, config)])``.
    """
    loaded = load_model(export, config)
    return master_problems(export, loaded.model, config)
