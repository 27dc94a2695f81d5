"""Rich text of the sample is valid for EXM (markup.md) and covers the hard cases."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

from tests.fixtures_sample.sample import LOCALES, load, value

ACTIVE = {"script", "style", "iframe", "object", "embed", "form"}
SCHEMES = ("https:", "mailto:", "tel:")
VARIABLE = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
RICH = {"product": ("short_description", "features"), "text_block": ("body",),
        "offer": ("body",)}


class _Checker(HTMLParser):
    """Collects EXM rule violations of one HTML fragment."""

    def __init__(self, footnote_anchors: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        # markdown-it's footnote plugin links markers and definitions with #fn anchors.
        self.footnote_anchors = footnote_anchors
        self.problems: list[str] = []
        self.lists = 0
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE:
            self.problems.append(f"active element <{tag}>")
        for name, val in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}")
            if name in ("href", "src") and val and re.match(r"\s*(javascript|data):", val, re.I):
                self.problems.append(f"{name}={val}")
        if tag == "a":
            href = dict(attrs).get("href") or ""
            internal = self.footnote_anchors and re.fullmatch(r"#fn(ref)?\d+(:\d+)?", href)
            if not href.startswith(SCHEMES) and not internal:
                self.problems.append(f"link scheme of {href!r}")
        if tag in ("ul", "ol"):
            self.lists += 1
            if self.lists > 2:
                self.problems.append("list deeper than 2")
        if tag == "table":
            self.tables += 1
            if self.tables > 1:
                self.problems.append("nested table")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self.lists -= 1
        if tag == "table":
            self.tables -= 1


_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def _is_markdown(obj: dict) -> bool:
    return obj["module"] == "text_block" and value(obj, "body_format") == "markdown"


def _rich_values() -> list[tuple[str, dict, str, str]]:
    out = []
    for module, fields in RICH.items():
        for obj in load().modules[module]:
            name = value(obj, "key") or value(obj, "sku")
            for field in fields:
                for entry in obj[field]:
                    dims = ".".join(entry["dimensions"].values())
                    out.append((f"{name}.{field}.{dims}", obj, field, entry["value"]))
    return out


_RICH = _rich_values()


@pytest.mark.parametrize(("where", "obj", "field", "text"), _RICH, ids=[r[0] for r in _RICH])
def test_rich_text_is_valid_for_exm(where: str, obj: dict, field: str, text: str) -> None:
    markdown = _is_markdown(obj)
    if markdown:
        tokens = _MARKDOWN.parse(text)
        raw = [t for t in tokens if t.type == "html_block"]
        raw += [c for t in tokens for c in t.children or [] if c.type == "html_inline"]
        assert raw == [], f"{where}: raw HTML in Markdown"
    checker = _Checker(footnote_anchors=markdown)
    checker.feed(_MARKDOWN.render(text) if markdown else text)
    checker.close()
    assert checker.problems == [], where
    for name in VARIABLE.findall(text):
        assert VARIABLE_NAME.fullmatch(name), f"{where}: variable {name!r}"


def _block(key: str) -> dict:
    return next(b for b in load().modules["text_block"] if value(b, "key") == key)


def _bodies(block_type: str | None = None, body_format: str = "html") -> list[str]:
    return [
        e["value"] for b in load().modules["text_block"]
        if (block_type is None or value(b, "block_type") == block_type)
        and value(b, "body_format") == body_format
        for e in b["body"]
    ]


def test_editor_footnotes_have_definitions() -> None:
    with_footnotes = 0
    for text in _bodies():
        definitions = set(re.findall(r'<p class="footnote"><sup>(\d+)</sup>', text))
        markers = set(re.findall(r"<sup>(\d+)</sup>", text))
        assert markers <= definitions, text[:80]
        with_footnotes += bool(definitions)
    assert with_footnotes >= 8
    assert any("footnote" in t for t in _bodies("disclaimer"))


def test_markdown_footnotes_have_definitions() -> None:
    bodies = _bodies(body_format="markdown")
    assert len(bodies) >= 2 * 5
    for text in bodies:
        refs = set(re.findall(r"\[\^(\w+)\](?!:)", text))
        defs = set(re.findall(r"^\[\^(\w+)\]:", text, re.M))
        assert refs == defs, text[:80]
    joined = "\n".join(bodies)
    assert re.search(r"^\| .* \|$\n^\| *:?-{3,}", joined, re.M)  # a GFM table
    assert re.search(r"^- ", joined, re.M) and re.search(r"^1\. ", joined, re.M)
    assert "[^1]" in joined


def test_a_fee_table_uses_colspan_and_rowspan() -> None:
    both = [t for t in _bodies("fee_table") if "colspan=" in t and "rowspan=" in t]
    assert len(both) >= 2


def test_word_paste_leftovers_are_present() -> None:
    joined = "".join(_bodies())
    for marker in ("mso-", "<o:p></o:p>", "<font ", "<!--[if !supportLists]-->",
                   'class="MsoNormal"', "<span lang=\"DE\"></span>"):
        assert marker in joined, marker


def test_variables_and_channel_overrides() -> None:
    joined = "".join(_bodies())
    assert "{{ customer.salutation }}" in joined
    cta = _block("CTA-RENEWAL")
    for locale in LOCALES:
        printed = value(cta, "body", locale, "print")
        assert printed and printed != value(cta, "body", locale, "email")
        assert "<a " not in printed
    offers = load().modules["offer"]
    assert any(any("channel" in e["dimensions"] for e in o["cta_label"]) for o in offers)


def test_regulated_and_unregulated_blocks() -> None:
    flags = [value(b, "regulated") for b in load().modules["text_block"]]
    assert all(isinstance(f, bool) for f in flags)
    assert flags.count(True) >= 10 and flags.count(False) >= 5


def test_german_and_english_texts_differ() -> None:
    for obj in load().modules["product"]:
        assert value(obj, "name", "de_DE") != value(obj, "name", "en_GB") or \
            value(obj, "sku") == "LIAB-DOG"
