"""Table spans: nothing about a colspan, rowspan or col span changes silently.

The fixture cases (cases/table-colspan-*, table-rowspan-*, table-span-*) fix the EXM
bytes and the codes; these tests fix the messages (one code covers every span problem,
so codes.txt cannot tell a missing rowspan warning from a present colspan one), the
three forms of the reviewer's case, and a property over generated span grids.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from compiler.diagnostics import Diagnostic
from compiler.markup import Conversion, convert, html_to_exm, render_forms
from compiler.markup import exm as exm_module
from tests.markup.support import SETTINGS, context, resolve_asset

DROPPED = "W-EXM-ATTRIBUTE-DROPPED"
ROWSPAN = "W-EXM-ROWSPAN"


def _convert(source: str) -> Conversion:
    return convert(source, "html", context(), SETTINGS, resolve_asset)


def _messages(result: Conversion) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in result.diagnostics]


MESSAGES = [
    (  # 1: a colspan beyond the table's width is clipped to the columns left in the row
        '<table><tr><td colspan="999">a</td></tr><tr><td>b</td><td>c</td></tr></table>',
        [(DROPPED, 'colspan="999" on <td> reaches beyond the table\'s 2 columns; clipped to 2: a')],
    ),
    (  # 1: nothing but the wide cell defines the width: it spans 1
        '<table><tr><td colspan="999">Einzige Zelle</td></tr></table>',
        [(DROPPED, 'colspan="999" on <td> reaches beyond the table\'s 1 column; clipped to 1: '
                   "Einzige Zelle")],
    ),
    (  # 1: the col elements define the width
        '<table><col><col><col><tr><td colspan="1000">a</td></tr></table>',
        [(DROPPED, 'colspan="1000" on <td> reaches beyond the table\'s 3 columns; '
                   "clipped to 3: a")],
    ),
    (  # 1: above HTML's limit of 1000 is still a number, clipped like any other
        '<table><tr><td colspan="5000">a</td></tr><tr><td>b</td><td>c</td></tr></table>',
        [(DROPPED, 'colspan="5000" on <td> reaches beyond the table\'s 2 columns; '
                   "clipped to 2: a")],
    ),
    (  # 2: colspan 0 is taken as 1, as HTML does, but not silently
        '<table><tr><td colspan="0">a</td><td>b</td></tr></table>',
        [(DROPPED, 'colspan="0" on <td> is 0; taken as 1, as HTML does: a')],
    ),
    (  # 2: the same family for every span that is not a number
        '<table><tr><td colspan="">a</td><th rowspan="2x">b</th></tr></table>'
        '<table><colgroup><col span="0"></colgroup><tr><td>c</td></tr></table>',
        [
            (DROPPED, 'colspan="" on <td> is not a number; taken as 1: a'),
            (DROPPED, 'rowspan="2x" on <th> is not a number; taken as 1: b'),
            (DROPPED, 'span="0" on <col> is not a number from 1 to 1000; taken as 1'),
        ],
    ),
    (  # 3: both spans beyond a one-cell table: both warned
        '<table><tr><td rowspan="65534" colspan="65534">a</td></tr></table>',
        [
            (DROPPED, 'rowspan="65534" on <td> reaches beyond its row group (1 row left); '
                      "clipped to 1: a"),
            (DROPPED, 'colspan="65534" on <td> reaches beyond the table\'s 1 column; '
                      "clipped to 1: a"),
        ],
    ),
    (  # 3: a rowspan clipped to the rows left is warned, and so is its expansion
        '<table><tr><td rowspan="999">Hoch</td><td>a</td></tr><tr><td>b</td></tr></table>',
        [
            (DROPPED, 'rowspan="999" on <td> reaches beyond its row group (2 rows left); '
                      "clipped to 2: Hoch"),
            (ROWSPAN, "rowspan=999 expanded into empty cells (Exstream has no rowspan)"),
        ],
    ),
    (  # 3: a rowspan in the last row of its group, and an empty cell named as such
        '<table><thead><tr><th rowspan="2"></th></tr></thead><tr><td>a</td></tr></table>',
        [(DROPPED, 'rowspan="2" on <th> reaches beyond its row group (1 row left); '
                   "clipped to 1: (empty cell)")],
    ),
    (  # a span over columns in which no cell begins loses them; its filler below too
        '<table><tr><th rowspan="2" colspan="4">X</th><td>1</td></tr><tr><td>2</td></tr></table>',
        [
            (ROWSPAN, "rowspan=2 expanded into empty cells (Exstream has no rowspan)"),
            (DROPPED, 'colspan="4" on <th> spans columns in which no cell begins; '
                      "narrowed to 1: X"),
        ],
    ),
    (  # digits beyond any limit neither crash nor flood the message
        f'<table><tr><td rowspan="{"9" * 5000}">a</td></tr><tr><td>b</td></tr></table>',
        [
            (DROPPED, f'rowspan="{"9" * 59}…" on <td> reaches beyond its row group (2 rows left); '
                      "clipped to 2: a"),
            (ROWSPAN, f"rowspan={'9' * 59}… expanded into empty cells (Exstream has no rowspan)"),
        ],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("source", "expected"), MESSAGES)
def test_every_span_problem_is_warned_with_value_element_and_text(
    source: str, expected: list[tuple[str, str]]
) -> None:
    result = _convert(source)
    assert result.exm is not None
    assert _messages(result) == expected


def test_the_reviewers_table_in_all_three_forms() -> None:
    result = _convert(MESSAGES[0][0])
    assert result.exm is not None
    forms = render_forms(result.exm, None, SETTINGS)
    assert b'colspan="999"' not in forms["exm.xml"]
    assert forms["html"] == (
        b'<table><tbody><tr><td colspan="2">a</td></tr>'
        b"<tr><td>b</td><td>c</td></tr></tbody></table>\n"
    )
    assert forms["txt"] == b"a\nb  c\n"


@pytest.mark.parametrize(
    "source",
    [
        # every column holds the start of a cell or a col: spans as written, no warning
        '<table><tr><th colspan="2">Tarif</th><th>Preis</th></tr>'
        '<tr><td>Basis</td><td colspan="2">auf Anfrage</td></tr></table>',
        '<table><col><col><col><tr><td colspan="3">a</td></tr></table>',
        '<table><tr><td rowspan="0">a</td><td>b</td></tr><tr><td>c</td></tr></table>',
        '<table><tr><td colspan="01" rowspan=" 2 ">a</td><td>b</td></tr>'
        "<tr><td>c</td></tr></table>",
    ],
)
def test_sane_spans_are_kept_without_a_span_warning(source: str) -> None:
    result = _convert(source)
    assert result.exm is not None
    assert all(d.code != DROPPED for d in result.diagnostics), result.diagnostics


COLSPANS = [None, None, None, "1", "2", "3", "0", "999", "65534", "x", ""]
ROWSPANS = [None, None, None, "1", "2", "3", "0", "999", "65534", "x"]


@st.composite
def span_grid(draw: st.DrawFn) -> tuple[str, list[list[tuple[str, str | None, str | None]]]]:
    """A table of uniquely named cells with good and bad spans, optionally with cols."""
    rows = []
    for r in range(draw(st.integers(1, 4))):
        cells = []
        for c in range(draw(st.integers(1, 4))):
            cells.append(
                (f"c{r}{c}", draw(st.sampled_from(COLSPANS)), draw(st.sampled_from(ROWSPANS)))
            )
        rows.append(cells)
    cols = "<col>" * draw(st.integers(0, 3))

    def attribute(name: str, value: str | None) -> str:
        return "" if value is None else f' {name}="{value}"'

    html = cols + "".join(
        "<tr>" + "".join(f"<td{attribute('colspan', cs)}{attribute('rowspan', rs)}>{text}</td>"
                         for text, cs, rs in row) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table>{html}</table>", rows


def _warned(diagnostics: list[Diagnostic], attribute: str, value: str) -> bool:
    return any(d.code == DROPPED and f'{attribute}="{value}" on <td>' in d.message
               for d in diagnostics)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(span_grid())
def test_no_span_changes_silently_and_the_result_is_stable(
    grid: tuple[str, list[list[tuple[str, str | None, str | None]]]],
) -> None:
    source, rows = grid
    result = _convert(source)
    assert result.exm is not None
    assert exm_module.validation_errors(result.exm) == []
    table = etree.fromstring(result.exm).find(exm_module.tag("table"))
    assert table is not None
    columns = len(table.findall(exm_module.tag("col")))
    cells = sum(len(tr) for tr in table.iter(exm_module.tag("tr")))
    spans = {}
    for tr in table.iter(exm_module.tag("tr")):
        # No row is wider than the columns the table's cols and cells can justify.
        assert sum(int(cell.get("colspan", "1")) for cell in tr) <= columns + cells
        for cell in tr:
            if cell.text:
                spans[cell.text] = int(cell.get("colspan", "1"))
    for index, row in enumerate(rows):
        for text, colspan, rowspan in row:
            if colspan is not None and str(spans[text]) != colspan.lstrip("0"):
                assert _warned(result.diagnostics, "colspan", colspan), (text, colspan)
            left = len(rows) - index
            if rowspan is not None and not (re.fullmatch(r"\d+", rowspan) and int(rowspan) <= left):
                assert _warned(result.diagnostics, "rowspan", rowspan), (text, rowspan)
    # Converting the converted table again changes nothing and finds nothing to warn.
    forms = render_forms(result.exm, None, SETTINGS)
    again = html_to_exm(forms["html"].decode("utf-8"), context(), SETTINGS, resolve_asset)
    assert again.exm == result.exm
    assert again.diagnostics == []
