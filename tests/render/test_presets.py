"""Presets as data: the shipped defaults, role overrides, and every bad value named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compiler.errors import ConfigError
from compiler.render import parse_presets
from compiler.render.colour import FOGRA39_PATH, SRGB_PATH

from .conftest import default_section


def test_defaults_parse_as_the_contract_says() -> None:
    settings = parse_presets(default_section(), max_pixels=120_000_000)
    by_name = {p.name: p for p in settings.presets}
    assert sorted(by_name) == ["email", "mobile", "print", "web"]
    print_ = by_name["print"]
    assert (print_.colour, print_.format, print_.quality, print_.long_edge, print_.dpi,
            print_.tac_limit) == ("cmyk", "jpeg", 92, 2126, 300, 330)
    email = by_name["email"]
    assert (email.format, email.quality, email.widths, email.max_bytes, email.min_quality,
            email.progressive) == ("jpeg", 82, (600, 1200), 200_000, 60, True)
    assert by_name["mobile"].format == "webp" and by_name["mobile"].widths == (750,)
    assert by_name["web"].widths == (1200,)
    assert settings.background == (255, 255, 255) and settings.profile is None
    assert settings.print_min_dpi == 0 and settings.max_pixels == 120_000_000


def test_role_overrides_narrow_only_their_channel() -> None:
    settings = parse_presets(default_section())
    logo = {p.name: p for p in settings.presets_for("logo")}
    assert logo["print"].format == "tiff" and logo["print"].colour == "cmyk"
    assert logo["email"].format == "png" and logo["email"].widths == (600, 1200)
    plain = {p.name: p for p in settings.presets_for("product_image")}
    assert plain["print"].format == "jpeg" and plain["email"].format == "jpeg"


def test_absent_keys_get_channel_defaults_and_aspect_parses() -> None:
    settings = parse_presets({"banner": {"channel": "web", "widths": [1600], "aspect": "16:9"},
                              "press": {"channel": "print"}})
    banner = settings.preset("banner")
    assert banner.aspect == (16, 9) and banner.colour == "srgb" and banner.quality == 82
    press = settings.preset("press")
    assert (press.colour, press.long_edge, press.dpi, press.tac_limit) == ("cmyk", 2126, 300, 330)


def test_canonical_json_changes_with_any_key() -> None:
    one = parse_presets({"w": {"channel": "web", "widths": [100]}}).preset("w")
    two = parse_presets({"w": {"channel": "web", "widths": [100], "quality": 81}}).preset("w")
    assert one.canonical_json() != two.canonical_json()
    assert one.canonical_json() == parse_presets(
        {"w": {"widths": [100], "channel": "web"}}).preset("w").canonical_json()


BAD: list[tuple[str, dict[str, Any], str]] = [
    ("quality", {"email": {"channel": "email", "widths": [600], "quality": 101}},
     "renditions.email.quality: expected an integer from 1 to 100, given 101"),
    ("quality-type", {"email": {"channel": "email", "widths": [600], "quality": "high"}},
     "renditions.email.quality: expected an integer from 1 to 100, given 'high'"),
    ("format", {"web": {"channel": "web", "widths": [600], "format": "gif"}},
     'renditions.web.format: expected one of "jpeg", "png", "webp", "tiff", given \'gif\''),
    ("cmyk-png", {"print": {"channel": "print", "format": "png"}},
     "renditions.print.format: expected jpeg or tiff for a CMYK preset, given 'png'"),
    ("widths", {"web": {"channel": "web", "widths": []}},
     "renditions.web.widths: expected a non-empty list of widths"),
    ("no-size", {"web": {"channel": "web"}},
     "renditions.web.widths: expected widths or long_edge, given neither"),
    ("channel", {"fax": {"channel": "fax", "widths": [600]}},
     "renditions.fax.channel: expected one of"),
    ("unknown-key", {"web": {"channel": "web", "widths": [600], "colour_space": "srgb"}},
     "renditions.web.colour_space: unknown preset key"),
    ("min-quality", {"web": {"channel": "web", "widths": [600], "quality": 50}},
     "renditions.web.min_quality: expected at most quality (50), given 60"),
    ("aspect", {"web": {"channel": "web", "widths": [600], "aspect": "wide"}},
     'renditions.web.aspect: expected an aspect ratio "W:H"'),
    ("background", {"background": "white"},
     'renditions.background: expected a colour "#rrggbb", given \'white\''),
    ("min-dpi", {"print_min_dpi": -1},
     "renditions.print_min_dpi: expected an integer from 0 to 4800, given -1"),
    ("profile", {"profile": "/nonexistent/press.icc"},
     "renditions.profile: expected a CMYK .icc file, given '/nonexistent/press.icc'"),
    ("profile-rgb", {"profile": str(SRGB_PATH)}, "renditions.profile: expected a CMYK"),
    ("role", {"roles": {"logo": {"email": {"quality": 0}}},
              "email": {"channel": "email", "widths": [600]}},
     "renditions.roles.logo.email.quality: expected an integer from 1 to 100, given 0"),
    ("role-channel", {"roles": {"logo": {"fax": {"format": "png"}}}},
     "renditions.roles.logo.fax: expected a channel"),
]


@pytest.mark.parametrize(("section", "message"), [(s, m) for _, s, m in BAD],
                         ids=[name for name, _, _ in BAD])
def test_bad_values_are_named_with_expected_and_given(section: dict[str, Any],
                                                      message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_presets(section)
    assert message in raised.value.message


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_presets({"email": {"channel": "email", "widths": [600], "quality": 0,
                                 "max_bytes": -5}, "background": "red"})
    text = raised.value.message
    assert "renditions.email.quality" in text and "renditions.email.max_bytes" in text
    assert "renditions.background" in text


def test_a_relative_profile_resolves_against_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "press.icc").write_bytes(FOGRA39_PATH.read_bytes())
    settings = parse_presets({"profile": "press.icc"}, base_dir=tmp_path)
    assert settings.profile == tmp_path / "press.icc"


def test_max_pixels_must_be_positive() -> None:
    with pytest.raises(ConfigError, match=r"limits\.max_pixels"):
        parse_presets({}, max_pixels=0)
