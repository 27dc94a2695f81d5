"""Footnote markers and definitions inside inline formatting (compiler/markup/footnotes.py).

The fixtures footnote-marker-formatted, footnote-definition-wrapped,
footnote-formatted-order and footnote-lookalike show the EXM; these tests pin the rules
behind them and that taking a definition's marker out for its note leaves the source as
it was.
"""

from __future__ import annotations

import pytest
from lxml import etree

from compiler.markup import convert, exm
from compiler.markup.footnotes import _marker_path, _marker_taken_out, marker_number
from tests.markup.support import SETTINGS, context, resolve_asset


def _element(html: str) -> etree._Element:
    body = etree.fromstring(f"<html><body>{html}</body></html>", etree.HTMLParser())[0]
    return body[0]


@pytest.mark.parametrize(
    ("html", "number"),
    [
        ("<sup>1</sup>", 1),
        ("<sup><strong>2</strong></sup>", 2),
        ("<sup> <b> <span style='font-size:8pt'>3</span> </b> </sup>", 3),
        ("<sup><font size='1'>4</font></sup>", 4),
        ("<sup><a href='https://example.com'>1</a></sup>", None),  # a link is no formatting
        ("<sup><b>1</b><i>2</i></sup>", None),
        ("<sup>1<b></b></sup>", None),
        ("<sup><b>1</b>)</sup>", None),
        ("<sup><b>1,2</b></sup>", None),
        ("<sup><b>0</b></sup>", None),
        ("<sup><sup>1</sup></sup>", None),
    ],
)
def test_marker_number(html: str, number: int | None) -> None:
    assert marker_number(_element(html)) == number


@pytest.mark.parametrize(
    ("html", "path"),
    [
        ('<p class="footnote"><sup>1</sup> a</p>', ["sup"]),
        ('<p class="footnote"> <span><strong><sup>1</sup></strong> a</span></p>',
         ["span", "strong", "sup"]),
        ('<p class="footnote">Siehe <span><sup>1</sup> a</span></p>', None),  # text before
        ('<p class="footnote"><span>x<sup>1</sup> a</span></p>', None),
        ('<p class="footnote"><a name="fn1"><sup>1</sup></a> a</p>', None),  # not formatting
        ('<p><span><sup>1</sup> a</span></p>', None),  # not class="footnote"
    ],
)  # fmt: skip
def test_marker_path(html: str, path: list[str] | None) -> None:
    found = _marker_path(_element(html))
    assert (None if found is None else [str(e.tag) for e in found]) == path


def test_the_marker_is_put_back() -> None:
    paragraph = _element(
        '<p class="footnote"><span style="x"> <em><sup>1</sup></em> a <b>b</b></span> c</p>'
    )
    before = etree.tostring(paragraph)
    path = _marker_path(paragraph)
    assert path is not None
    with _marker_taken_out(path):
        # the sup is out, and with it the em it leaves empty; the span keeps the rest
        assert etree.tostring(paragraph) == (
            b'<p class="footnote"><span style="x">  a <b>b</b></span> c</p>'
        )
    assert etree.tostring(paragraph) == before


def test_a_definition_inside_a_wrapped_definition_stays_one() -> None:
    html = (
        '<p>A<sup>1</sup> B<sup>2</sup></p><p class="footnote"><span><sup>1</sup> erste '
        '<p class="footnote"><span><sup>2</sup> zweite</span></p></span></p>'
    )
    result = convert(html, "html", context(), SETTINGS, resolve_asset)
    assert result.exm is not None
    notes = [
        ("".join(fn.itertext()), fn.get("n")) for fn in exm.parse(result.exm).iter(exm.tag("fn"))
    ]
    assert notes == [("erste", "1"), ("zweite", "2")]
    assert result.diagnostics == []
