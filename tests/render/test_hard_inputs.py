"""Hard inputs: orientation, 16-bit, palette and alpha, animation, and files that must fail."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from compiler.diagnostics import Severity
from compiler.render import document_kind, is_document, render_assets
from compiler.render.decode import MasterProblem, read_header

from .conftest import asset_for, codes, settings_with, textured

W, H = 6, 4
REFERENCE = Image.new("RGB", (W, H))
REFERENCE.putdata([(x * 40, y * 60, (x * 7 + y * 13) % 256) for y in range(H) for x in range(W)])


def pixels(image: Image.Image) -> list[object]:
    """Every pixel, row by row."""
    return [image.getpixel((x, y)) for y in range(image.height) for x in range(image.width)]


def exact_web(width: int) -> dict[str, dict[str, object]]:
    return {"web": {"channel": "web", "widths": [width], "format": "png"}}


# EXIF orientation, as the standard defines it: where a stored pixel (x, y) of a stored
# image of stored_w × stored_h is shown. Independent of Pillow's own implementation.
SHOWN_AT: dict[int, Callable[[int, int, int, int], tuple[int, int]]] = {
    1: lambda x, y, w, h: (x, y),
    2: lambda x, y, w, h: (w - 1 - x, y),
    3: lambda x, y, w, h: (w - 1 - x, h - 1 - y),
    4: lambda x, y, w, h: (x, h - 1 - y),
    5: lambda x, y, w, h: (y, x),
    6: lambda x, y, w, h: (h - 1 - y, x),
    7: lambda x, y, w, h: (h - 1 - y, w - 1 - x),
    8: lambda x, y, w, h: (y, w - 1 - x),
}


def stored_for(orientation: int) -> Image.Image:
    """The stored pixels a camera writes so that ``orientation`` shows REFERENCE upright."""
    w, h = (H, W) if orientation >= 5 else (W, H)
    stored = Image.new("RGB", (w, h))
    for y in range(h):
        for x in range(w):
            stored.putpixel((x, y), REFERENCE.getpixel(SHOWN_AT[orientation](x, y, w, h)))
    return stored


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied_first_and_not_carried(
        save: Callable[..., Path], orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(stored_for(orientation), f"o{orientation}.png", exif=exif)
    [result] = render_assets([asset_for(path)], settings_with(exact_web(W)), jobs=1)
    assert codes(result) == []
    output = Image.open(io.BytesIO(result.renditions[0].read()))
    assert output.size == (W, H)
    assert pixels(output.convert("RGB")) == pixels(REFERENCE)
    assert 0x0112 not in output.getexif() and "exif" not in output.info


def test_16bit_grey_is_scaled_not_clipped(save: Callable[..., Path]) -> None:
    values = [0, 5140, 20000, 32896, 50000, 65535]
    grey = Image.new("I;16", (len(values), 1))
    grey.putdata(values)
    path = save(grey, "grey16.png")
    assert Image.open(path).mode.startswith("I")
    [result] = render_assets([asset_for(path)], settings_with(exact_web(len(values))), jobs=1)
    output = Image.open(io.BytesIO(result.renditions[0].read())).convert("L")
    assert pixels(output) == [round(v / 257) for v in values]


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_16bit_rgb(pixels: list[tuple[int, int, int]]) -> bytes:
    """A one-row 16-bit-per-channel RGB PNG, written by hand (Pillow cannot write one)."""
    row = b"\x00" + b"".join(struct.pack(">3H", *p) for p in pixels)
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", len(pixels), 1, 16, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(row)) + png_chunk(b"IEND", b""))


def test_16bit_rgb_is_scaled(tmp_path: Path) -> None:
    wide = [(65535, 0, 32896), (20000, 40000, 60000)]
    path = tmp_path / "rgb16.png"
    path.write_bytes(png_16bit_rgb(wide))
    [result] = render_assets([asset_for(path)], settings_with(exact_web(2)), jobs=1)
    output = Image.open(io.BytesIO(result.renditions[0].read())).convert("RGB")
    got = pixels(output)
    for want, have in zip(wide, got, strict=True):
        assert all(abs(round(w / 257) - h) <= 1 for w, h in zip(want, have, strict=True))


def palette_with_transparency() -> Image.Image:
    image = Image.new("P", (8, 8), 0)
    image.putpalette([0, 0, 0, 200, 30, 30] + [0] * 762)
    image.paste(1, (0, 0, 4, 8))  # left half red, right half index 0 = transparent
    image.info["transparency"] = 0
    return image


def test_palette_transparency_kept_as_alpha_where_the_format_has_it(
        save: Callable[..., Path]) -> None:
    path = save(palette_with_transparency(), "logo.png")
    settings = settings_with({"web": {"channel": "web", "widths": [8]},  # jpeg by default
                              "mobile": {"channel": "mobile", "widths": [8], "format": "webp"}})
    [result] = render_assets([asset_for(path)], settings, jobs=1)
    by_preset = {r.preset: r for r in result.renditions}
    web = by_preset["web"]
    assert web.format == "png" and web.path.endswith(".png")  # JPEG has no alpha: PNG instead
    image = Image.open(io.BytesIO(web.read()))
    assert image.mode == "RGBA"
    assert image.getpixel((1, 1)) == (200, 30, 30, 255) and image.getpixel((6, 6))[3] == 0  # type: ignore[index]
    mobile = Image.open(io.BytesIO(by_preset["mobile"].read()))
    assert mobile.mode == "RGBA" and mobile.getpixel((6, 6))[3] == 0  # type: ignore[index]


def test_alpha_is_flattened_onto_the_background_where_the_format_has_none(
        save: Callable[..., Path]) -> None:
    path = save(palette_with_transparency(), "logo.png")
    settings = settings_with({"email": {"channel": "email", "widths": [8], "keep_alpha": False,
                                        "quality": 100, "min_quality": 60}},
                             background="#00ff00")
    [result] = render_assets([asset_for(path)], settings, jobs=1)
    [email] = result.renditions
    assert email.format == "jpeg"
    image = Image.open(io.BytesIO(email.read()))
    assert image.mode == "RGB"
    red, green, blue = image.getpixel((7, 4))  # type: ignore[misc]
    assert green > 200 and red < 60 and blue < 60


def test_an_animated_gif_renders_its_first_frame_with_a_warning(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((220, 0, 0), (0, 0, 220))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    [result] = render_assets([asset_for(path)], settings_with(exact_web(16)), jobs=1)
    assert codes(result) == ["W-RENDER-ANIMATED"]
    assert result.diagnostics[0].key == "anim" and result.diagnostics[0].object_id == "id-anim"
    red, _green, blue = Image.open(io.BytesIO(result.renditions[0].read())).convert(
        "RGB").getpixel((8, 8))  # type: ignore[misc]
    assert red > 180 and blue < 40


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels."""
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


def good_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


FAILING: list[tuple[str, str, Callable[[], bytes], str]] = [
    ("bomb", "bomb.png", lambda: bomb_png(60_000, 60_000), "E-RENDER-PIXELS"),
    ("zero-byte", "empty.jpg", lambda: b"", "E-RENDER-EMPTY"),
    ("truncated-jpeg", "cut.jpg", lambda: good_jpeg()[: len(good_jpeg()) // 2],
     "E-RENDER-CORRUPT"),
    ("truncated-png", "cut.png",
     lambda: _png_bytes()[: len(_png_bytes()) - 40], "E-RENDER-CORRUPT"),
    ("corrupt-header", "bad.jpg", lambda: b"\xff\xd8\xff" + b"\x13" * 400, "E-RENDER-CORRUPT"),
    ("mislabelled", "photo.jpg", lambda: _png_bytes(), "E-RENDER-MISLABELLED"),
    ("not-an-image", "notes.dat", lambda: b"just some text\n", "E-RENDER-NOT-IMAGE"),
    ("document", "terms.dat", lambda: b"%PDF-1.7\n%...", "E-RENDER-NOT-IMAGE"),
]


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    textured((64, 64), 7).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "maker", "code"), [(n, m, c) for _, n, m, c in FAILING],
                         ids=[i for i, _, _, _ in FAILING])
def test_bad_masters_are_coded_errors_naming_the_asset(
        tmp_path: Path, name: str, maker: Callable[[], bytes], code: str) -> None:
    path = tmp_path / name
    path.write_bytes(maker())
    settings = settings_with({"web": {"channel": "web", "widths": [32]},
                              "print": {"channel": "print", "long_edge": 32}})
    [result] = render_assets([asset_for(path, key="the-asset")], settings, jobs=1)
    assert result.renditions == []
    assert codes(result) == [code]
    diagnostic = result.diagnostics[0]
    assert diagnostic.severity is Severity.ERROR and diagnostic.key == "the-asset"
    assert diagnostic.object_id == f"id-{path.stem}"


def test_the_pixel_cap_is_read_from_the_header(save: Callable[..., Path]) -> None:
    path = save(Image.new("RGB", (100, 100)), "big.png")
    settings = settings_with(exact_web(50), max_pixels=9_999)
    [result] = render_assets([asset_for(path)], settings, jobs=1)
    assert codes(result) == ["E-RENDER-PIXELS"] and "10,000 pixels" in result.diagnostics[0].message


def test_mislabelled_by_mime_type(save: Callable[..., Path]) -> None:
    path = save(Image.new("RGB", (8, 8)), "x.bin", format="PNG")
    [result] = render_assets([asset_for(path, mime_type="image/jpeg")],
                             settings_with(exact_web(8)), jobs=1)
    assert codes(result) == ["E-RENDER-MISLABELLED"]
    assert "MIME type image/jpeg says jpeg but the bytes are png" in result.diagnostics[0].message


@pytest.mark.parametrize(("content", "kind"), [
    (b"%PDF-1.4\n", "pdf"), (b"%!PS-Adobe-3.0 EPSF-3.0\n", "postscript"),
    (b"PK\x03\x04rest", "office-zip"), (b'<?xml version="1.0"?>\n<svg xmlns="x"/>', "svg"),
    (b"\xff\xd8\xff\xe0", None), (b"\x89PNG\r\n\x1a\n", None), (b"hello", None)])
def test_documents_are_recognised_by_magic_bytes(
        tmp_path: Path, content: bytes, kind: str | None) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    assert document_kind(path) == kind and is_document(path) is (kind is not None)


def test_our_pixel_cap_decides_not_pillows_default(tmp_path: Path) -> None:
    # 110 MP is above Pillow's built-in bomb threshold (~89 MP) but within the default cap
    # of 120 MP: the header is accepted (no pixels decoded here); a lower cap refuses it.
    path = tmp_path / "large.png"
    path.write_bytes(bomb_png(11_000, 10_000))
    pillow_default = Image.MAX_IMAGE_PIXELS
    header = read_header(path, "large.png", None, 120_000_000)
    assert pillow_default == Image.MAX_IMAGE_PIXELS  # swapped for the open, then restored
    assert header.shown_size == (11_000, 10_000)
    with pytest.raises(MasterProblem) as refused:
        read_header(path, "large.png", None, 100_000_000)
    assert refused.value.code == "E-RENDER-PIXELS"
    with pytest.raises(MasterProblem) as bomb:  # beyond twice the cap Pillow itself refuses
        read_header(path, "large.png", None, 50_000_000)
    assert bomb.value.code == "E-RENDER-PIXELS"
