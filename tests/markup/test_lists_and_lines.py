"""Word lists told apart by their list id, Outlook's markers, ``pre`` lines, final line
breaks and ``li@value``: the messages and forms the fixture cases cannot fix.

Cases: word-list-two-lists, word-list-outlook, word-list-outlook-unmarked,
pre-line-breaks, trailing-break, list-item-value-start, list-item-value-dropped.
"""

from __future__ import annotations

import pytest

from compiler.markup import Conversion, convert, exm, html_to_exm, render_forms
from compiler.markup.tidy import tidy
from tests.markup.support import SETTINGS, context, resolve_asset

WORD_LIST = (
    "Word list paragraphs (mso-list) became a list; Word's bullet or number markers and list "
    "styles were removed"
)


def _convert(source: str) -> Conversion:
    return convert(source, "html", context(), SETTINGS, resolve_asset)


def _body(result: Conversion) -> str:
    assert result.exm is not None, [d.format() for d in result.diagnostics]
    return result.exm.decode("utf-8").split("\n", 2)[2].removesuffix("</exm:block>\n")


def _text(result: Conversion) -> str:
    assert result.exm is not None
    return render_forms(result.exm, None, SETTINGS)["txt"].decode("utf-8")


def _messages(result: Conversion) -> list[str]:
    return [d.message for d in result.diagnostics]


def _round_trips(result: Conversion) -> None:
    assert result.exm is not None
    html = render_forms(result.exm, None, SETTINGS)["html"].decode("utf-8")
    assert html_to_exm(html, context(), SETTINGS, resolve_asset).exm == result.exm


def _word(style: str, content: str) -> str:
    return f'<p class="MsoListParagraph" style="text-indent:-18pt;{style}">{content}</p>'


def _ignore(marker: str) -> str:
    return (
        f'<!--[if !supportLists]--><span style="mso-list:Ignore">{marker}'
        "<span>&nbsp;&nbsp;&nbsp; </span></span><!--[endif]-->"
    )


# --- Word lists: the list id separates lists ------------------------------------------


def test_a_list_after_another_list_is_numbered_on_its_own() -> None:
    source = (
        _word("mso-list:l1 level1 lfo2", _ignore("3.") + "Drei")
        + _word("mso-list:l1 level1 lfo2", _ignore("4.") + "Vier")
        + _word("mso-list:l2 level1 lfo3", _ignore("a)") + "Alpha")
    )  # fmt: skip
    result = _convert(source)
    assert _text(result) == "3. Drei\n4. Vier\n\n1. Alpha\n"
    assert _messages(result) == [WORD_LIST]  # one run of paragraphs, one warning
    _round_trips(result)


def test_restarted_numbering_lfo_starts_a_new_list() -> None:
    source = (
        _word("mso-list:l0 level1 lfo1", _ignore("1.") + "Eins")
        + _word("mso-list:l0 level1 lfo2", _ignore("1.") + "Wieder eins")
    )  # fmt: skip
    assert _body(_convert(source)) == (
        "<exm:ol>\n<exm:li>Eins</exm:li>\n</exm:ol>\n"
        "<exm:ol>\n<exm:li>Wieder eins</exm:li>\n</exm:ol>\n"
    )


def test_one_list_across_levels_stays_one_list() -> None:
    source = (
        _word("mso-list:l0 level1 lfo1", _ignore("1.") + "Eins")
        + _word("mso-list:l0 level2 lfo1", _ignore("a)") + "Eins a")
        + _word("mso-list:l0 level1 lfo1", _ignore("2.") + "Zwei")
    )  # fmt: skip
    assert _body(_convert(source)) == (
        "<exm:ol>\n<exm:li>Eins<exm:ol>\n<exm:li>Eins a</exm:li>\n</exm:ol></exm:li>\n"
        "<exm:li>Zwei</exm:li>\n</exm:ol>\n"
    )


# --- Word lists: Outlook's markers ------------------------------------------------------


def test_outlooks_marker_is_removed() -> None:
    result = _convert(
        _word(
            "margin-left:36pt;mso-list:l0 level1 lfo1",
            '<span style="font-family:Symbol">·</span><span>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; '
            "</span>Nur Outlook",
        )
    )
    assert _body(result) == "<exm:ul>\n<exm:li>Nur Outlook</exm:li>\n</exm:ul>\n"
    assert _messages(result) == [WORD_LIST]  # the Symbol span went with the marker


@pytest.mark.parametrize(
    ("content", "item", "kind"),
    [
        ("•\u00a0Punkt", "Punkt", "ul"),
        ("<span>–</span>&nbsp; Strich", "Strich", "ul"),
        ("<span><span>\uf0b7</span></span>&nbsp;&nbsp;Wingdings", "Wingdings", "ul"),
        ("<font>12.</font>&nbsp;&nbsp;Zwölf", "Zwölf", "ol"),
        ("1.2.&nbsp;Gegliedert", "Gegliedert", "ol"),
        ("<span>iv)</span><span>&nbsp;</span><b>R</b>", "<exm:strong>R</exm:strong>", "ol"),
        ("<span>·</span>", "", "ul"),
    ],
)
def test_outlook_markers_of_every_kind(content: str, item: str, kind: str) -> None:
    result = _convert(_word("mso-list:l0 level1 lfo1", content))
    body = _body(result).split("\n")
    assert body[0].startswith(f"<exm:{kind}")
    assert body[1] in (f"<exm:li>{item}</exm:li>", "<exm:li/>")
    assert _messages(result) == [WORD_LIST]


@pytest.mark.parametrize(
    "content",
    [
        "Dr. Muster",  # an abbreviation is no letter marker
        "1 Liter",  # a number without . or ) is no marker
        "1.5 Liter",
        "<span>1.</span><b>ohne Abstand</b>",  # no blank after it: not known to be a marker
        "<b>·</b>&nbsp; fett",  # only spans and font are read through
        "Text",
    ],
)
def test_text_without_a_recognisable_marker_is_kept_and_said_so(content: str) -> None:
    result = _convert(_word("mso-list:l0 level1 lfo1", content))
    assert _text(result).startswith("- ")
    messages = _messages(result)
    assert WORD_LIST not in messages
    assert (
        "Word list paragraphs (mso-list) became a list and Word's list styles were removed; "
        "bullet or number markers were removed where recognised, but 1 of the 1 paragraphs "
        "had none, their text kept as it is: "
    ) in messages[0]


def test_an_unmarked_item_continues_the_list_it_is_in() -> None:
    source = (
        _word("mso-list:l0 level1 lfo1", "2.&nbsp;&nbsp;Zwei")
        + _word("mso-list:l0 level1 lfo1", "ohne Marker")
    )  # fmt: skip
    assert _text(_convert(source)) == "2. Zwei\n3. ohne Marker\n"


def test_the_outlook_rule_is_only_a_fallback() -> None:
    # The Ignore span is the marker: the text after it keeps its own "1." and "·".
    source = _word(
        "mso-list:l0 level1 lfo1",
        '<span style="mso-list:Ignore">o<span>&nbsp; </span></span>· 1.&nbsp; Text',
    )
    assert _body(_convert(source)) == "<exm:ul>\n<exm:li>· 1.\u00a0 Text</exm:li>\n</exm:ul>\n"


# --- pre: lines stay lines ----------------------------------------------------------------


def test_pre_keeps_its_lines_as_breaks() -> None:
    result = _convert("<pre>Zeile 1\n  eingerückt\nZeile 3</pre>")
    assert _body(result) == "<exm:p>Zeile 1<exm:br/>eingerückt<exm:br/>Zeile 3</exm:p>\n"
    assert _text(result) == "Zeile 1\neingerückt\nZeile 3\n"
    assert _messages(result) == ["<pre> unwrapped, its content kept: Zeile 1 eingerückt Zeile 3"]
    _round_trips(result)


@pytest.mark.parametrize(
    ("source", "body"),
    [
        # the line break right after <pre> and the last one make no line, as in a browser
        ("<pre>\na\nb\n</pre>", "<exm:p>a<exm:br/>b</exm:p>\n"),
        ("<pre>a\r\nb</pre>", "<exm:p>a<exm:br/>b</exm:p>\n"),
        ("<pre><code>a\nb\n</code></pre>", "<exm:p>a<exm:br/>b</exm:p>\n"),
        ("<pre>a\n\nb</pre>", "<exm:p>a<exm:br/><exm:br/>b</exm:p>\n"),
        ("<p>vor<pre>a\nb\n</pre>nach</p>", "<exm:p>vor</exm:p>\n<exm:p>a<exm:br/>b</exm:p>\n"
         "<exm:p>nach</exm:p>\n"),
        ("<ul><li><pre>a\nb\n</pre></li></ul>", "<exm:ul>\n<exm:li>a<exm:br/>b</exm:li>\n"
         "</exm:ul>\n"),
        ("<table><tr><td><pre>a\n<p>b</p></pre></td></tr></table>",
         "<exm:table>\n<exm:tbody>\n<exm:tr>\n<exm:td>a<exm:p>b</exm:p></exm:td>\n</exm:tr>\n"
         "</exm:tbody>\n</exm:table>\n"),
        ("<pre>a<br>\nb</pre>", "<exm:p>a<exm:br/><exm:br/>b</exm:p>\n"),
    ],
)  # fmt: skip
def test_pre_line_breaks(source: str, body: str) -> None:
    result = _convert(source)
    assert _body(result) == body
    _round_trips(result)


def test_a_markdown_code_block_keeps_its_lines() -> None:
    result = convert("```\neins\nzwei\n```\n", "markdown", context(), SETTINGS, resolve_asset)
    assert _body(result) == "<exm:p>eins<exm:br/>zwei</exm:p>\n"


# --- a line break ending a block shows nothing ---------------------------------------------


@pytest.mark.parametrize(
    ("source", "body"),
    [
        ('<p>Text<br data-mce-bogus="1"></p>', "<exm:p>Text</exm:p>\n"),
        ("<p><br></p>", ""),
        ("<p>a<br><br></p>", "<exm:p>a</exm:p>\n"),
        ("<p>a<strong>b<br></strong></p>", "<exm:p>a<exm:strong>b</exm:strong></exm:p>\n"),
        ("<p>a<em><br></em> </p>", "<exm:p>a</exm:p>\n"),
        ("<ul><li>a<br></li></ul>", "<exm:ul>\n<exm:li>a</exm:li>\n</exm:ul>\n"),
        ("<h2>a<br></h2>", '<exm:h level="2">a</exm:h>\n'),
        ("<ol><li><p>a<br></p><br></li></ol>",
         "<exm:ol>\n<exm:li><exm:p>a</exm:p></exm:li>\n</exm:ol>\n"),
        # something visible after it: kept
        ("<p>a<br>b</p>", "<exm:p>a<exm:br/>b</exm:p>\n"),
        ("<p>a<br>&nbsp;</p>", "<exm:p>a<exm:br/>\u00a0</exm:p>\n"),
        ('<p>a<br><img src="IMG-LOGO"></p>',
         '<exm:p>a<exm:br/><exm:img ref="IMG-LOGO"/></exm:p>\n'),
        ("<p>a<br>{{x}}</p>", '<exm:p>a<exm:br/><exm:var name="x"/></exm:p>\n'),
        ("<ul><li>a<br><ul><li>b</li></ul></li></ul>",
         "<exm:ul>\n<exm:li>a<exm:br/><exm:ul>\n<exm:li>b</exm:li>\n</exm:ul></exm:li>\n"
         "</exm:ul>\n"),
    ],
)  # fmt: skip
def test_a_final_line_break_is_dropped(source: str, body: str) -> None:
    result = _convert(source)
    assert _body(result) == body
    assert result.diagnostics == []  # invisible in a browser: dropped silently (tidy.py)
    _round_trips(result)


def test_tidy_leaves_a_fixed_point() -> None:
    result = _convert("<p>a<strong>b<br><em><br></em></strong><br></p><ul><li><br></li></ul>")
    assert result.exm is not None
    block = exm.parse(result.exm)
    tidy(block)
    assert exm.serialise(block) == result.exm


# --- li@value ------------------------------------------------------------------------------


def test_the_first_items_value_becomes_the_start() -> None:
    result = _convert('<ol start="2"><li value="5">fünf</li><li>sechs</li></ol>')
    assert _text(result) == "5. fünf\n6. sechs\n"
    assert result.diagnostics == []
    _round_trips(result)


def test_a_later_items_value_is_dropped_with_a_warning() -> None:
    result = _convert('<ol><li>eins</li><li value="5">fünf</li></ol>')
    assert _text(result) == "1. eins\n2. fünf\n"
    assert _messages(result) == [
        "item number value=5 on <li> dropped, the item is numbered 2 (EXM numbers items on "
        "from the list's start): fünf"
    ]
    assert [d.code for d in result.diagnostics] == ["W-EXM-ATTRIBUTE-DROPPED"]


def test_a_value_the_item_has_anyway_is_no_loss() -> None:
    result = _convert('<ol><li value="3">drei</li><li value="4">vier</li></ol>')
    assert _text(result) == "3. drei\n4. vier\n"
    assert result.diagnostics == []


@pytest.mark.parametrize(
    "source", ['<ul><li value="3">Punkt</li></ul>', '<ol><li value="drei">Punkt</li></ol>']
)
def test_a_value_that_numbers_nothing_is_dropped_with_a_warning(source: str) -> None:
    result = _convert(source)
    assert [d.code for d in result.diagnostics] == ["W-EXM-ATTRIBUTE-DROPPED"]
    assert _messages(result)[0].startswith("attribute value on <li> dropped: ")
