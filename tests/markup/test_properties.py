"""Properties over generated HTML and Markdown (markup.md, "Properties the tests must hold")."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from compiler.diagnostics import Severity
from compiler.markup import Conversion, convert, html_to_exm, render_forms
from compiler.markup import exm as exm_module
from tests.markup.strategies import SOUP, Doc, editor_html, markdown
from tests.markup.support import SETTINGS, context, resolve_asset

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHANNEL = st.sampled_from([None, "print", "email"])

HTML_TAGS = {
    "p", "h1", "h2", "h3", "ul", "ol", "li", "table", "col", "thead", "tbody", "tr", "th", "td",
    "strong", "em", "u", "s", "sup", "sub", "span", "a", "br", "img",
}  # fmt: skip
HTML_ATTRIBUTES = {"class", "href", "src", "alt", "start", "colspan", "align", "width"}
ACTIVE = re.compile(rb"<script|<iframe|<svg|<object|<embed|<style|javascript:|data:|\bon\w+=", re.I)


def _convert(source: str, fmt: str, channel: str | None) -> Conversion:
    return convert(source, fmt, context(channel), SETTINGS, resolve_asset)  # type: ignore[arg-type]


def _valid_or_coded(result: Conversion) -> None:
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.exm is None:
        assert errors and all(re.fullmatch(r"E-EXM-[A-Z-]+", d.code) for d in errors)
        assert all(d.code != "E-EXM-INVALID" for d in errors), errors
        assert all(d.key and d.locale for d in errors)
    else:
        assert not errors
        assert exm_module.validation_errors(result.exm) == []


def _no_active_content(forms: dict[str, bytes]) -> None:
    for name in ("exm.xml", "html"):
        markup = re.sub(rb">[^<]*<", b"><", forms[name])  # attributes and tags only
        assert not ACTIVE.search(markup), forms[name]
    fragment = etree.fromstring(b"<div>" + forms["html"] + b"</div>")
    for element in fragment.iter():
        if element is fragment:
            continue
        assert element.tag in HTML_TAGS, element.tag
        assert set(element.attrib) <= HTML_ATTRIBUTES, element.attrib
        href = element.get("href")
        assert href is None or href.startswith(("https://", "mailto:", "tel:"))
        assert "://" not in element.get("src", "")


def _words_in_order(text: str, words: list[str]) -> None:
    position = 0
    for word in words:
        found = text.find(word, position)
        assert found >= 0, (word, text[position:], words)
        position = found + len(word)


def _check(doc: Doc, fmt: str, channel: str | None) -> None:
    source, words = doc
    result = _convert(source, fmt, channel)
    _valid_or_coded(result)
    again = _convert(source, fmt, channel)
    assert again.exm == result.exm and again.diagnostics == result.diagnostics  # deterministic
    if result.exm is None:
        return
    forms = render_forms(result.exm, channel, SETTINGS)
    assert forms["exm.xml"] == result.exm  # the channel's EXM is what convert gave
    _no_active_content(forms)
    back = html_to_exm(forms["html"].decode("utf-8"), context(channel), SETTINGS, resolve_asset)
    assert back.exm == result.exm, (forms["html"], back.diagnostics)  # EXM → HTML → EXM
    _words_in_order(forms["txt"].decode("utf-8"), words)


@PROPERTY
@given(editor_html(), CHANNEL)
def test_editor_html(doc: Doc, channel: str | None) -> None:
    _check(doc, "html", channel)


@PROPERTY
@given(markdown(), CHANNEL)
def test_markdown(doc: Doc, channel: str | None) -> None:
    _check(doc, "markdown", channel)


@PROPERTY
@given(st.text(max_size=300), st.sampled_from(["html", "markdown"]))
def test_any_string_is_converted_or_rejected_never_raises(source: str, fmt: str) -> None:
    _valid_or_coded(_convert(source, fmt, None))


@PROPERTY
@given(st.text(alphabet="<>/=\"' abpdivultrsconcript:&;#{}", max_size=200))
def test_tag_soup_is_converted_or_rejected(source: str) -> None:
    result = _convert(source, "html", None)
    _valid_or_coded(result)
    if result.exm is not None:
        _no_active_content(render_forms(result.exm, None, SETTINGS))


@PROPERTY
@given(SOUP, CHANNEL)
def test_tag_soup_of_editor_fragments_round_trips(source: str, channel: str | None) -> None:
    result = _convert(source, "html", channel)
    _valid_or_coded(result)
    if result.exm is None:
        return
    forms = render_forms(result.exm, channel, SETTINGS)
    _no_active_content(forms)
    assert forms["exm.xml"] == result.exm
    back = html_to_exm(forms["html"].decode("utf-8"), context(channel), SETTINGS, resolve_asset)
    assert back.exm == result.exm, (source, forms["html"])
