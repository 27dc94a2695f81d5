"""Folded findings say how many and whether they differed; aligned paragraphs align cells."""

from __future__ import annotations

from compiler.markup import convert, render_forms
from tests.markup.support import SETTINGS, context, resolve_asset


def messages(html: str) -> list[str]:
    return [d.message for d in convert(html, "html", context(), SETTINGS, resolve_asset)
            .diagnostics]


def test_identical_occurrences_fold_with_a_count() -> None:
    assert messages('<p color="red">a</p><p color="red">b</p>') == [
        "color on <p> dropped (the template's styles apply): red (2 times)"]


def test_differing_occurrences_say_the_first_is_shown() -> None:
    assert messages('<p color="red">a</p><p color="blue">b</p>') == [
        "color on <p> dropped (the template's styles apply): red (2 times, the first shown)"]


def test_a_cell_takes_the_alignment_its_paragraphs_share() -> None:
    html = ('<table><tr><th>Tarif</th><th><p align="right">Beitrag</p></th></tr>'
            '<tr><td>Basis</td><td><p style="text-align:right">9,50 €</p></td></tr>'
            '<tr><td>Premium</td><td><p style="text-align:right">129,00 €</p></td></tr></table>')
    result = convert(html, "html", context(), SETTINGS, resolve_asset)
    assert result.exm is not None
    assert result.exm.count(b'align="right"') == 3
    text = render_forms(result.exm, None, SETTINGS)["txt"].decode()
    assert text.splitlines()[1:] == ["Basis      9,50 €", "Premium  129,00 €"]
    assert [d.code for d in result.diagnostics] == ["W-EXM-STRUCTURE-REPAIRED"] * 2  # th, td


def test_print_puts_the_url_after_an_image_link() -> None:
    html = '<p>Siehe <a href="https://bank.de"><img src="IMG-LOGO" alt="Logo"></a>.</p>'
    result = convert(html, "html", context(), SETTINGS, resolve_asset)
    assert result.exm is not None
    forms = render_forms(result.exm, "print", SETTINGS)
    assert forms["txt"] == b"Siehe [Logo] (https://bank.de).\n"


def test_an_unwrapped_block_in_a_list_item_keeps_its_own_line() -> None:
    html = "<ul><li>vorher<blockquote>Zitat</blockquote>nachher</li></ul>"
    result = convert(html, "html", context(), SETTINGS, resolve_asset)
    assert result.exm is not None
    assert b"<exm:li>vorher<exm:br/>Zitat<exm:br/>nachher</exm:li>" in result.exm
    assert render_forms(result.exm, None, SETTINGS)["txt"] == b"- vorher\n  Zitat\n  nachher\n"
    nested = convert("<ul><li>Text<ul><li>x</li></ul>mehr</li></ul>", "html", context(),
                     SETTINGS, resolve_asset)
    assert nested.exm is not None and b"<exm:br/>" not in nested.exm  # a list breaks itself


def test_a_paragraph_styled_bold_keeps_its_emphasis() -> None:
    html = '<p style="font-weight:bold;margin:0">Wichtiger Hinweis</p>'
    result = convert(html, "html", context(), SETTINGS, resolve_asset)
    assert result.exm is not None
    assert b"<exm:p><exm:strong>Wichtiger Hinweis</exm:strong></exm:p>" in result.exm
    assert [d.message for d in result.diagnostics] == [
        "style on <p> dropped (the template's styles apply): margin:0"]
