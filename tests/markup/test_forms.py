"""The forms per channel: .exm.xml, .html, .txt; print rules; when a channel differs."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.errors import ConfigError
from compiler.markup import (
    BlockContext,
    MarkupSettings,
    channel_differs,
    convert,
    html_to_exm,
    render_forms,
)
from tests.markup.support import SETTINGS, context, resolve_asset

SOURCE = (
    '<h2>Gebühren</h2><p class="intro">Ab <b>89,00&nbsp;€</b><sup>1</sup> für '
    '<a href="https://example.com/tarife">alle Tarife</a>.</p>'
    '<ol start="2"><li>Zwei<ul><li>Unterpunkt</li></ul></li><li>Drei</li></ol>'
    '<table><col width="70%"><col width="30%"><thead><tr><th>Leistung</th>'
    '<th align="right">Betrag</th></tr></thead><tbody><tr><td>Glasbruch</td>'
    '<td align="right">12 €</td></tr><tr><td colspan="2">Alles inklusive</td></tr></tbody></table>'
    '<p>Hallo {{ customer.name }}, <span class="hl">Stil</span><br>neue Zeile '
    '<img src="a1b2c3" alt="Logo"></p>'
    '<p class="footnote"><sup>1</sup> Bei jährlicher Zahlung.</p>'
)

FORMS = Path(__file__).parent / "forms"  # the expected .html and .txt of SOURCE, reviewed


def _exm(source: str = SOURCE, channel: str | None = None) -> bytes:
    result = convert(source, "html", context(channel), SETTINGS, resolve_asset)
    assert result.exm is not None, result.diagnostics
    return result.exm


def test_html_form() -> None:
    assert render_forms(_exm(), None, SETTINGS)["html"].decode("utf-8") == (
        FORMS / "sample.html"
    ).read_text("utf-8")


def test_text_form() -> None:
    assert render_forms(_exm(), None, SETTINGS)["txt"].decode("utf-8") == (
        FORMS / "sample.txt"
    ).read_text("utf-8")


def test_exm_form_is_the_conversion() -> None:
    exm = _exm()
    assert render_forms(exm, None, SETTINGS)["exm.xml"] == exm
    assert exm.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<exm:block")


def test_forms_are_deterministic() -> None:
    assert render_forms(_exm(), "print", SETTINGS) == render_forms(_exm(), "print", SETTINGS)


def test_print_renders_links_as_text_with_url() -> None:
    forms = render_forms(_exm(), "print", SETTINGS)
    assert b"<a " not in forms["html"] and b"exm:a " not in forms["exm.xml"]
    assert "alle Tarife (https://example.com/tarife)." in forms["html"].decode("utf-8")
    assert b'channel="print"' in forms["exm.xml"]


@pytest.mark.parametrize("channel", ["email", "web", "mobile"])
def test_other_channels_keep_links(channel: str) -> None:
    forms = render_forms(_exm(), channel, SETTINGS)
    assert b'<a href="https://example.com/tarife">alle Tarife</a>' in forms["html"]
    assert f'channel="{channel}"'.encode() in forms["exm.xml"]


def test_converting_for_print_equals_rendering_for_print() -> None:
    assert _exm(channel="print") == render_forms(_exm(), "print", SETTINGS)["exm.xml"]


def test_channel_differs_only_when_the_channel_changes_content() -> None:
    with_link = _exm()
    without_link = _exm("<p>Kein Link</p>")
    assert channel_differs(with_link, "print")
    assert not channel_differs(without_link, "print")
    assert not channel_differs(with_link, "email")


def test_html_form_converts_back_to_the_same_exm() -> None:
    exm = _exm()
    html = render_forms(exm, None, SETTINGS)["html"].decode("utf-8")
    assert html_to_exm(html, context(), SETTINGS, resolve_asset).exm == exm


def test_variable_syntax_is_configurable() -> None:
    settings = MarkupSettings.from_config({"variable_syntax": "<<%s>>"})
    forms = render_forms(_exm("<p>{{ a.b }} 100%</p>"), None, settings)
    assert forms["html"] == b"<p>&lt;&lt;a.b&gt;&gt; 100%</p>\n"
    assert forms["txt"] == b"<<a.b>> 100%\n"
    percent = MarkupSettings.from_config({"variable_syntax": "%%%s%%"})
    assert percent.variable("x") == "%x%"


def test_from_config_defaults() -> None:
    settings = MarkupSettings.from_config({})
    assert settings.variable_syntax == "{{%s}}"
    assert dict(settings.paragraph_styles) == {} and dict(settings.character_styles) == {}


@pytest.mark.parametrize(
    ("section", "option"),
    [
        ({"variable_syntax": "{{name}}"}, "markup.variable_syntax"),
        ({"variable_syntax": "%s and %s"}, "markup.variable_syntax"),
        ({"variable_syntax": "%d"}, "markup.variable_syntax"),
        ({"variable_syntax": 3}, "markup.variable_syntax"),
        ({"paragraph_styles": ["a"]}, "markup.paragraph_styles"),
        ({"paragraph_styles": {"intro": "bad name"}}, "markup.paragraph_styles.intro"),
        ({"character_styles": {"two words": "Style"}}, "markup.character_styles"),
        ({"colour": "red"}, "markup.colour"),
    ],
)
def test_from_config_names_the_bad_option(section: dict[str, object], option: str) -> None:
    with pytest.raises(ConfigError) as raised:
        MarkupSettings.from_config(section)
    assert option in str(raised.value.message)


def test_from_config_reports_every_problem() -> None:
    with pytest.raises(ConfigError) as raised:
        MarkupSettings.from_config({"variable_syntax": "", "paragraph_styles": 1, "x": 1})
    message = str(raised.value.message)
    assert "markup.variable_syntax" in message and "markup.paragraph_styles" in message
    assert "markup.x" in message


def test_the_default_configuration_is_accepted() -> None:
    import tomllib

    from compiler.config import DEFAULTS_PATH

    with DEFAULTS_PATH.open("rb") as handle:
        section = tomllib.load(handle)["markup"]
    assert MarkupSettings.from_config(section).variable_syntax == "{{%s}}"


def test_block_identity_is_written() -> None:
    context = BlockContext("K-1", "fr_CH", "email", "abc", 12)
    result = convert("<p>x</p>", "html", context, SETTINGS, resolve_asset)
    assert result.exm is not None
    assert b'key="K-1" locale="fr_CH" channel="email" source-id="abc" source-version="12"' in (
        result.exm
    )
