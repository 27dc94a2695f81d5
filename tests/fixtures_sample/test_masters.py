"""Every master file exists and matches its metadata; the hard image cases are there."""

from __future__ import annotations

import hashlib
import io
import struct

import pytest
from PIL import Image, ImageCms, ImageOps

from tests.fixtures_sample.sample import EXPORT, EXSTREAM, load, value

PRINT_LONG_EDGE = 2126
FORMAT_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}


def _master(obj: dict) -> bytes:
    return (EXPORT / "files" / obj["id"] / value(obj, "file_name")).read_bytes()


def _by_name(name: str) -> dict:
    return next(f for f in load().modules["file"] if value(f, "file_name") == name)


def _images() -> list[dict]:
    return [f for f in load().modules["file"] if value(f, "mime_type").startswith("image/")]


def test_every_file_object_has_exactly_its_master() -> None:
    files = load().modules["file"]
    folders = {p.name for p in (EXPORT / "files").iterdir()}
    assert folders == {f["id"] for f in files}
    for obj in files:
        entries = list((EXPORT / "files" / obj["id"]).iterdir())
        assert [e.name for e in entries] == [value(obj, "file_name")], obj["id"]


@pytest.mark.parametrize("name", sorted(value(f, "file_name") for f in load().modules["file"]))
def test_size_sha256_and_mime_match(name: str) -> None:
    obj = _by_name(name)
    data = _master(obj)
    assert value(obj, "size") == len(data)
    if "sha256" in obj:
        assert value(obj, "sha256") == hashlib.sha256(data).hexdigest()
    mime = value(obj, "mime_type")
    if mime == "application/pdf":
        assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
        assert "width" not in obj
    else:
        with Image.open(io.BytesIO(data)) as image:
            assert FORMAT_MIME[image.format] == mime
            shown = ImageOps.exif_transpose(image).size
        assert (value(obj, "width"), value(obj, "height")) == shown, name


def test_most_files_carry_sha256_and_some_a_focal_point() -> None:
    files = load().modules["file"]
    with_sha = sum("sha256" in f for f in files)
    assert len(files) > with_sha >= len(files) * 0.8
    points = [value(f, "focal_point") for f in files if "focal_point" in f]
    assert len(points) >= 3
    assert all(0 <= p["x"] <= 1 and 0 <= p["y"] <= 1 for p in points)


def test_exif_rotated_jpeg_is_shown_upright() -> None:
    obj = _by_name("Kfz Landstrasse hochkant.jpg")
    with Image.open(io.BytesIO(_master(obj))) as image:
        assert image.getexif()[0x0112] == 6
        stored = image.size
    assert stored == (2400, 1600)
    assert (value(obj, "width"), value(obj, "height")) == (1600, 2400)


def test_cmyk_jpeg_is_adobe_inverted() -> None:
    data = _master(_by_name("Reise Küste.jpg"))
    assert b"Adobe" in data[:200]  # APP14
    with Image.open(io.BytesIO(data)) as image:
        assert image.mode == "CMYK" and "icc_profile" not in image.info


def test_adobe_rgb_jpeg_embeds_an_adobe_rgb_profile() -> None:
    with Image.open(io.BytesIO(_master(_by_name("Haftpflicht Familie im Park.jpg")))) as image:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
    assert "Adobe" in ImageCms.getProfileDescription(profile)


def test_sixteen_bit_masters() -> None:
    with Image.open(io.BytesIO(_master(_by_name("Kameramann Graustufen.png")))) as grey:
        assert grey.mode == "I;16"
        _low, high = grey.getextrema()
        assert high > 255  # clipping to 8 bits would lose the picture
    rgb16 = _master(_by_name("Farbverlauf 16bit.png"))
    depth, colour_type = struct.unpack(">BB", rgb16[24:26])  # IHDR after width/height
    assert (depth, colour_type) == (16, 2)


def test_transparency_cases() -> None:
    with Image.open(io.BytesIO(_master(_by_name("Nordlicht Logo.png")))) as logo:
        assert logo.mode == "RGBA"
        histogram = logo.getchannel("A").histogram()
        alphas = {level for level, count in enumerate(histogram) if count}
        assert 0 in alphas and 255 in alphas and len(alphas) > 2
    for name in ("Nordlicht Logo einfarbig.png", "Stadtplan Illustration.png"):
        with Image.open(io.BytesIO(_master(_by_name(name)))) as paletted:
            assert paletted.mode == "P" and "transparency" in paletted.info, name


def test_animated_gif_has_several_frames() -> None:
    with Image.open(io.BytesIO(_master(_by_name("Nordlicht Animation.gif")))) as gif:
        assert gif.is_animated and gif.n_frames > 1


def test_images_too_small_and_large_enough_for_print() -> None:
    edges = {value(f, "file_name"): max(value(f, "width"), value(f, "height"))
             for f in _images()}
    assert edges["Astronaut.jpg"] < PRINT_LONG_EDGE / 2
    assert sum(edge >= PRINT_LONG_EDGE for edge in edges.values()) >= 6


def test_pdf_guides_are_complete() -> None:
    guides = [f for f in load().modules["file"] if value(f, "asset_role") == "guide"]
    assert guides
    for guide in guides:
        data = _master(guide)
        assert value(guide, "mime_type") == "application/pdf"
        startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
        assert data[startxref:].startswith(b"xref")
        assert b"/CreationDate" not in data and b"/ModDate" not in data


def test_the_sample_stays_small() -> None:
    total = sum(p.stat().st_size for p in EXPORT.rglob("*") if p.is_file())
    total += sum(p.stat().st_size for p in EXSTREAM.rglob("*") if p.is_file())
    assert total < 8_000_000


def test_committed_originals_match_sources_md() -> None:
    originals = EXPORT.parents[1] / "tools" / "originals"
    sources = (EXPORT.parents[1] / "SOURCES.md").read_text("utf-8")
    listed = dict(
        reversed(line.split("  ")) for line in sources.splitlines()
        if len(line) > 66 and line[64:66] == "  "
    )
    actual = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in originals.iterdir()}
    assert listed == actual
