"""The HTML report: escaped, neutralised, self-contained, complete, deterministic."""

from __future__ import annotations

import copy

import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from compiler.audit import neutralise, render_report
from compiler.audit.report import neutralised
from tests.audit.conftest import HOSTILE
from tests.audit.releases import two_manifests

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture(scope="module")
def html() -> bytes:
    first, _ = two_manifests()  # the first release ships the hostile block
    return render_report(first)


def test_hostile_title_is_text_never_markup(html: bytes) -> None:
    tree = lxml.html.document_fromstring(html)
    assert tree.xpath("//script") == []
    assert tree.xpath("//img") == []
    assert tree.xpath("//@*[starts-with(name(), 'on')]") == []
    text = tree.text_content()
    assert "<script>alert(1)</script>" in text
    assert '"><img src=x onerror=alert(2)>' in text
    assert neutralise(HOSTILE) in text  # the whole title, shown as written
    assert b"<script>alert(1)" not in html
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_bidi_overrides_are_shown_not_obeyed(html: bytes) -> None:
    text = html.decode("utf-8")
    assert not any(ch in text for ch in BIDI)
    assert "[U+202E]evil[U+202C]" in text


@pytest.mark.parametrize("char", [*BIDI, "\u200f", "\x1b", "\x00", "\ud800"])
def test_neutralise_marks_every_control(char: str) -> None:
    assert neutralise(f"a{char}b") == f"a[U+{ord(char):04X}]b"


def test_neutralise_keeps_ordinary_text_and_reaches_keys() -> None:
    assert neutralise("Übersicht\tfür\nalle — ok") == "Übersicht\tfür\nalle — ok"
    assert neutralised({"k\u202e": ["v\u2066", 3, None]}) == {"k[U+202E]": ["v[U+2066]", 3, None]}


def test_report_is_self_contained(html: bytes) -> None:
    tree = lxml.html.document_fromstring(html)
    assert tree.xpath("//link | //script | //iframe | //object | //embed") == []
    refs = tree.xpath("//@src | //@href | //@action")
    assert refs == []
    assert "@media print" in "".join(tree.xpath("//style/text()"))


def test_report_shows_changes_exclusions_and_regulated_first() -> None:
    _, second = two_manifests()
    tree = lxml.html.document_fromstring(render_report(second))
    changed = [r.text_content() for r in tree.xpath("//section[@id='changes']//tbody/tr")]
    assert any("DISC-HOME-EXCESS" in r and "de_DE" in r and "RENEWAL_LETTER_HOME" in r
               for r in changed)
    assert any("DESC-HOSTILE" in r and "not_approved" in r for r in changed)
    assert any("HOME-PLUS" in r and "no longer in the export" in r for r in changed)
    excluded = tree.xpath("//section[@id='excluded']//tbody/tr")
    assert [r.xpath("string(td[5])") for r in excluded] == ["not_approved"]
    rows = tree.xpath("//section[@id='items']//tbody/tr")
    regulated = ["regulated" in (r.get("class") or "") for r in rows]
    assert regulated == sorted(regulated, reverse=True) and regulated.count(True) == 2
    assert tree.xpath("string(//*[@id='released-total'])") == "4"
    first_hash = second["items"][0]["source"]["sha256"]
    assert first_hash in tree.text_content()


def test_same_manifest_gives_the_same_bytes() -> None:
    first, second = two_manifests()
    assert render_report(second) == render_report(two_manifests()[1])
    assert render_report(first) != render_report(second)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(st.characters(blacklist_categories=()), max_size=40))
@example(title="\ud800\u202e<b>x</b>\r\n&amp;")
def test_any_title_is_shown_as_its_neutralised_text(title: str) -> None:
    manifest = copy.deepcopy(_FIRST)
    manifest["items"][0]["title"] = {"*": title}
    tree = lxml.html.document_fromstring(render_report(manifest))
    key = manifest["items"][0]["key"]
    cell = tree.xpath("//section[@id='items']//tbody/tr[td[2]/code = $key]/td[3]", key=key)[0]
    assert cell.text_content() == "* " + neutralise(title)
    assert len(cell.xpath(".//*")) == 2  # the title span and its locale span, nothing more


_FIRST = two_manifests()[0]


def test_first_release_summarises_instead_of_listing_every_addition() -> None:
    first, _ = two_manifests()
    tree = lxml.html.document_fromstring(render_report(first))
    assert tree.xpath("//section[@id='changes']//tr") == []
    note = tree.xpath("string(//*[@id='first-release'])")
    assert "first release: all 5 items are new" in note
