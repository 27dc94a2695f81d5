"""Word list paragraphs become lists; folded warnings say what happened to each occurrence.

The fixture cases (cases/word-list-*) fix the EXM bytes and the codes; these tests fix
the messages (codes.txt cannot tell the word-list warning from another Word leftover),
the sample export's Word paste, the marker rule, and that only Word list paragraphs
are touched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler.markup import Conversion, convert, html_to_exm, render_forms
from compiler.markup.word_lists import is_enumeration
from tests.markup.support import SETTINGS, context, resolve_asset

SAMPLE = Path(__file__).parents[2] / "fixtures/exports/nordlicht/modules/text_block.json"
WORD_LIST = (
    "Word list paragraphs (mso-list) became a list; Word's bullet or number markers and list "
    "styles were removed"
)


def _convert(source: str) -> Conversion:
    return convert(source, "html", context(), SETTINGS, resolve_asset)


def _messages(result: Conversion) -> list[str]:
    return [d.message for d in result.diagnostics]


def _item(level: int, marker: str, text: str) -> str:
    return (
        f'<p class="MsoListParagraph" style="text-indent:-18.0pt;mso-list:l0 level{level} lfo1">'
        '<!--[if !supportLists]--><span style="font-family:Symbol"><span style="mso-list:Ignore">'
        f"{marker}<span style=\"font:7.0pt 'Times New Roman'\">&nbsp;&nbsp;&nbsp; </span>"
        f"</span></span><!--[endif]-->{text}</p>"
    )


def _body(key: str, locale: str) -> str:
    blocks = json.loads(SAMPLE.read_text(encoding="utf-8"))["result"]
    block = next(b for b in blocks if b["key"][0]["value"] == key)
    return str(next(v["value"] for v in block["body"] if v["dimensions"]["locale"] == locale))


@pytest.mark.parametrize("locale", ["de_DE", "en_GB"])
def test_the_sample_exports_word_paste_becomes_a_list(locale: str) -> None:
    result = _convert(_body("DISC-MOTOR-NCD", locale))
    assert result.exm is not None
    text = result.exm.decode("utf-8")
    assert text.count("<exm:ul>") == 1 and text.count("<exm:li>") == 2
    items = text.split("<exm:ul>")[1].split("</exm:ul>")[0]
    assert "·" not in items and "\u00a0" not in items  # the marker and its padding
    assert _messages(result).count(WORD_LIST) == 1
    forms = render_forms(result.exm, None, SETTINGS)
    back = html_to_exm(forms["html"].decode("utf-8"), context(), SETTINGS, resolve_asset)
    assert back.exm == result.exm


@pytest.mark.parametrize("marker", ["1.", "2)", "10.", "1.2.", "(3)", "a.", "B)", "iv.", "XII)"])
def test_a_numbering_marker_makes_an_ordered_list(marker: str) -> None:
    assert is_enumeration(marker + "\u00a0\u00a0 ")


@pytest.mark.parametrize("marker", ["·", "o", "§", "-", "•", "Ø", "", "Anlage"])
def test_any_other_marker_makes_a_bulleted_list(marker: str) -> None:
    assert not is_enumeration(marker)


def test_levels_nest_and_a_paragraph_between_starts_a_new_list() -> None:
    source = (
        _item(1, "1.", "Eins") + _item(2, "a)", "Eins a") + _item(1, "2.", "Zwei")
        + "<p>Dazwischen</p>" + _item(1, "·", "Punkt") + _item(1, "1.", "Neu")
    )  # fmt: skip
    result = _convert(source)
    assert result.exm is not None
    body = result.exm.decode("utf-8").split("\n", 2)[2]
    assert body == (
        "<exm:ol>\n<exm:li>Eins<exm:ol>\n<exm:li>Eins a</exm:li>\n</exm:ol></exm:li>\n"
        "<exm:li>Zwei</exm:li>\n</exm:ol>\n<exm:p>Dazwischen</exm:p>\n"
        "<exm:ul>\n<exm:li>Punkt</exm:li>\n</exm:ul>\n"
        "<exm:ol>\n<exm:li>Neu</exm:li>\n</exm:ol>\n</exm:block>\n"
    )
    # one warning per run of list paragraphs, folded
    assert f"{WORD_LIST} (2 times)" in _messages(result)


@pytest.mark.parametrize(
    "source",
    [
        "<p>· Punkt mit&nbsp;&nbsp;Abstand</p><p>1. Zahl</p>",
        '<p style="mso-list:none">kein Listenabsatz</p>',
        '<p><span style="mso-list:Ignore">·</span> ohne mso-list am Absatz</p>',
        '<h2 style="mso-list:l0 level1 lfo1">Überschrift</h2>',
        "<ul><li>Editor</li></ul><ol><li>Liste</li></ol>",
    ],
)
def test_other_markup_is_not_taken_for_a_word_list(source: str) -> None:
    assert WORD_LIST not in _messages(_convert(source))


def test_unwrapped_and_removed_o_p_are_told_apart() -> None:
    result = _convert("<p>a<o:p>&nbsp;</o:p></p><p>b<o:p></o:p></p><p>c<o:p></o:p></p>")
    assert _messages(result) == [
        "<o:p> unwrapped, its content kept: no visible text, only no-break spaces, line breaks "
        "or images",
        "<o:p> removed (empty) (2 times)",
    ]


def test_a_folded_message_names_the_element_and_class_of_every_occurrence() -> None:
    result = _convert(
        '<p class="MsoNormal" style="mso-x:1"><span class="MsoHyperlink" style="mso-y:2">a</span>'
        '</p><p class="x">b<span class="x">c</span></p>'
    )
    assert _messages(result) == [
        "Word class MsoNormal on <p> dropped",
        "Word styles dropped from <p>: mso-x:1",
        "Word class MsoHyperlink on <span> dropped",
        "Word styles dropped from <span>: mso-y:2",
        "class x on <p> is not in markup.paragraph_styles or markup.character_styles; dropped",
        "class x on <span> is not in markup.paragraph_styles or markup.character_styles; dropped",
    ]


def test_a_folded_structure_repair_says_which_repair() -> None:
    result = _convert("<p><b><h2>im Text</h2></b></p><ul><li><h2>im Punkt</h2></li></ul>")
    messages = _messages(result)
    assert "<h2>: heading inside text kept as text: im Text" in messages
    assert "<h2>: heading inside a list item or table cell kept as text: im Punkt" in messages
